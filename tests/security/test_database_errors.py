"""A database that cannot be reached: /healthz says 503, pages and exports are the 503 page, never a traceback.

In-process, with the database failing on purpose (every query raises OperationalError, as psycopg2 does
when the server has gone). test_production_server.py does the same with a real PostgreSQL stopped and
started under gunicorn.
"""

import contextlib
import json

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import path, reverse

import inspection_tracker.urls
from inspections.exports import DATASETS

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down(error=OperationalError):
    def refuse(execute, sql, params, many, context):
        raise error("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_healthz_is_503_when_it_does_not(client, error):
    with database_down(error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "databases": {"default": "unavailable"}}
    assert "Connection refused" not in response.content.decode()  # the reason stays in the log
    assert response["Retry-After"]


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/", "/councils/", "/councils/tower-hamlets/", "/inspections/1/", "/findings/?q=caseload", "/export/"],
)
def test_pages_are_503_pages_while_the_database_is_down(client, history, path):
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "not a government service" in html  # the site's own page
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_an_export_is_a_503_page_not_a_broken_file(client, history, dataset):
    """A CSV streams after its 200 header: the outage must be seen before that header goes."""
    with database_down():
        response = client.get(f"/export/{dataset}.csv")
    assert response.status_code == 503
    assert not response.streaming
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_exports_still_stream_when_the_database_is_up(client, history):
    response = client.get("/export/findings.csv")
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.splitlines()[0] == ",".join(DATASETS["findings"].header)
    assert "caseloads" in body


def test_an_outage_outside_a_view_still_gets_the_503_page(history, monkeypatch):
    """Middleware (here the admin's session lookup) failing on the database: handler500 answers 503."""
    from django.contrib.sessions.backends.db import SessionStore

    def session_down(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr(SessionStore, "load", session_down)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def broken_view(request):
    raise RuntimeError("a bug")


def outage_view(request):
    raise OperationalError("terminating connection due to administrator command")


# This module doubles as a URLconf for the next tests: the site's own URLs and two failing views.
urlpatterns = [path("broken/", broken_view), path("outage/", outage_view), *inspection_tracker.urls.urlpatterns]
handler500 = inspection_tracker.urls.handler500


@pytest.mark.urls(__name__)
def test_other_errors_are_still_500_pages():
    """The 503 page is for database outages only; a bug is a 500 (and is logged as one)."""
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    response = client.get("/outage/")
    assert response.status_code == 503
