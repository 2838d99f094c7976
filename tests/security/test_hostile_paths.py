"""Hostile values in the pages' paths (/councils/<slug>/, /inspections/<id>/, /export/<name>.csv) and in
the query strings of pages that take none: never a 500."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.hostile import ALLOWED_STATUSES, HOSTILE_SETTINGS, get, path_segments, query_strings

pytestmark = pytest.mark.django_db


@HOSTILE_SETTINGS
@given(slug=path_segments())
def test_council_page_survives_hostile_slugs(client, history, slug):
    assert get(client, f"/councils/{slug}/").status_code in ALLOWED_STATUSES, slug


@HOSTILE_SETTINGS
@given(pk=st.one_of(st.integers(min_value=0, max_value=10**40).map(str), path_segments()))
def test_inspection_page_survives_hostile_ids(client, history, pk):
    assert get(client, f"/inspections/{pk}/").status_code in ALLOWED_STATUSES, pk


@HOSTILE_SETTINGS
@given(name=path_segments())
def test_export_survives_hostile_dataset_names(client, history, name):
    assert get(client, f"/export/{name}.csv").status_code in ALLOWED_STATUSES, name


@HOSTILE_SETTINGS
@given(
    path=st.sampled_from(["/", "/councils/tower-hamlets/", "inspection", "/healthz"]),
    query=query_strings({"q", "page", "sort", "id", "format"}),
)
def test_pages_without_parameters_ignore_hostile_ones(client, history, path, query):
    if path == "inspection":
        path = history.short.get_absolute_url()
    response = get(client, path, query)
    # The home page's council search (q) sends a search on to the council list, or to the council it names.
    searched = path == "/" and response.status_code == 302 and response["Location"].startswith("/councils/")
    assert searched or response.status_code in ALLOWED_STATUSES, (path, query)
