"""Hostile values in every parameter of the findings search (words, filters, sort, page): never a 500."""

import pytest
from hypothesis import given

from inspections.filtersets import FindingFilterSet
from tests.security.hostile import ALLOWED_STATUSES, HOSTILE_SETTINGS, get, query_strings

pytestmark = pytest.mark.django_db

PARAMETERS = {
    "q", "said_by", "year", "kind", "area", "council", "region", "la_type", "framework", "event_type", "sort", "page",
    "start_date_after", "start_date_before",
}  # fmt: skip


def test_every_filter_is_attacked():
    assert set(FindingFilterSet().form.fields) - {"start_date"} <= PARAMETERS


@HOSTILE_SETTINGS
@given(query=query_strings(PARAMETERS))
def test_findings_search_survives_hostile_parameters(client, history, query):
    response = get(client, "/findings/", query)
    assert response.status_code in ALLOWED_STATUSES, query
