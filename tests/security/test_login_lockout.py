"""Repeated failed admin logins lock the address and the username out for a while (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def attempt(client, username, password, address="203.0.113.5", **headers):
    form = {"username": username, "password": password}
    return client.post(reverse("admin:login"), form, REMOTE_ADDR=address, **headers)


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def fail(client, times, username="editor", address="203.0.113.5", **headers):
    for _ in range(times):
        response = attempt(client, username, "wrong", address, **headers)
        assert response.status_code in (200, 429)
    return response


def test_a_few_mistakes_are_forgiven(editor):
    client = Client()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(attempt(client, "editor", PASSWORD))


def test_the_right_password_is_refused_after_too_many_failures(editor):
    client = Client()
    response = fail(client, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


def test_the_username_is_locked_from_any_address(editor):
    fail(Client(), settings.AXES_FAILURE_LIMIT, address="203.0.113.5")
    assert attempt(Client(), "editor", PASSWORD, address="198.51.100.7").status_code == 429


def test_the_address_is_locked_for_any_username(editor):
    User.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    for number in range(settings.AXES_FAILURE_LIMIT):  # a different username each time: password spraying
        attempt(Client(), f"guess{number}", "wrong", address="203.0.113.5")
    assert attempt(Client(), "viewer", PASSWORD, address="203.0.113.5").status_code == 429
    assert signed_in(attempt(Client(), "viewer", PASSWORD, address="198.51.100.7"))


def test_the_lockout_ends_after_the_cool_off(editor):
    fail(Client(), settings.AXES_FAILURE_LIMIT)
    earlier = datetime.timedelta(minutes=1) + settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.timezone.utc) - earlier)
    assert signed_in(attempt(Client(), "editor", PASSWORD))


def test_a_superuser_can_lift_every_lockout(editor):
    fail(Client(), settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset", verbosity=0)
    assert signed_in(attempt(Client(), "editor", PASSWORD))


def test_behind_a_proxy_the_clients_address_counts(editor, settings):
    """With PROXY_COUNT=1 the address is the one the proxy saw, not the proxy's own."""
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The attacker adds a forged address of their own in front; the proxy appends the real one.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "nobody", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert attempt(Client(), "someone-else", "x", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert signed_in(attempt(Client(), "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"))
