"""Hostile values in every parameter of the council list (its filters and sort): never a 500."""

import pytest
from hypothesis import given

from inspections.filtersets import CouncilFilterSet
from tests.security.hostile import ALLOWED_STATUSES, HOSTILE_SETTINGS, get, query_strings

pytestmark = pytest.mark.django_db

PARAMETERS = {
    "q", "region", "la_type", "grade", "change", "area", "status", "sort", "start_date_after", "start_date_before"}  # fmt: skip


def test_every_filter_is_attacked():
    assert set(CouncilFilterSet().form.fields) - {"start_date"} <= PARAMETERS


@HOSTILE_SETTINGS
@given(query=query_strings(PARAMETERS))
def test_council_list_survives_hostile_parameters(client, history, query):
    response = get(client, "/councils/", query)
    assert response.status_code in ALLOWED_STATUSES, query
