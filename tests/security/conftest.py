"""Shared fixtures for the security tests: the record with a draft in it, and a user of each role.

`history` (tests/conftest.py, built by tests/histories.py) is Tower Hamlets' history across every framework with one
draft inspection ("Secret draft theme") and a draft finding ("...must stay hidden"), plus peer councils.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from inspections.groups import EDITORS, VIEWERS, setup_groups


PROJECT_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# What the draft carries, which no public page or export may show.
DRAFT_MARKERS = ("Secret draft theme", "must stay hidden")

ROLES = ("anonymous", "viewer", "editor", "superuser")


def make_user(role):
    """A user of the role (None for anonymous); staff users get their group's permissions."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser(username="root", password=None, email="root@example.org")
    setup_groups()
    user = User.objects.create_user(username=role, password=None, is_staff=True)
    user.groups.add(Group.objects.get(name={"viewer": VIEWERS, "editor": EDITORS}[role]))
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords are hashed by a fast hasher here: these tests are about who may do what, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_clients(db):
    """{role: Client} for anonymous, viewer, editor and superuser, each signed in (except anonymous)."""
    clients = {}
    for role in ROLES:
        client = Client()
        user = make_user(role)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


# -- a subprocess running the project (manage.py, gunicorn) with its own environment ------------------------


def project_env(**overrides):
    """The environment for a subprocess of the project: no inherited database or debug settings."""
    inherited = {"DATABASE_URL", "DATABASE_REPLICA_URL", "DATABASE_STATEMENT_TIMEOUT"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"PYTHONPATH": str(PROJECT_DIR), "PYTHONUNBUFFERED": "1"})
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def manage(*args, env, timeout=300, check=True):
    result = subprocess.run(
        [PYTHON, str(PROJECT_DIR / "manage.py"), *args],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        command = " ".join(args)
        raise AssertionError(f"manage.py {command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers, whatever it says
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url} within {timeout}s")
