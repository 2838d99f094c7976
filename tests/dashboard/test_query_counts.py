"""Each page runs a fixed number of SQL queries, whatever the number of councils, inspections and findings.

Every page is requested on a small database (one council's history and a few others) and on a larger
one (twenty more councils with the same history, neighbours, findings and figures); the same ceiling
must hold for both.
"""

import pytest
from django.urls import reverse

from councils.models import Council
from tests.conftest import kept_for_the_module
from tests.histories import build_history, make_history
from tests.factories import CouncilFactory, StatisticalNeighbourFactory

pytestmark = pytest.mark.django_db

# The most queries each page may run (the tests below show where each comes from). Every public page
# first reads the data version (inspection_tracker/page_cache.py); a page stored for that version costs nothing more.
OVERVIEW = 15  # the data version, then (when not cached for this version) the version again for the
# aggregates, the version and current grades per council (its councils, their full inspections and those
# inspections' judgements: national, shared with the map's default area),
# grade transitions, activity per year, the count of inspections and visits, recent events + judgements;
# the version again for the map's default area (cached) and for the map, its councils with their
# current grades in the chosen area and their boundary codes
STORED = 1  # the data version: the rendered page comes from the cache
COUNCIL_LIST = 13  # the data version, regions for the filter, count, a page of councils, their full
# inspections and those inspections' judgements (current grades), a region by code; the version and current
# grades per council for the map's default area (councils, full inspections, judgements)
# (national, cached); the version again for the map (cached apart from the page), its councils with
# their current grades in the chosen area and their boundary codes
COUNCIL_SEARCH = COUNCIL_LIST + 1  # searched by name (q) rather than a region by code: the councils and their
# aliases, read once to find what the query names (councils/lookup.py)
COUNCIL_PAGE = 12  # the data version, council, successors, predecessors, events + judgements + findings +
# sources, key figures, comparison councils, their full inspections + those inspections' judgements
INSPECTION_PAGE = 8  # the data version, event, judgements, findings, sources, disagreements with their
# sources, the council's events + their judgements
COVERAGE = 7  # the data version, then (when not cached for this version) the version again for the
# aggregates, counts by year and type, by council; what the record lacks: the first nationally graded
# inspection, the graded inspections and visits, the councils (current or former, graded since, with a SIF one)
FINDINGS = 9  # the data version, count, page, per-year counts, regions and councils for the form, region
# and council by code


def twice(client, url, params, ceiling, assert_max_queries):
    """Requests a page (at most `ceiling` queries), then again, served from the cache of rendered pages."""
    with assert_max_queries(ceiling):
        first = client.get(url, params)
    with assert_max_queries(STORED):
        second = client.get(url, params)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content


@pytest.fixture(scope="module", params=["small", "larger"])
def built(request, django_db_setup, django_db_blocker):
    """Each size built once for the module; the tests only read it."""
    with kept_for_the_module(django_db_blocker):
        history = make_history()
        if request.param == "larger":
            others = []
            for _ in range(20):
                council = CouncilFactory(region=history.council.region, la_type=Council.LAType.LONDON_BOROUGH)
                build_history(council)
                others.append(council)
            for rank, other in enumerate(others[:8], start=3):
                StatisticalNeighbourFactory(council=history.council, neighbour=other, rank=rank)
        yield history


@pytest.fixture
def data(built, db):
    return built


@pytest.mark.parametrize("params", [{}, {"map": "care_leavers"}])
def test_overview(client, data, params, django_assert_max_num_queries):
    twice(client, reverse("overview"), params, OVERVIEW, django_assert_max_num_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "E12000007", "grade": "good", "change": "improved", "sort": "-date"},
        {"map": "leaders", "page": "2"},
    ],
)
def test_council_list(client, data, params, django_assert_max_num_queries):
    twice(client, reverse("council-list"), params, COUNCIL_LIST, django_assert_max_num_queries)


@pytest.mark.parametrize("q", ["tower", "Towr Hamlets", "Atlantis"])
def test_council_list_searched_by_name(client, data, q, django_assert_max_num_queries):
    twice(client, reverse("council-list"), {"q": q}, COUNCIL_SEARCH, django_assert_max_num_queries)


@pytest.mark.parametrize("q, goes_to", [("Tower Hamlets", "/councils/tower-hamlets/"), ("tow", "/councils/?q=tow")])
def test_the_home_search_goes_on_after_reading_the_councils_once(client, data, q, goes_to, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the data version, the councils and their aliases
        response = client.get(reverse("overview"), {"q": q})
    assert (response.status_code, response["Location"]) == (302, goes_to)


def test_council_page(client, data, django_assert_max_num_queries):
    twice(client, reverse("council-detail", args=["tower-hamlets"]), {}, COUNCIL_PAGE, django_assert_max_num_queries)


@pytest.mark.parametrize("event", ["short", "monitoring_5", "unannounced"])
def test_inspection_page(client, data, event, django_assert_max_num_queries):
    inspection = getattr(data, event)
    twice(client, reverse("inspection-detail", args=[inspection.pk]), {}, INSPECTION_PAGE, django_assert_max_num_queries)


def test_coverage(client, data, django_assert_max_num_queries):
    twice(client, reverse("coverage"), {}, COVERAGE, django_assert_max_num_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "caseload", "kind": "what_needs_to_improve", "year": "2017"},
        {"council": "tower-hamlets", "region": "E12000007", "start_date_after": "2010-01-01", "page": "2"},
    ],
)
def test_findings(client, data, params, django_assert_max_num_queries):
    twice(client, reverse("finding-search"), params, FINDINGS, django_assert_max_num_queries)


def test_bad_input_pages_are_cheap_too(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(COUNCIL_LIST):
        assert client.get(reverse("council-list"), {"grade": "nonsense"}).status_code == 400
    with django_assert_max_num_queries(COUNCIL_LIST):
        assert client.get(reverse("council-list"), {"map": "nonsense"}).status_code == 400
    with django_assert_max_num_queries(OVERVIEW):
        assert client.get(reverse("overview"), {"map": "nonsense"}).status_code == 400
    with django_assert_max_num_queries(FINDINGS):
        assert client.get(reverse("finding-search"), {"start_date_after": "yesterday"}).status_code == 400
    with django_assert_max_num_queries(2):  # the data version, the council
        assert client.get("/councils/no-such-council/").status_code == 404
