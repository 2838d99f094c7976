"""Findings search: text search (full text on PostgreSQL, a plain match elsewhere), filters, counts per year."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from inspections.filtersets import FindingFilterSet
from inspections.models import Finding
from tests.factories import FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def search(client, **params):
    response = client.get(reverse("finding-search"), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def texts(response):
    return [finding.text for finding in response.context["page"].object_list]


def test_lists_published_findings_newest_first(client, history):
    response = search(client)
    found = texts(response)
    assert found[0] == "Help care leavers to find suitable homes."
    assert len(found) == 5
    assert not any("Draft" in text for text in found)


def test_text_search_matches_words(client, history):
    found = texts(search(client, q="caseload"))
    assert sorted(found) == [
        "Caseload management lacks oversight.",
        "Reduce social workers' caseloads so that they can see children often enough.",
    ]
    assert texts(search(client, q="plans children")) == ["Improve the quality of plans for children in need."]
    assert texts(search(client, q="nothing-like-this")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_full_text_search_stems_words_on_postgresql(client, history):
    found = texts(search(client, q="caseloads"))
    assert len(found) == 2  # "caseloads" also finds "caseload"
    assert texts(search(client, q='"quality of plans"')) == ["Improve the quality of plans for children in need."]


def test_filter_by_kind_area_council_region_and_date(client, history):
    assert texts(search(client, kind="strength")) == ["Thresholds at the front door are well understood."]
    assert texts(search(client, area="care_leavers")) == ["Help care leavers to find suitable homes."]
    assert len(texts(search(client, council="tower-hamlets"))) == 5
    assert texts(search(client, council="hackney")) == []
    assert len(texts(search(client, region="E12000007"))) == 5
    assert texts(search(client, region="E12000002")) == []
    found = texts(search(client, start_date_after="2011-01-01", start_date_before="2018-01-01"))
    assert len(found) == 2 and all("2017" not in text for text in found)


def test_counts_matching_findings_per_year(client, history):
    response = search(client, q="caseload")
    chart = response.context["chart"]
    assert [row[:3] for row in chart.table.rows] == [["2010", 1, 1], ["2017", 1, 1]]
    assert chart.figure["data"][0]["x"] == ["2010", "2017"]
    assert chart.figure["data"][0]["y"] == [1, 1]
    assert "matching your search" in chart.summary
    html = response.content.decode()
    assert "2 findings match your search" in html


def test_counts_per_year_for_all_findings_of_a_kind(client, history):
    response = search(client, kind="what_needs_to_improve")
    assert [row[:3] for row in response.context["chart"].table.rows] == [["2017", 2, 1], ["2024", 1, 1]]


def test_paginates(client, history):
    for order in range(2, 62):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    first = search(client, kind="strength")
    assert first.context["total"] == 61 and len(texts(first)) == 50
    html = first.content.decode()
    assert 'href="?kind=strength&amp;page=2#results"' in html
    second = search(client, kind="strength", page=2)
    assert len(texts(second)) == 11
    assert search(client, kind="strength", page="nonsense").context["page"].number == 1
    assert search(client, kind="strength", page="999").context["page"].number == 2


def test_filterset_parameter_names_are_shared(history):
    assert list(FindingFilterSet.base_filters) == [
        "q",
        "said_by",
        "kind",
        "area",
        "council",
        "region",
        "la_type",
        "framework",
        "event_type",
        "start_date",
        "year",
        "sort",
    ]
    filterset = FindingFilterSet({"council": "tower-hamlets", "kind": "strength"}, queryset=Finding.objects.published())
    assert [f.text for f in filterset.qs] == ["Thresholds at the front door are well understood."]


def test_the_total_is_the_sum_of_the_counts_per_year_worked_out_once_per_search(client, history):
    from django.test.utils import CaptureQueriesContext

    for order in range(2, 202):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    undated = InspectionFactory(council=history.council, start_date=None, end_date=None, published_date=None)
    FindingFactory(inspection=undated, kind=Finding.Kind.STRENGTH, text="A strength of an undated visit")
    first = search(client, kind="strength")
    assert first.context["total"] == Finding.objects.published().filter(kind="strength").count() == 202
    with CaptureQueriesContext(connection) as queries:
        fourth = search(client, kind="strength", page=4, sort="-date")  # a page not stored, another order
    assert fourth.context["total"] == 202 and len(texts(fourth)) == 50
    counting = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counting == [], "the counts per year come from the cache, and no COUNT(*) runs"


def next_link(html):
    import html as html_module
    import re

    match = re.search(r'href="([^"]*)" rel="next"', html)
    return html_module.unescape(match[1]).split("#")[0] if match else None


@pytest.mark.parametrize("sort", ["", "date", "-date", "council", "-council"])
def test_next_pages_start_after_the_last_finding_and_list_every_finding_once(client, history, sort):
    from tests.factories import CouncilFactory

    same_day = history.short.start_date
    other = InspectionFactory(council=CouncilFactory(name="Aardvark"), start_date=same_day, published_date=history.short.published_date)
    undated = InspectionFactory(council=history.council, start_date=None, end_date=None, published_date=None)
    for inspection in (history.short, other, undated, history.sif):
        for order in range(2, 42):
            FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    findings = Finding.objects.published().exclude(kind=Finding.Kind.PRESS_REPORT)
    expected = [f.pk for f in (FindingFilterSet({"sort": sort}, queryset=findings).qs if sort else findings.newest_first())]
    seen, url, pages = [], reverse("finding-search") + (f"?sort={sort}" if sort else ""), 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [finding.pk for finding in response.context["page"].object_list]
        pages += 1
        url = next_link(response.content.decode())
        if url:
            assert "cursor=" in url
            url = reverse("finding-search") + url
    assert seen == expected
    assert pages == response.context["page"].number == -(-len(expected) // 50)
    # Counted to by its number, the last page holds the same findings.
    numbered = client.get(reverse("finding-search"), {"sort": sort, "page": pages})
    assert [f.pk for f in numbered.context["page"].object_list] == [f.pk for f in response.context["page"].object_list]


@pytest.mark.parametrize("cursor", ["not-one-of-ours", "cursor-of-another-order"])
def test_a_damaged_link_to_a_next_page_is_a_400_page_that_leads_back_to_the_first(client, history, cursor):
    for order in range(2, 62):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Caseload {order}")
    if cursor == "cursor-of-another-order":
        cursor = parse_qs(next_link(search(client, q="caseload", sort="council").content.decode())[1:])["cursor"][0]
    response = client.get(reverse("finding-search"), {"q": "caseload", "page": "2", "cursor": cursor})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link to a page of findings is damaged" in html
    assert 'href="?q=caseload">' in html


def test_an_api_cursor_is_no_link_to_a_page_of_findings(client, history):
    for order in range(2, 62):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    api_next = client.get("/api/findings/", {"kind": "strength", "sort": "council", "page_size": 50}).json()["next"]
    cursor = parse_qs(urlsplit(api_next).query)["cursor"][0]
    response = client.get(reverse("finding-search"), {"kind": "strength", "sort": "council", "page": "2", "cursor": cursor})
    assert response.status_code == 400
    assert "This link to a page of findings is damaged" in response.content.decode()


def test_numbered_links_count_to_their_page_rather_than_carry_a_cursor(client, history):
    for order in range(2, 152):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    html = search(client, kind="strength", sort="council").content.decode()
    assert next_link(html).startswith("?kind=strength&sort=council&page=2&cursor=")
    assert 'href="?kind=strength&amp;sort=council&amp;page=3#results"' in html
