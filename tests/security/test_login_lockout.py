"""Repeated failed admin logins lock out, for a while, a username at the address the failures came from, and
an address that tries many usernames (django-axes, inspection_tracker/lockout.py); nobody can lock an editor out from
elsewhere, and attempts during a lockout do not prolong it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from inspection_tracker.middleware import client_ip

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


def test_a_lockout_says_when_to_try_again(editor):
    response = fail(Client(), settings.AXES_FAILURE_LIMIT)
    cool_off = settings.AXES_COOLOFF_TIME.total_seconds()
    assert response.status_code == 429
    assert cool_off - 60 < int(response["Retry-After"]) <= cool_off
    # Ten minutes into the lockout, five are left.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10))
    response = attempt(Client(), "editor", PASSWORD)
    assert response.status_code == 429
    assert cool_off - 600 - 60 < int(response["Retry-After"]) <= cool_off - 600
    assert "Try again in 5 minutes" in response.content.decode()


def test_failures_from_elsewhere_do_not_lock_the_editor_out(editor):
    """Someone guessing the editor's password elsewhere is locked out there; the editor signs in as usual."""
    fail(Client(), settings.AXES_FAILURE_LIMIT, address="203.0.113.5")
    assert attempt(Client(), "editor", PASSWORD, address="203.0.113.5").status_code == 429
    assert signed_in(attempt(Client(), "editor", PASSWORD, address="198.51.100.7"))
    # Signing in from there does not lift the lockout where the failures came from.
    assert attempt(Client(), "editor", PASSWORD, address="203.0.113.5").status_code == 429


def test_attempts_during_a_lockout_do_not_prolong_it(editor):
    """One attempt every 14 minutes must not keep a lockout going for ever."""
    fail(Client(), settings.AXES_FAILURE_LIMIT)
    # A minute before the lockout ends, another wrong password (refused, and not counted).
    earlier = settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - earlier)
    assert attempt(Client(), "editor", "wrong").status_code == 429
    # Two minutes later the lockout is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=2))
    assert signed_in(attempt(Client(), "editor", PASSWORD))


def test_a_few_usernames_from_one_address_do_not_lock_it(editor):
    """A shared address (an office) is not locked by a few people's mistakes."""
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), f"colleague{number}", "wrong", address="203.0.113.5")
    assert signed_in(attempt(Client(), "editor", PASSWORD, address="203.0.113.5"))


def test_the_address_is_locked_for_any_username(editor):
    User.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):  # a different username each time: spraying
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
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        forged = f"192.0.2.{number}, 203.0.113.5"
        attempt(Client(), f"nobody{number}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=forged)
    assert attempt(Client(), "someone-else", "x", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert signed_in(attempt(Client(), "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"))


@pytest.mark.parametrize(
    "forwarded, seen",
    [
        ("203.0.113.5", "203.0.113.5"),
        ("203.0.113.5:51234", "203.0.113.5"),  # a proxy that appends the port
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("not-an-ip", "10.0.0.2"),  # not an address: the proxy's own counts
        ("999.999.999.999", "10.0.0.2"),
        ("203.0.113.5:port", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_the_forwarded_address_is_checked(settings, forwarded, seen):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == seen


@pytest.mark.parametrize("forwarded", ["not-an-ip", "999.999.999.999", "203.0.113.5:51234"])
def test_a_login_with_a_strange_forwarded_address_is_counted_at_a_real_one(editor, settings, forwarded):
    """A forwarded value that is not an address is never stored (PostgreSQL refuses it: every login a 500)."""
    settings.PROXY_COUNT = 1
    response = attempt(Client(), "editor", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) in (["10.0.0.2"], ["203.0.113.5"])
    assert signed_in(attempt(Client(), "editor", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded))


@pytest.mark.parametrize("length", [255, 256, 300, 5000])
def test_a_username_of_any_length_gets_the_forms_error_and_counts(editor, length):
    """django-axes keeps usernames in varchar(255): a longer one was a 500 on PostgreSQL, before login."""
    long_name = "u" * length
    response = attempt(Client(), long_name, "wrong")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    [recorded] = AccessAttempt.objects.all()
    assert recorded.failures_since_start == 1 and recorded.username == long_name[:255]
    fail(Client(), settings.AXES_FAILURE_LIMIT - 1, username=long_name)
    assert attempt(Client(), long_name, "wrong").status_code == 429  # and they lock out like any other
