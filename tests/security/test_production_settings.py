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
]
values = {name: getattr(s, name, None) for name in names}
values["DATABASES"] = {alias: {k: db[k] for k in ("ENGINE", "NAME", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
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
        env=project_env(DJANGO_SETTINGS_MODULE="dashboard.settings", **env),
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
    assert values["STORAGE"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
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
    assert replica["ENGINE"] == "django.db.backends.postgresql" and replica["NAME"] == "tracker"
    assert replica["CONN_MAX_AGE"] == 300 and replica["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("name, value", [("CONN_MAX_AGE", "a minute"), ("PROXY_COUNT", "two")])
def test_nonsense_numbers_are_refused_at_start(name, value):
    result = manage("check", env=project_env(SECRET_KEY=secret_key(), **PRODUCTION, **{name: value}), check=False)
    assert result.returncode != 0
    assert f"{name} must be a whole number" in result.stderr
