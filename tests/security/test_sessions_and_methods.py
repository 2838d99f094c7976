"""Smaller guards: public pages answer only GET and HEAD; signing in leads to the admin; admin sessions end
after SESSION_IDLE_HOURS without a request, and each request keeps them going."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PUBLIC = [
    reverse("overview"),
    reverse("council-list"),
    reverse("council-detail", args=["tower-hamlets"]),
    reverse("inspection-detail", args=[1]),
    reverse("finding-search"),
    reverse("export-index"),
    reverse("export-csv", args=["councils"]),
]


@pytest.mark.parametrize("url", PUBLIC)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_public_pages_answer_only_get_and_head(url, method):
    response = getattr(Client(), method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("url", PUBLIC[:3])
def test_public_pages_answer_get_and_head(history, url):
    assert Client().get(url).status_code == 200
    assert Client().head(url).status_code == 200


def test_signing_in_leads_to_the_admin():
    User.objects.create_user("editor", password="a long enough password", is_staff=True)
    response = Client().post(reverse("admin:login"), {"username": "editor", "password": "a long enough password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


FORGED = "k7m3x9q2w8e4r6t1y5u0i2o4p6a8s0d2"  # 32 characters of a session key no server gave


@pytest.mark.parametrize(
    "url",
    [*PUBLIC[:6], reverse("feed-england", args=["atom"]), "/api/councils/", "/api/", reverse("export-csv", args=["councils"])],
)
def test_a_forged_session_cookie_writes_nothing(history, url):
    """Public pages, feeds, exports and the API neither create nor save a session, whatever cookie arrives."""
    client = Client()
    client.cookies["sessionid"] = FORGED
    for _ in range(2):  # the page rendered, then from the page cache
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "sessionid" not in response.cookies, url
    assert not Session.objects.exists()


def test_an_editors_session_on_a_public_page_is_left_as_it_was(history):
    client = Client()
    client.force_login(User.objects.create_user("editor", is_staff=True))
    expires = Session.objects.get().expire_date
    response = client.get(reverse("overview"))
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get().expire_date == expires


def test_an_admin_session_ends_after_hours_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client = Client()
    client.force_login(User.objects.create_user("editor", is_staff=True))
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + datetime.timedelta(hours=8, minutes=1)
    # Seven idle hours later, a request keeps it going for another eight.
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)
    # Past the eight hours, the session is over.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("admin:index")).status_code == 302
