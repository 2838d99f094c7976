"""Hostile values in the admin's list parameters (search, filters, date drill-down, ordering, page), as a
signed-in superuser: never a 500. Django answers a bad filter with a redirect to ?e=1."""

import pytest
from django.contrib.auth.models import User
from hypothesis import given
from hypothesis import strategies as st

from tests.security.hostile import HOSTILE_SETTINGS, get, query_strings

pytestmark = pytest.mark.django_db

LISTS = {
    "/admin/inspections/inspection/": {
        "q", "o", "p", "e", "status__exact", "framework__exact", "event_type__exact", "council__region__id__exact",
        "year", "grade", "start_date__year", "start_date__month", "start_date__day", "all",
    },
    "/admin/inspections/finding/": {"q", "o", "p", "kind__exact", "area__exact"},
    "/admin/councils/council/": {"q", "o", "p", "region__id__exact", "la_type__exact", "is_current__exact"},
    "/admin/inspections/inspection/deleted/": {"q", "p"},
}


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    return client


@pytest.mark.parametrize("path", sorted(LISTS))
@HOSTILE_SETTINGS
@given(data=st.data())
def test_admin_lists_survive_hostile_parameters(superuser_client, history, path, data):
    query = data.draw(query_strings(LISTS[path]), label="query")
    response = get(superuser_client, path, query)
    assert response.status_code in {200, 302, 400, 404}, (path, query)


@pytest.mark.parametrize(
    "query",
    [
        "start_date__year=99999999999999999999",  # OverflowError in Django's date drill-down
        "start_date__year=9999",  # year 10000 when Django adds a year
        "start_date__year=9999&start_date__month=12",
        "start_date__year=2019&start_date__month=99",
        "start_date__year=2019&start_date__month=2&start_date__day=30",
        "start_date__year=-5",
        "start_date__year=%D9%A1%D9%A2",  # Arabic-Indic digits
        "year=0",  # the list's own year filter: year 0 does not exist
        "year=10000",
    ],
)
def test_impossible_dates_in_the_admin_drill_down_are_an_invalid_filter(superuser_client, history, query):
    response = get(superuser_client, "/admin/inspections/inspection/", query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/councils/council/", "la_type__exact=%00"),
        ("/admin/inspections/finding/", "area__exact=a%00b"),
        ("/admin/inspections/inspection/", "q=%00"),
        ("/admin/inspections/inspection/", "%00=1"),
    ],
)
def test_nul_characters_in_the_admin_are_a_bad_request(superuser_client, history, path, query):
    """PostgreSQL refuses NUL in a string, and the admin's filters pass values to it unchecked."""
    assert get(superuser_client, path, query).status_code == 400


def test_real_dates_in_the_admin_drill_down_still_work(superuser_client, history):
    response = get(superuser_client, "/admin/inspections/inspection/", "start_date__year=2019&start_date__month=6")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [history.standard]
