"""Hostile values in every filter of every CSV export, and of the exports page: never a 500, never a
broken file (a streamed export is read to its end)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections.exports import DATASETS
from tests.security.hostile import ALLOWED_STATUSES, HOSTILE_SETTINGS, get, query_strings

pytestmark = pytest.mark.django_db


def parameters(dataset):
    names = set()
    for name in dataset.filterset_class.base_filters:
        if name == "start_date":
            names |= {"start_date_after", "start_date_before"}
        else:
            names.add(name)
    return names | {"bom"}


ALL_PARAMETERS = set().union(*(parameters(dataset) for dataset in DATASETS.values()))


@pytest.mark.parametrize("name", list(DATASETS))
@HOSTILE_SETTINGS
@given(data=st.data())
def test_export_survives_hostile_parameters(client, history, name, data):
    query = data.draw(query_strings(parameters(DATASETS[name])), label="query")
    response = get(client, f"/export/{name}.csv", query)
    assert response.status_code in ALLOWED_STATUSES, query
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/csv")


@HOSTILE_SETTINGS
@given(query=query_strings(ALL_PARAMETERS))
def test_export_index_survives_hostile_parameters(client, history, query):
    response = get(client, "/export/", query)
    assert response.status_code in ALLOWED_STATUSES, query
