"""Production settings: `check --deploy` is clean, SECRET_KEY is required, and the environment is obeyed.

Each case starts the project in a subprocess with the environment a deployment would give it, since the
settings are read once, when Django starts.
"""

import json
import secrets
import subprocess

import pytest

from tests.security.conftest import PROJECT_DIR, PYTHON, manage, project_env

PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "tracker.example.org"}

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = [
    "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS", "CONTENT_SECURITY_POLICY", "REPORT_UPLOAD_MAX_BYTES", "MAX_REQUEST_BYTES",
    "DATABASE_RESPONSE_TIMEOUT", "HEALTHZ_DATABASE_TIMEOUT", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "REPORT_PARSE_SECONDS", "REPORT_PARSE_MEMORY_MB", "REPORT_PAGE_CONTENT_MAX_KB",
]
values = {name: getattr(s, name, None) for name in names}
values["DATABASES"] = {alias: {k: db[k] for k in ("ENGINE", "NAME", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")}
                       for alias, db in s.DATABASES.items()}
values["STORAGE"] = s.STORAGES["staticfiles"]["BACKEND"]
print(json.dumps(values, default=str))
"""


def secret_key():
    return secrets.token_urlsafe(50)


def settings_under(**env):
    result = subprocess.run(
        [PYTHON, "-c", PRINT_SETTINGS],
        cwd=PROJECT_DIR,
        env=project_env(DJANGO_SETTINGS_MODULE="inspection_tracker.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_prints_no_issues():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=project_env(SECRET_KEY=secret_key(), **PRODUCTION)
    )
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_check_deploy_fails_with_debug_on():
    """The check can fail: the same command with DEBUG on reports issues (so a clean run means something)."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=project_env(SECRET_KEY=secret_key(), DEBUG="1", ALLOWED_HOSTS="tracker.example.org"),
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on in deployment


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", env=project_env(**PRODUCTION), check=False)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_defaults():
    values = settings_under(SECRET_KEY=secret_key(), **PRODUCTION)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["tracker.example.org"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no proxy unless PROXY_COUNT says so
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    default = values["DATABASES"]["default"]
    assert default["CONN_MAX_AGE"] > 0 and default["CONN_HEALTH_CHECKS"] is True
    assert values["STORAGE"] == "inspection_tracker.static_storage.CollectedStaticFilesStorage"
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["default-src"] == ["'none'"]
    assert "replica" not in values["DATABASES"]


def test_behind_a_proxy_and_with_a_replica():
    values = settings_under(
        SECRET_KEY=secret_key(),
        PROXY_COUNT="1",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="300",
        DATABASE_URL="postgres://app:pw@db-primary:5432/tracker",
        DATABASE_REPLICA_URL="postgres://reader:pw@db-replica:5432/tracker",
        **PRODUCTION,
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    replica = values["DATABASES"]["replica"]
    assert replica["ENGINE"] == "inspection_tracker.postgresql" and replica["NAME"] == "tracker"
    assert replica["CONN_MAX_AGE"] == 300 and replica["CONN_HEALTH_CHECKS"] is True


def test_a_database_that_stops_answering_is_given_up_on():
    """Connect and statement timeouts and TCP keepalives on every PostgreSQL connection, configurable."""
    url = "postgres://app:pw@db-primary:5432/tracker"
    values = settings_under(SECRET_KEY=secret_key(), DATABASE_URL=url, **PRODUCTION)
    options = values["DATABASES"]["default"]["OPTIONS"]
    assert values["DATABASES"]["default"]["ENGINE"] == "inspection_tracker.postgresql"  # cuts a frozen server's connection
    assert options["connect_timeout"] == 3
    assert options["options"] == "-c jit=off -c statement_timeout=5000"
    assert options["keepalives"] == 1 and options["keepalives_idle"] == 30
    assert values["DATABASE_RESPONSE_TIMEOUT"] == 7 and values["HEALTHZ_DATABASE_TIMEOUT"] == 2
    assert options["tcp_user_timeout"] == 7000  # unacknowledged data: the kernel gives up within the same bound
    values = settings_under(
        SECRET_KEY=secret_key(),
        DATABASE_URL=url,
        DATABASE_CONNECT_TIMEOUT="10",
        DATABASE_STATEMENT_TIMEOUT="60",
        DATABASE_KEEPALIVE_SECONDS="5",
        HEALTHZ_DATABASE_TIMEOUT="1",
        **PRODUCTION,
    )
    options = values["DATABASES"]["default"]["OPTIONS"]
    assert options["connect_timeout"] == 10 and options["keepalives_idle"] == 5
    assert options["options"] == "-c jit=off -c statement_timeout=60000"
    assert values["DATABASE_RESPONSE_TIMEOUT"] == 62 and values["HEALTHZ_DATABASE_TIMEOUT"] == 1
    assert options["tcp_user_timeout"] == 62_000


def test_limits_are_configurable():
    values = settings_under(
        SECRET_KEY=secret_key(),
        SESSION_IDLE_HOURS="2",
        REPORT_PARSE_SECONDS="30",
        REPORT_PARSE_MEMORY_MB="1024",
        REPORT_PAGE_CONTENT_MAX_KB="256",
        **PRODUCTION,
    )
    assert values["SESSION_COOKIE_AGE"] == 2 * 3600 and values["SESSION_SAVE_EVERY_REQUEST"] is True
    assert (values["REPORT_PARSE_SECONDS"], values["REPORT_PARSE_MEMORY_MB"], values["REPORT_PAGE_CONTENT_MAX_KB"]) == (
        30,
        1024,
        256,
    )


def gunicorn_setting(name, **env):
    script = f"import runpy; print(runpy.run_path('gunicorn.conf.py')[{name!r}])"
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=PROJECT_DIR, env=project_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_gunicorn_listens_on_the_loopback_only_unless_told():
    """Only the proxy on the same host may reach the app: it trusts the X-Forwarded-For the proxy writes."""
    environment = {key: "" for key in ("BIND", "PORT")}
    assert gunicorn_setting("bind", **environment) == "127.0.0.1:8000"
    assert gunicorn_setting("bind", BIND="", PORT="9000") == "127.0.0.1:9000"
    assert gunicorn_setting("bind", BIND="10.0.0.5:8000") == "10.0.0.5:8000"


@pytest.mark.parametrize("name, value", [("CONN_MAX_AGE", "a minute"), ("PROXY_COUNT", "two")])
def test_nonsense_numbers_are_refused_at_start(name, value):
    result = manage("check", env=project_env(SECRET_KEY=secret_key(), **PRODUCTION, **{name: value}), check=False)
    assert result.returncode != 0
    assert f"{name} must be a whole number" in result.stderr
