"""Each page runs a fixed number of SQL queries, whatever the number of councils, inspections and findings.

Every page is requested on a small database (one council's history and a few others) and on a larger
one (twenty more councils with the same history, neighbours, findings and figures); the same ceiling
must hold for both.
"""

import pytest
from django.urls import reverse

from councils.models import Council
from tests.dashboard.conftest import build_history
from tests.factories import CouncilFactory, StatisticalNeighbourFactory

pytestmark = pytest.mark.django_db

# The most queries each page may run (the tests below show where each comes from).
OVERVIEW = 7  # the data version, then (when not cached for this version) latest grades per council, grade
# transitions, activity per year, the count of inspections and visits, recent events + judgements
OVERVIEW_CACHED = 1  # the data version; the aggregates and the rendered content come from the cache
COUNCIL_LIST = 4  # regions for the filter, count, a page of councils with their latest grades, a region by code
COUNCIL_PAGE = 11  # council, successors, predecessors, events + judgements + findings + sources,
# key figures, comparison councils, their full inspections + those inspections' judgements
INSPECTION_PAGE = 7  # event, judgements, findings, sources, disagreements with their sources, the council's
# events + their judgements
COVERAGE = 3  # the data version, then (when not cached for this version) counts by year and type, by council
COVERAGE_CACHED = 1  # the data version
FINDINGS = 8  # count, page, per-year counts, regions and councils for the form, region and council by code


@pytest.fixture(params=["small", "larger"])
def data(request, history):
    if request.param == "larger":
        region = history.council.region
        others = []
        for _ in range(20):
            council = CouncilFactory(region=region, la_type=Council.LAType.LONDON_BOROUGH)
            build_history(council)
            others.append(council)
        for rank, other in enumerate(others[:8], start=3):
            StatisticalNeighbourFactory(council=history.council, neighbour=other, rank=rank)
    return history


def test_overview(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(OVERVIEW):
        assert client.get(reverse("overview")).status_code == 200
    with django_assert_max_num_queries(OVERVIEW_CACHED):
        assert client.get(reverse("overview")).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{}, {"region": "E12000007", "grade": "good", "change": "improved", "sort": "-date"}, {"q": "tower"}],
)
def test_council_list(client, data, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(COUNCIL_LIST):
        assert client.get(reverse("council-list"), params).status_code == 200


def test_council_page(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(COUNCIL_PAGE):
        assert client.get(reverse("council-detail", args=["tower-hamlets"])).status_code == 200


@pytest.mark.parametrize("event", ["short", "monitoring_5", "unannounced"])
def test_inspection_page(client, data, event, django_assert_max_num_queries):
    inspection = getattr(data, event)
    with django_assert_max_num_queries(INSPECTION_PAGE):
        assert client.get(reverse("inspection-detail", args=[inspection.pk])).status_code == 200


def test_coverage(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(COVERAGE):
        assert client.get(reverse("coverage")).status_code == 200
    with django_assert_max_num_queries(COVERAGE_CACHED):
        assert client.get(reverse("coverage")).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "caseload", "kind": "what_needs_to_improve", "year": "2017"},
        {"council": "tower-hamlets", "region": "E12000007", "start_date_after": "2010-01-01", "page": "2"},
    ],
)
def test_findings(client, data, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(FINDINGS):
        assert client.get(reverse("finding-search"), params).status_code == 200


def test_bad_input_pages_are_cheap_too(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(COUNCIL_LIST):
        assert client.get(reverse("council-list"), {"grade": "nonsense"}).status_code == 400
    with django_assert_max_num_queries(FINDINGS):
        assert client.get(reverse("finding-search"), {"start_date_after": "yesterday"}).status_code == 400
    with django_assert_max_num_queries(1):
        assert client.get("/councils/no-such-council/").status_code == 404
