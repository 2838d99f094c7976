"""What a developer needs without asking: how many rows a query matches, errors under the parameter sent with
what to send instead, no precision for a date that is not there, and the way to the documentation from /api/."""

import html
import re

import pytest

from inspections.query_parameters import INVALID_DATE
from inspections.models import Source
from tests.api.conftest import walk
from tests.api.test_api_errors import problems

pytestmark = pytest.mark.django_db

LISTS = ["/api/councils/", "/api/inspections/", "/api/judgements/", "/api/findings/", "/api/key-figures/"]


@pytest.mark.parametrize("url", LISTS)
def test_every_page_of_a_list_says_how_many_rows_the_query_matches(client, record, url):
    rows, pages = walk(client, f"{url}?page_size=2")
    assert pages > 1
    counts = set()
    next_url = f"{url}?page_size=2"
    while next_url:
        body = client.get(next_url).json()
        counts.add(body["count"])
        next_url = body["next"]
    assert counts == {len(rows)}


def test_the_count_is_of_the_filtered_query(client, record):
    body = client.get("/api/inspections/?council=tower-hamlets&page_size=1").json()
    rows, _pages = walk(client, "/api/inspections/?council=tower-hamlets")
    assert body["count"] == len(rows) == record.council.inspections.published().count()
    assert client.get("/api/inspections/?council=tower-hamlets&start_date_after=2100-01-01").json()["count"] == 0


@pytest.mark.parametrize("base", ["/api/inspections/", "/api/findings/", "/api/judgements/", "/api/key-figures/"])
def test_an_unknown_council_is_answered_with_the_nearest_and_where_every_council_is_listed(client, record, base):
    ((parameter, message),) = problems(client.get(f"{base}?council=tower-hamlet"))
    assert parameter == "council"
    assert message == (
        "Council: “tower-hamlet” is not a council's identifier. The nearest: “tower-hamlets” (Tower Hamlets). "
        "Every council's identifier (its page's address ends with it) is listed at /api/councils/."
    )
    listed = {council["slug"] for council in walk(client, "/api/councils/?status=all")[0]}
    assert "tower-hamlets" in listed


def test_a_council_nowhere_near_any_gets_the_list_without_a_guess(client, record):
    ((_parameter, message),) = problems(client.get("/api/inspections/?council=zzzzzzzz"))
    assert message == (
        "Council: “zzzzzzzz” is not a council's identifier. Every council's identifier (its page's address ends with it) "
        "is listed at /api/councils/."
    )


def test_the_pages_and_exports_say_the_same_of_an_unknown_council(client, record):
    ((_parameter, message),) = problems(client.get("/api/findings/?council=Tower Hamlet"))
    assert "“tower-hamlets” (Tower Hamlets)" in message
    page = html.unescape(client.get("/findings/?council=Tower Hamlet").content.decode())
    assert message in re.sub(r"\s+", " ", page)
    export = client.get("/export/findings.csv?council=Tower Hamlet")
    assert export.status_code == 400
    assert message in re.sub(r"\s+", " ", html.unescape(export.content.decode()))


FROM, TO = f"Start date (from): {INVALID_DATE}", f"Start date (to): {INVALID_DATE}"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("start_date_after=2024-02-30", {("start_date_after", FROM)}),
        ("start_date_before=yesterday", {("start_date_before", TO)}),
        ("start_date_after=2024-13-01&start_date_before=soon", {("start_date_after", FROM), ("start_date_before", TO)}),
        ("start_date_after=2024-02-30&start_date_before=2024-03-31", {("start_date_after", FROM)}),
    ],
)
def test_a_bad_date_is_reported_under_the_parameter_sent(client, record, query, expected):
    assert problems(client.get(f"/api/inspections/?{query}")) == expected
    export = client.get(f"/export/inspections.csv?{query}")
    assert export.status_code == 400
    text = html.unescape(export.content.decode())
    assert all(message in text for _parameter, message in expected)


def test_a_date_that_is_not_there_has_no_precision(client, record):
    inspections = {row["id"]: row for row in walk(client, "/api/inspections/")[0]}
    assert inspections[record.undated.pk]["start_date"] is None
    assert inspections[record.undated.pk]["date_precision"] is None
    assert inspections[record.short.pk]["date_precision"] == "day"
    assert inspections[record.safeguarding.pk]["date_precision"] == "month"
    undated_source = record.short.sources.create(kind=Source.Kind.OFSTED_REPORT, publisher="Ofsted", title="Undated letter")
    (short,) = [row for row in walk(client, "/api/inspections/?council=tower-hamlets")[0] if row["id"] == record.short.pk]
    precisions = {source["title"]: (source["date"], source["date_precision"]) for source in short["sources"]}
    assert precisions[undated_source.title] == (None, None)
    assert precisions[record.source.title][1] == "day"


def test_the_api_root_leads_to_its_documentation(client, record):
    root = client.get("/api/").json()
    assert root["docs"] == "http://testserver/api/docs/"
    assert root["schema"] == "http://testserver/api/schema/"
    assert root["schema-json"] == "http://testserver/api/schema.json"
    assert root["councils"] == "http://testserver/api/councils/"
    for name in ("docs", "schema", "schema-json"):
        assert client.get(root[name]).status_code == 200

