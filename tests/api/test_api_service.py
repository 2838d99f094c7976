"""The API as a service: a valid OpenAPI schema, throttling per address, CORS, caching and bounded queries."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from django.core.cache import caches

from inspection_tracker import throttling
from inspections.filtersets import CouncilFilterSet, FindingFilterSet, InspectionFilterSet, JudgementFilterSet, KeyFigureFilterSet
from tests.api.conftest import walk
from tests.histories import build_history
from tests.settings_process import settings_in_a_new_process
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


# -- The schema --------------------------------------------------------------------------------------


def test_the_openapi_schema_is_valid_and_names_every_filter(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for path, filterset in {
        "/api/councils/": CouncilFilterSet,
        "/api/inspections/": InspectionFilterSet,
        "/api/judgements/": JudgementFilterSet,
        "/api/findings/": FindingFilterSet,
        "/api/key-figures/": KeyFigureFilterSet,
    }.items():
        documented = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        for name, filter_ in filterset.base_filters.items():
            names = {f"{name}_after", f"{name}_before"} if name == "start_date" else {name}
            assert names <= documented, (path, name)
        assert {"cursor", "page_size"} <= documented
    # The same in JSON at its own address; and each address one format, whatever a client accepts.
    json_schema = client.get("/api/schema.json", HTTP_ACCEPT="application/yaml")
    assert json_schema["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json_schema.json() == schema
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").content == response.content


def test_the_documentation_page_needs_nothing_from_outside(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "<script>" not in html  # the Content-Security-Policy allows neither
    assert "http" not in html.split("<body", 1)[1]  # no address outside the site
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


# -- Throttling ------------------------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings):
    settings.API_THROTTLE_RATE = "3/minute"


def test_an_address_that_asks_too_often_is_told_when_to_come_back(client, record, three_a_minute):
    # Each query differs, so that none is answered from the cache (which costs nothing and is not counted).
    for year in (2017, 2018, 2019):
        assert client.get(f"/api/findings/?year={year}", REMOTE_ADDR="203.0.113.9").status_code == 200
    refused = client.get("/api/findings/?year=2020", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    assert refused.json() == {"detail": f"Too many requests from your address: try again in {wait} seconds."}
    # Another address is not held back; nor is a page already cached.
    assert client.get("/api/findings/?year=2020", REMOTE_ADDR="203.0.113.10").status_code == 200
    assert client.get("/api/findings/?year=2017", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_behind_a_proxy_the_clients_own_address_is_counted(client, record, three_a_minute, settings):
    settings.PROXY_COUNT = 1
    for year in (2017, 2018, 2019):
        response = client.get(f"/api/findings/?year={year}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 200
    assert client.get("/api/findings/?year=2020", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # The proxy's own address is shared by every client: another client behind it is not held back.
    assert client.get("/api/findings/?year=2020", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_the_rate_is_configured_and_checked_at_start():
    rate = "settings.API_THROTTLE_RATE"
    assert settings_in_a_new_process(rate, API_THROTTLE_RATE="30/hour").stdout.strip() == "30/hour"
    assert settings_in_a_new_process(rate, API_THROTTLE_RATE="off").stdout.strip() == "off"
    wrong = settings_in_a_new_process(rate, API_THROTTLE_RATE="lots")
    assert wrong.returncode != 0
    assert "API_THROTTLE_RATE must be a number of requests per second, minute, hour or day" in wrong.stderr


def test_a_crowd_of_addresses_evicts_neither_the_counts_nor_the_aggregates(client, record, settings, monkeypatch):
    """The counts have a store of their own: a crowd of other addresses, each asking for something not
    stored, neither frees a throttled address nor pushes the national aggregates out of theirs (an
    in-memory cache keeps 300 entries unless told otherwise)."""
    # Three an hour, and the throttle's clock stands still: on a slow machine the 400 requests may take
    # longer than a minute, and the cache lets a count expire after the rate's period by the real clock.
    settings.API_THROTTLE_RATE = "3/hour"
    monkeypatch.setattr(throttling.ClientAddressThrottle, "timer", lambda throttle: 1_000_000.0)
    client.get("/")  # the overview's aggregates, computed and cached
    aggregates = len(caches["default"]._cache)
    for year in (2017, 2018, 2019):
        client.get(f"/api/findings/?year={year}", REMOTE_ADDR="203.0.113.9")
    for number in range(400):
        address = f"198.18.{number // 250}.{number % 250}"
        assert client.get(f"/api/councils/crowd-{number}/", REMOTE_ADDR=address).status_code == 404
    assert client.get("/api/findings/?year=2020", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert len(caches["default"]._cache) >= aggregates
    assert len(caches["throttle"]._cache) >= 401


def test_pages_an_address_makes_us_render_count_against_the_same_limit(client, record, three_a_minute):
    """Made-up query strings cannot render pages without end (nor fill the page cache); a stored page is
    always served, and the API and the pages share one count."""
    address = {"REMOTE_ADDR": "203.0.113.20"}
    assert client.get("/councils/", **address).status_code == 200
    assert client.get("/councils/?q=a", **address).status_code == 200
    assert client.get("/api/findings/?year=2017", **address).status_code == 200
    refused = client.get("/councils/?q=b", **address)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60 and f"Try again in {wait} second" in refused.content.decode()
    assert client.get("/api/findings/?year=2018", **address).status_code == 429
    # What is stored is served; another address is not held back.
    assert client.get("/councils/?q=a", **address).status_code == 200
    assert client.get("/api/findings/?year=2017", **address).status_code == 200
    assert client.get("/councils/?q=b", REMOTE_ADDR="203.0.113.21").status_code == 200


def test_the_counts_are_kept_apart_and_shared_with_cache_url():
    assert throttling.ClientAddressThrottle().cache is caches["throttle"]
    shared = settings_in_a_new_process("settings.CACHES['throttle']", CACHE_URL="redis://127.0.0.1:6379/0").stdout
    assert "RedisCache" in shared and "'KEY_PREFIX': 'throttle'" in shared
    local = settings_in_a_new_process("settings.CACHES['throttle']['OPTIONS']", THROTTLE_ENTRIES="5000").stdout
    assert local.strip() == "{'MAX_ENTRIES': 5000}"


# -- CORS ------------------------------------------------------------------------------------------------


def test_any_site_may_read_the_api_but_not_the_pages(client, record):
    origin = {"HTTP_ORIGIN": "https://dashboard.example.org"}
    for _attempt in range(2):  # rendered, then from the cache
        response = client.get("/api/councils/", **origin)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/inspections/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert not client.get("/councils/", **origin).has_header("Access-Control-Allow-Origin")


# -- Cached and conditional, as the pages are ----------------------------------------------------------


def test_a_first_page_is_stored_and_a_repeat_costs_one_query(client, record):
    first = client.get("/api/inspections/?council=tower-hamlets", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/inspections/?council=tower-hamlets")
    assert len(queries) == 1  # the data version
    assert again.json()["results"] == client.get("/api/inspections/?council=tower-hamlets").json()["results"]
    not_modified = client.get("/api/inspections/?council=tower-hamlets", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304


def test_a_change_to_the_data_is_served_at_once(client, record):
    before = client.get("/api/inspections/?council=tower-hamlets").json()["results"]
    record.sif.lead_inspector = "A. N. Other"
    record.sif.save()
    after = client.get("/api/inspections/?council=tower-hamlets").json()["results"]
    assert [row["lead_inspector"] for row in after if row["id"] == record.sif.pk] == ["A. N. Other"]
    assert len(before) == len(after)


def test_later_pages_are_not_stored_but_are_conditional(client, record):
    next_page = client.get("/api/findings/?page_size=1").json()["next"]
    first = client.get(next_page)
    with CaptureQueriesContext(connection) as queries:
        client.get(next_page)
    assert len(queries) > 1  # rendered again: a walk through every page would fill the cache
    assert client.get(next_page, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


# -- Queries per list ----------------------------------------------------------------------------------

LIST_QUERIES = {
    # the data version, a list's count, the rows, then one per prefetched relation
    "/api/councils/": 5,  # their full inspections and those inspections' judgements (current grades)
    "/api/inspections/": 5,  # judgements, sources
    "/api/judgements/": 3,
    "/api/findings/": 3,
    "/api/key-figures/": 4,  # the other sources of each figure
    "/api/councils/tower-hamlets/": 4,
}


@pytest.mark.parametrize("url", list(LIST_QUERIES))
def test_a_page_costs_the_same_queries_however_many_rows(client, record, url):
    for number in range(8):
        build_history(CouncilFactory(name=f"Council {number}", slug=f"council-{number}", region=record.council.region))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?page_size=1000" if url.endswith("s/") else url)
    assert response.status_code == 200
    assert len(queries) == LIST_QUERIES[url], "\n".join(query["sql"][:200] for query in queries)


def test_walking_a_list_gives_each_row_once(client, record):
    for number in range(3):
        build_history(CouncilFactory(name=f"Council {number}", slug=f"council-{number}", region=record.council.region))
    rows, pages = walk(client, "/api/findings/?page_size=4&sort=-date")
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == len(walk(client, "/api/findings/?page_size=1000")[0])
    assert pages == -(-len(ids) // 4)
