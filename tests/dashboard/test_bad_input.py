"""Unknown addresses are 404 pages; nonsense filter values are answered 400 with the reason; never a 500."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from dashboard import views
from inspections.models import Finding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/councils/no-such-council/",
        "/councils/northamptonshire-2/",
        "/inspections/999999/",
        "/inspections/0/",
        "/inspections/99999999999999999999999999/",  # beyond any database integer
        "/inspections/not-a-number/",
        "/nowhere/",
    ],
)
def test_unknown_addresses_are_404_pages(client, history, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "not a government service" in html  # the site's own page, not a bare error


def test_draft_inspection_is_404(client, history):
    assert client.get(reverse("inspection-detail", args=[history.draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "params, field",
    [
        ({"grade": "brilliant"}, "grade"),
        ({"change": "sideways"}, "change"),
        ({"region": "Atlantis"}, "region"),
        ({"la_type": "Parish"}, "la_type"),
        ({"start_date_after": "2024-02-30"}, "start_date_after"),
        ({"start_date_before": "yesterday"}, "start_date_before"),
        ({"sort": "population"}, "sort"),
        ({"status": "deleted"}, "status"),
        ({"q": "x" * 500}, "q"),
        ({"q": "nul\x00byte"}, "q"),
    ],
)
def test_council_list_nonsense_is_400_with_the_reason(client, history, params, field):
    response = client.get(reverse("council-list"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem with the filters" in html
    assert field in {problem.parameter for problem in response.context["errors"]}
    assert "govuk-error-message" in html
    assert response.context["councils"] == []


def test_council_list_misspelt_filter_is_400_with_a_link_to_the_list_without_it(client, history):
    response = client.get("/councils/?grdae=good&region=E12000007")
    assert response.status_code == 400
    assert response.context["councils"] == []
    html = response.content.decode()
    assert "There is a problem with the filters" in html
    assert '<a href="?region=E12000007">“grdae” is not a filter of this list' in html


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "rumour"}, "kind"),
        ({"area": "catering"}, "area"),
        ({"council": "no-such-council"}, "council"),
        ({"region": "E99999999"}, "region"),
        ({"start_date_after": "31/31/2020"}, "start_date_after"),
        ({"kidn": "rumour"}, "kidn"),
        ({"sort": "relevance"}, "sort"),
        ({"framework": "ofsted-2099"}, "framework"),
    ],
)
def test_findings_nonsense_is_400_with_the_reason(client, history, params, field):
    response = client.get(reverse("finding-search"), params)
    assert response.status_code == 400
    assert field in {problem.parameter for problem in response.context["errors"]}
    html = response.content.decode()
    assert "There is a problem with the filters" in html
    assert "plotly" not in html  # no chart, no script, for a page with no results


def search_box(html):
    """The findings search box's <input>, as the page renders it (not the "Find a council" box's)."""
    inputs = re.findall(r'<input[^>]*\bname="q"[^>]*\bid="id_q"[^>]*>', html)
    assert len(inputs) == 1, inputs
    return inputs[0]


def shown_findings(response):
    """How many findings the page lists, and the total it states: they must agree."""
    listed = response.content.decode().count('class="app-results__item"')
    assert listed == len(response.context["page"].object_list) == min(response.context["total"], views.FINDINGS_PER_PAGE)
    return listed


@pytest.mark.parametrize("page", ["-1", "99999999999999999999999"])
def test_findings_page_out_of_range_shows_the_last_page(client, history, monkeypatch, page):
    monkeypatch.setattr(views, "FINDINGS_PER_PAGE", 2)
    response = client.get(reverse("finding-search"), {"page": page})
    assert response.status_code == 200
    shown = response.context["page"]
    assert shown.paginator.num_pages > 1
    assert shown.number == shown.paginator.num_pages
    assert list(shown.object_list) == list(shown.paginator.page(shown.paginator.num_pages).object_list) != []


@pytest.mark.parametrize(
    "q, expected",
    [
        ("' OR 1=1 --", 0),  # searched for as words, not run: an injection would list every finding
        ('"unbalanced', 0),
        ("-", None),  # PostgreSQL's web search reads these as syntax, the plain match skips them:
        ("or", None),  # either way the page lists what the search of the record finds
        ("  ", "all"),  # blank is no search at all
    ],
)
def test_findings_odd_search_words_are_searched_and_shown_back(client, history, q, expected):
    response = client.get(reverse("finding-search"), {"q": q})
    assert response.status_code == 200
    assert response.context["errors"] == []
    published = Finding.objects.published()
    matches = {0: 0, None: published.search(q).count(), "all": published.count()}[expected]
    assert response.context["total"] == matches
    assert shown_findings(response) == matches
    assert f'value="{escape(q)}"' in search_box(response.content.decode())


def test_findings_search_for_markup_is_shown_back_as_text(client, history):
    response = client.get(reverse("finding-search"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in search_box(html)
    assert response.context["total"] == 0


def test_findings_tracking_parameters_are_ignored(client, history):
    response = client.get(reverse("finding-search"), {"utm_source": "newsletter", "fbclid": "abc"})
    assert response.status_code == 200
    assert response.context["total"] == shown_findings(response) == Finding.objects.published().count()
    # Nor passed on to the download or the next page.
    html = response.content.decode()
    assert re.findall(r'href="(/export/findings\.csv[^"]*)"', html) == ["/export/findings.csv"]
    assert "utm_source" not in html and "fbclid" not in html


def test_repeated_parameters_use_the_last_value(client, history):
    response = client.get("/councils/?grade=good&grade=outstanding")
    assert response.status_code == 200
    assert [c.name for c in response.context["councils"]] == ["Tower Hamlets"]


def test_a_server_error_renders_the_sites_500_page(client, history, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.charts, "current_grades_chart", broken)
    client.raise_request_exception = False
    response = client.get(reverse("overview"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
