"""Bad queries get JSON errors with the pages' own messages; pages and records that are not there, a JSON 404."""

import html
import re
from urllib.parse import unquote

import pytest
from api.pagination import DAMAGED_CURSOR, OTHER_ORDER_CURSOR
from inspections import keyset
from inspections.query_parameters import UNKNOWN
from tests.api.conftest import walk

pytestmark = pytest.mark.django_db


def problems(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"]
    return {(error["parameter"], error["message"]) for error in body["errors"]}


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    "page, api, query",
    [
        ("/councils/", "/api/councils/", "la_type=parish&region=Atlantis&start_date_after=2024-02-30"),
        ("/findings/", "/api/findings/", "kind=gossip&year=1066&start_date_before=yesterday&council=nowhere"),
    ],
)
def test_a_bad_value_gets_the_message_the_page_shows(client, record, page, api, query):
    from_api = problems(client.get(f"{api}?{query}"))
    shown = client.get(f"{page}?{query}")
    assert shown.status_code == 400
    assert len(from_api) == len(query.split("&"))
    for _parameter, message in from_api:
        assert message in html.unescape(page_text(shown)), message


def test_a_parameter_that_is_no_filter_is_named_not_ignored(client, record):
    found = problems(client.get("/api/inspections/?counsil=tower-hamlets&council=tower-hamlets&format=csv"))
    assert found == {
        ("counsil", UNKNOWN.format(name="counsil")),
        ("format", UNKNOWN.format(name="format")),
    }
    # A filter of another list is no filter of this one.
    assert problems(client.get("/api/key-figures/?area=adoption")) == {("area", UNKNOWN.format(name="area"))}


@pytest.mark.parametrize("page_size", ["0", "1001", "ten", "-1", "٣"])
def test_a_page_size_out_of_range_is_refused(client, record, page_size):
    assert problems(client.get(f"/api/inspections/?page_size={page_size}")) == {("page_size", "Enter a whole number from 1 to 1000.")}


def test_a_damaged_cursor_or_one_from_another_list_is_refused(client, record):
    body = client.get("/api/councils/?page_size=1").json()
    council_cursor = re.search(r"cursor=([^&]+)", body["next"]).group(1)
    damaged = council_cursor[:-3] + "xyz"
    for cursor in (damaged, "abc", keyset.sign("not a list"), council_cursor):
        found = problems(client.get(f"/api/findings/?cursor={cursor}"))
        assert [parameter for parameter, _message in found] == ["cursor"], cursor
    # The council list's own cursor is good.
    assert client.get(f"/api/councils/?page_size=1&cursor={council_cursor}").status_code == 200


def next_cursor(client, url):
    return unquote(re.search(r"cursor=([^&]+)", client.get(url).json()["next"]).group(1))


@pytest.mark.parametrize(
    "made_on, used_on",
    [
        ("/api/councils/?sort=date&page_size=3", "/api/councils/?sort=leaders&page_size=3"),
        ("/api/councils/?sort=date&page_size=3", "/api/councils/?sort=-help_and_protection&page_size=3"),
        ("/api/councils/?sort=date&page_size=3", "/api/councils/?sort=name&page_size=3"),
        ("/api/councils/?sort=overall_effectiveness&page_size=3", "/api/councils/?sort=-overall_effectiveness&page_size=3"),
        ("/api/inspections/?sort=council&page_size=3", "/api/inspections/?sort=date&page_size=3"),
        ("/api/judgements/?sort=date&page_size=3", "/api/findings/?sort=date&page_size=3"),
    ],
)
def test_a_cursor_from_another_list_or_sort_is_refused(client, record, made_on, used_on):
    cursor = next_cursor(client, made_on)
    assert problems(client.get(f"{used_on}&cursor={cursor}")) == {("cursor", OTHER_ORDER_CURSOR)}
    assert client.get(f"{made_on}&cursor={cursor}").status_code == 200


@pytest.mark.parametrize(
    "values",
    [
        ["Camden", "Camden", 3],  # a name where the date goes
        ["2019-06-10", 3, 3],  # a number where a name goes
        ["2019-06-10", "Camden", "3"],  # the key as text
        ["2019-06-10", "Camden", True],
        ["2019-06-10", "Camden", 3.5],
        ["2019-6-10", "Camden", 3],  # not as a cursor writes a date
        ["2019-02-30", "Camden", 3],
        ["2019-06-10", "Camden", [3]],
        ["2019-06-10", {"$gt": ""}, 3],
    ],
)
def test_a_cursor_whose_values_do_not_fit_its_order_is_refused(client, record, values):
    """Signed by the site, naming the right list and order, but holding values of the wrong kind."""
    made = keyset.unsign(next_cursor(client, "/api/councils/?sort=date&page_size=1"))
    forged = keyset.sign({**made, "after": values})
    assert problems(client.get(f"/api/councils/?sort=date&page_size=1&cursor={forged}")) == {("cursor", DAMAGED_CURSOR)}
    genuine = keyset.sign({**made, "after": ["2019-06-10", "Camden", 3]})
    assert client.get(f"/api/councils/?sort=date&page_size=1&cursor={genuine}").status_code == 200


def test_an_empty_cursor_is_the_first_page(client, record):
    for url in ("/api/councils/?page_size=2", "/api/findings/?said_by=press"):
        assert client.get(f"{url}&cursor=").json()["results"] == client.get(url).json()["results"]


def test_records_not_there_are_json_404s(client, record):
    for url, message in [
        ("/api/councils/atlantis/", "There is no council with that identifier."),
        (f"/api/inspections/{record.draft.pk}/", "There is no published inspection with that id."),
        ("/api/inspections/99999999999999999999/", "There is no published inspection with that id."),
        ("/api/nothing-here/", "There is nothing at this address: /api/ lists what there is."),
        ("/api/inspections/1%0A2/", "There is nothing at this address: /api/ lists what there is."),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": message}


def test_drafts_are_nowhere_in_the_api(client, record):
    texts = []
    for name in ("councils", "inspections", "judgements", "findings", "key-figures"):
        rows, _pages = walk(client, f"/api/{name}/?page_size=1000")
        texts.append(str(rows))
    findings, _pages = walk(client, "/api/findings/?said_by=press")
    texts.append(str(findings))
    everything = " ".join(texts)
    assert "Secret draft theme" not in everything
    assert "must stay hidden" not in everything
    assert f"/inspections/{record.draft.pk}/" not in everything


def test_the_api_only_reads(client, record):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/inspections/", data={}, content_type="application/json")
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/json"


def test_a_former_council_is_answered_by_its_identifier(client, record):
    """Lists leave former councils out unless asked; one council by its identifier is answered either way."""
    response = client.get(f"/api/councils/{record.former.slug}/")
    assert response.status_code == 200 and response.json()["is_current"] is False
    assert record.former.slug not in {row["slug"] for row in client.get("/api/councils/").json()["results"]}
