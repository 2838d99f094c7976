"""The app as deployed: gunicorn (gunicorn.conf.py), DEBUG off, static files collected, on a real PostgreSQL.

README's production start, followed step by step against a private PostgreSQL cluster: migrate,
collectstatic, gunicorn behind one (pretend) proxy. Then the security headers, the HTTPS redirect, secure
cookies, WhiteNoise's compressed cache-busted files, /healthz, and a database outage: the cluster is
stopped while gunicorn keeps serving (503 pages, no traceback) and started again (the same gunicorn
serves pages again, no restart).
"""

import http.client
import json
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.postgres_cluster import PostgresCluster, PostgresClusterError, ensure_postgres_installed
from tests.security.conftest import PROJECT_DIR, free_port, manage, project_env, wait_for_http

HOST = "tracker.example.org"
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    try:
        ensure_postgres_installed()
    except PostgresClusterError as error:
        pytest.fail(str(error), pytrace=False)
    cluster = PostgresCluster()
    process = None
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    try:
        cluster.start()
        port = free_port()
        env = project_env(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            DATABASE_URL=cluster.setup_project_database(),
            CONN_MAX_AGE="60",
            STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
            PROXY_COUNT="1",
            PORT=str(port),
            BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="2",
        )
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("import_councils", "fixtures/data/reference/local_authorities.csv", env=env)
        with open(log, "w") as output:
            process = subprocess.Popen(
                [str(GUNICORN), "dashboard.wsgi"],  # reads ./gunicorn.conf.py, as in README
                cwd=PROJECT_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process=process)
        yield SimpleNamespace(port=port, cluster=cluster, process=process, log=log)
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        cluster.destroy()


def fetch(server, path, *, https=True, method="GET", headers=None):
    """One request as the proxy would pass it on; returns (status, headers, body text). No redirects followed."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    sent = {"Host": HOST, **({"X-Forwarded-Proto": "https"} if https else {}), **(headers or {})}
    try:
        connection.request(method, path, headers=sent)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.headers, body
    finally:
        connection.close()


def text(body):
    return body.decode("utf-8", "replace")


def test_http_is_redirected_to_https(server):
    status, headers, _body = fetch(server, "/councils/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/councils/"


def test_healthz_answers_on_plain_http(server):
    status, headers, body = fetch(server, "/healthz", https=False)
    assert status == 200
    assert json.loads(body) == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in headers["Cache-Control"]


def test_pages_carry_the_security_headers(server):
    status, headers, body = fetch(server, "/")
    assert status == 200, text(body)[:500]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in headers["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_cookies_are_secure(server):
    status, headers, _body = fetch(server, "/admin/login/")
    assert status == 200
    cookies = headers.get_all("Set-Cookie")
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf and "SameSite=Lax" in csrf


def test_static_files_are_compressed_and_cache_busted(server):
    _status, _headers, body = fetch(server, "/")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', text(body))
    assert stylesheet, "the page does not link the hashed (cache-busted) stylesheet"
    status, headers, css = fetch(server, stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    assert len(css) > 0


def test_an_oversized_upload_is_refused_before_its_body_is_sent(server):
    """Only the headers go: the 413 comes back without the server waiting for 100 MB that never come."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("POST", "/admin/inspections/inspection/import-report/", skip_host=True)
        for name, value in {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(100 * 1024 * 1024),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        assert "The file is too large" in text(response.read())
    finally:
        connection.close()


def test_a_database_restart_between_requests_costs_no_request(server):
    """Kept connections are checked before use (CONN_HEALTH_CHECKS): one the restart closed is replaced."""
    for _ in range(4):  # every worker thread keeps a connection
        assert fetch(server, "/councils/")[0] == 200
    server.cluster.restart(mode="fast")
    statuses = [fetch(server, "/councils/")[0] for _ in range(6)]
    assert statuses == [200] * 6


def test_a_database_outage_gives_503_pages_and_the_app_recovers(server):
    council = "/councils/tower-hamlets/"
    for _ in range(4):  # warm every worker thread's kept connection
        assert fetch(server, council)[0] == 200

    server.cluster.stop(mode="fast")
    try:
        for path in ["/", council, "/councils/?region=E12000007", "/findings/?q=care", "/export/councils.csv"]:
            status, headers, body = fetch(server, path)
            assert status == 503, (path, status, text(body)[:300])
            assert "Sorry, the service is unavailable" in text(body)
            assert "Traceback" not in text(body) and "psycopg2" not in text(body)
            assert headers["Retry-After"]
        status, _headers, body = fetch(server, "/healthz", https=False)
        assert status == 503
        assert json.loads(body)["status"] == "unavailable"
        assert "psycopg2" not in text(body) and "127.0.0.1" not in text(body)
    finally:
        server.cluster.start()

    pid = server.process.pid
    deadline = time.monotonic() + 20
    while fetch(server, "/healthz", https=False)[0] != 200:
        assert time.monotonic() < deadline, "the app did not recover after the database came back"
        time.sleep(0.2)
    for _ in range(4):  # every thread reconnects
        status, _headers, body = fetch(server, council)
        assert status == 200, text(body)[:300]
        assert "Tower Hamlets" in text(body)
    assert fetch(server, "/export/councils.csv")[0] == 200
    assert server.process.poll() is None and server.process.pid == pid  # served on, never restarted
    assert "Error handling request" not in server.log.read_text(errors="replace")  # nothing reached gunicorn
