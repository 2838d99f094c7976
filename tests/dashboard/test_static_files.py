"""The quick start serves static files as production does: hashed names, compressed, cached by browsers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from dashboard.management.commands import start

MANAGE = str(settings.BASE_DIR / "manage.py")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def collected_server(tmp_path):
    """runserver on an empty migrated SQLite database, with static files collected, as `start` runs it."""
    environ = {
        **os.environ,
        "STATIC_COLLECTED": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
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
    assert environ["STATIC_COLLECTED"] == "1"


def test_start_stops_with_one_line_when_collecting_fails():
    with (
        mock.patch.object(start, "call_command"),
        mock.patch.object(start.subprocess, "run", return_value=subprocess.CompletedProcess([], 1)),
        mock.patch.object(start.os, "execve") as execve,
        pytest.raises(start.CommandError, match="Collecting the static files failed"),
    ):
        call_command("start")
    execve.assert_not_called()
