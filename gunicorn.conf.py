"""gunicorn's settings for production (docs/deploying.md): `gunicorn inspection_tracker.wsgi` reads this file.

Environment: PORT (default 8000), BIND (default 127.0.0.1:$PORT: only the proxy in front, on the same
host, reaches the app; docs/deploying.md says when to change it), WEB_CONCURRENCY (worker processes,
default 2 per core + 1), GUNICORN_THREADS (threads per worker, default 4), GUNICORN_TIMEOUT (seconds a
request may take, default 60: a full CSV export streams well within it).
"""

import multiprocessing
import os

# Loopback only: the app trusts the X-Forwarded-For its proxy writes (PROXY_COUNT), so nobody else may reach it.
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker serve other requests while a client reads a long export slowly.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound; rarely, since a new worker
# boots for a second and starts with an empty page cache (without CACHE_URL). At 2,000 requests, the load
# test's 700 requests/s restarted every worker each ~11 s, and those restarts made its p99 (bench/load_test.py).
max_requests = 50_000
max_requests_jitter = 5_000
# Refuse absurd request lines and headers before Django sees them (bodies: MAX_REQUEST_BYTES in settings).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
# The proxy in front (PROXY_COUNT in settings) may send X-Forwarded-* headers; gunicorn passes them on.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def pre_request(worker, req):
    """Close the connection after answering a request whose body is over MAX_REQUEST_BYTES.

    The app refuses it (413) without reading the body; left open for keep-alive, the connection would make
    this worker thread read and discard the whole body before the next request. A WSGI application cannot
    ask gunicorn to close, so it is decided here from the same setting.
    """
    from django.conf import settings  # the worker has loaded the app, and with it the settings

    length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), "")
    if length.isdigit() and int(length) > settings.MAX_REQUEST_BYTES:
        req.force_close()
