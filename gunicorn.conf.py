"""gunicorn's settings for production (README, "Deploying"): `gunicorn dashboard.wsgi` reads this file.

Environment: PORT (default 8000), BIND (default 0.0.0.0:$PORT), WEB_CONCURRENCY (worker processes,
default 2 per core + 1), GUNICORN_THREADS (threads per worker, default 4), GUNICORN_TIMEOUT (seconds a
request may take, default 60: a full CSV export streams well within it).
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker serve other requests while a client reads a long export slowly.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Refuse absurd request lines and headers before Django sees them (bodies: MAX_REQUEST_BYTES in settings).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
# The proxy in front (PROXY_COUNT in settings) may send X-Forwarded-* headers; gunicorn passes them on.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
