"""The quick start serves static files as production does: hashed names, compressed, cached by browsers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from inspection_tracker.management.commands import start

MANAGE = str(settings.BASE_DIR / "manage.py")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def serve(tmp_path, **settings_given):
    """runserver on an empty migrated SQLite database, with static files collected, as `start` runs it."""
    given = {
        **{name: value for name, value in os.environ.items() if name not in ("DEBUG", "SECRET_KEY")},
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **settings_given,
    }
    environ = start.server_environment(given, tmp_path / ".secret_key")
    for command in (["migrate", "--verbosity", "0"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([sys.executable, MANAGE, *command], env=environ, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def collected_server(tmp_path):
    yield from serve(tmp_path)


def missing_page(base):
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(base + "/no-such-page/")
    return missing.value.code, missing.value.read().decode()


def test_the_quick_start_answers_a_missing_page_with_the_sites_own_page(collected_server):
    status, page = missing_page(collected_server)
    assert status == 404
    assert "Page not found" in page and "Inspection Tracker" in page
    assert "URLconf" not in page and "DEBUG = True" not in page  # not Django's page for developers


def test_debug_on_serves_djangos_debugging_pages(tmp_path):
    server = serve(tmp_path, DEBUG="1")
    base = next(server)
    try:
        status, page = missing_page(base)
    finally:
        server.close()
    assert status == 404 and "URLconf" in page


def test_the_quick_starts_secret_key_is_made_once_and_kept_private(tmp_path):
    key_file = tmp_path / ".secret_key"
    first = start.server_environment({}, key_file)
    assert first["DEBUG"] == "0" and len(first["SECRET_KEY"]) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert start.server_environment({}, key_file)["SECRET_KEY"] == first["SECRET_KEY"]
    # A key, hosts or https settings given by the person running it stand.
    given = start.server_environment({"SECRET_KEY": "given", "SECURE_SSL_REDIRECT": "1"}, key_file)
    assert (given["SECRET_KEY"], given["SECURE_SSL_REDIRECT"], given["ALLOWED_HOSTS"]) == ("given", "1", start.LOCAL_HOSTS)


def test_plotly_crosses_the_wire_once_compressed(collected_server):
    _status, _headers, page = get(collected_server + "/")
    script = re.search(r'src="(/static/[^"]*plotly[^"]*\.js)"', page.decode())
    assert script, "the overview loads plotly.js"
    assert re.search(r"\.[0-9a-f]{12}\.js$", script[1]), f"not a hashed name: {script[1]}"
    status, headers, body = get(collected_server + script[1], **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    _status, plain_headers, plain = get(collected_server + script[1])
    assert "Content-Encoding" not in plain_headers
    assert len(body) < len(plain) / 3


def test_start_collects_the_static_files_and_serves_them_collected(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("SECRET_KEY", "a-key-for-this-test")  # no key file written into the project
    with (
        mock.patch.object(start, "call_command") as prepare,
        mock.patch.object(start.subprocess, "run", return_value=subprocess.CompletedProcess([], 0)) as run,
        mock.patch.object(start.os, "execve") as execve,
    ):
        call_command("start")
    assert [call.args[0] for call in prepare.call_args_list] == ["migrate", "load_data", "setup_groups"]
    collect = run.call_args
    assert collect.args[0][2] == "collectstatic" and collect.kwargs["env"]["STATIC_COLLECTED"] == "1"
    _executable, argv, environ = execve.call_args.args
    assert argv[2:] == ["runserver", "127.0.0.1:8123", "--noreload"]
    assert environ["STATIC_COLLECTED"] == "1" and environ["DEBUG"] == "0"


def test_start_stops_with_one_line_when_collecting_fails(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-key-for-this-test")
    with (
        mock.patch.object(start, "call_command"),
        mock.patch.object(start.subprocess, "run", return_value=subprocess.CompletedProcess([], 1)),
        mock.patch.object(start.os, "execve") as execve,
        pytest.raises(start.CommandError, match="Collecting the static files failed"),
    ):
        call_command("start")
    execve.assert_not_called()
