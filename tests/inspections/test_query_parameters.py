"""One policy for query parameters (inspections/query_parameters.py): every list, whether a page, a CSV export or
an API list, answers the same bad parameter with a 400 and the same message, and ignores the same tracking tags."""

import html
import re
from collections import defaultdict

import pytest
from django.urls import reverse

from api.urls import router
from inspections.exports import DATASETS
from inspections.filtersets import CouncilFilterSet, FindingFilterSet
from inspections.query_parameters import is_filter

pytestmark = pytest.mark.django_db

# Every list that takes filters, with the FilterSet that reads them. The exports and the API's lists are
# read from where they are declared, so that a new one is walked too.
PAGES = [(reverse("council-list"), CouncilFilterSet), (reverse("finding-search"), FindingFilterSet)]
EXPORTS = [(reverse("export-csv", args=[name]), dataset.filterset_class) for name, dataset in DATASETS.items()]
API_LISTS = [(f"/api/{prefix}/", viewset.filterset_class) for prefix, viewset, _basename in router.registry]
LISTS = PAGES + EXPORTS + API_LISTS
EXPORT_INDEX = reverse("export-index")

UNKNOWN_NAME = ("grdae", "good")
BAD_QUERIES = [
    UNKNOWN_NAME,
    ("la_type", "parish"),  # a choice no list offers
    ("start_date_after", "2024-02-30"),  # a date that is not there
    ("year", "ninety"),  # a number (of the findings' lists; no filter of the others)
]


def text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def answer(client, url, query):
    """(status, {(parameter, message)}) as the list gives them: the API's JSON errors, or the problems a page
    or an export's error page shows, each message checked to be on it as written."""
    response = client.get(url, query)
    if response["Content-Type"] == "application/json":
        errors = response.json().get("errors", []) if response.status_code != 200 else []
        return response.status_code, {(error["parameter"], error["message"]) for error in errors}
    if response.status_code == 200:
        return 200, set()
    problems = response.context.get("errors") or response.context.get("problems")
    shown = text(response)
    for problem in problems:
        assert problem.message in shown, (url, problem)
    return response.status_code, {(problem.parameter, problem.message) for problem in problems}


@pytest.mark.parametrize("name, value", BAD_QUERIES, ids=[name for name, _value in BAD_QUERIES])
def test_every_list_gives_the_same_answer_to_the_same_bad_parameter(client, history, name, value):
    answers = {url: answer(client, url, {name: value}) for url, _filterset in LISTS}
    assert {status for status, _problems in answers.values()} == {400}, answers
    for url, (_status, problems) in answers.items():
        assert {parameter for parameter, _message in problems} == {name}, url  # as the reader typed it

    # The lists with no such filter answer as to a misspelt name; the lists of one FilterSet, alike.
    misspelt = {message.replace(f"“{UNKNOWN_NAME[0]}”", f"“{name}”") for _p, message in answer(client, LISTS[0][0], dict([UNKNOWN_NAME]))[1]}
    by_filterset = defaultdict(set)
    for url, filterset in LISTS:
        problems = answers[url][1]
        if is_filter(filterset, name):
            by_filterset[filterset].add(frozenset(problems))
        else:
            assert {message for _parameter, message in problems} == misspelt, url
    for filterset, distinct in by_filterset.items():
        assert len(distinct) == 1, (filterset, distinct)
    # Across FilterSets a bad value's message differs only in its label (each form's name for the filter).
    reasons = {message.split(": ", 1)[1] for found in by_filterset.values() for problems in found for _p, message in problems}
    assert len(reasons) <= 1, reasons


@pytest.mark.parametrize("name, value", BAD_QUERIES, ids=[name for name, _value in BAD_QUERIES])
def test_the_export_page_says_what_each_export_says(client, history, name, value):
    """/export/ takes every dataset's filters: its problems are those of the exports, each said once."""
    status, problems = answer(client, EXPORT_INDEX, {name: value})
    takers = [url for url, filterset in EXPORTS if is_filter(filterset, name)]
    expected = set().union(*(answer(client, url, {name: value})[1] for url in takers or [EXPORTS[0][0]]))
    assert (status, problems) == (400, expected)


def test_every_problem_of_a_query_at_once_in_the_order_given(client, history):
    query = "start_date_after=2024-02-30&grdae=good&la_type=parish"
    for url, _filterset in PAGES:
        problems = client.get(f"{url}?{query}").context["errors"]
        assert [problem.parameter for problem in problems] == ["start_date_after", "grdae", "la_type"], url
    for url, _filterset in API_LISTS:
        errors = client.get(f"{url}?{query}").json()["errors"]
        assert [error["parameter"] for error in errors] == ["start_date_after", "grdae", "la_type"], url


def test_a_page_or_record_that_lists_nothing_ignores_what_it_does_not_read(client, history):
    """The rule is for lists: a record, or a page of one, has no filter a misspelt one could be mistaken for."""
    for url in (f"/api/inspections/{history.short.pk}/", "/api/councils/tower-hamlets/", "/councils/tower-hamlets/"):
        assert client.get(url, dict([UNKNOWN_NAME])).status_code == 200, url


@pytest.mark.parametrize("tag", ["utm_source", "utm_campaign", "fbclid", "gclid"])
def test_tracking_tags_are_ignored_by_every_list(client, history, tag):
    for url, _filterset in [*LISTS, (EXPORT_INDEX, None)]:
        plain = client.get(url)
        tagged = client.get(url, {tag: "newsletter"})
        assert tagged.status_code == plain.status_code == 200, url
        if not tagged.streaming:
            assert tag not in tagged.content.decode(), url  # nor carried into the page's links


def test_a_tracking_tag_is_the_same_stored_page(client, history, django_assert_max_num_queries):
    url = reverse("council-list") + "?region=E12000007"
    client.get(url)
    with django_assert_max_num_queries(1):  # the data version; the page itself comes from the cache
        stored = client.get(url + "&utm_source=newsletter&fbclid=abc")
    assert stored.status_code == 200 and stored.context is None


def test_what_the_sites_own_forms_and_links_send_is_taken(client, history, monkeypatch):
    monkeypatch.setattr("dashboard.views.FINDINGS_PER_PAGE", 1)  # so that the findings have a "Next" link
    for url, _filterset in PAGES:
        page = client.get(url).content.decode()
        # Every input of the page's forms, sent at once as an unchosen form sends it; then every link in the page.
        names = set(re.findall(r'<(?:input|select)\b[^>]*\bname="([^"]+)"', page))
        assert {"start_date_after", "start_date_before"} <= names, names
        assert client.get(url, {name: "" for name in names}).status_code == 200, (url, names)
        links = {html.unescape(href) for href in re.findall(r'href="(\?[^"#]*)', page)}
        for link in links:
            assert client.get(f"{url}{link}").status_code == 200, link
    assert client.get("/export/findings.csv?region=E12000007&bom=1").status_code == 200
    assert client.get("/api/findings/?region=E12000007&page_size=2&cursor=").status_code == 200
