"""Unknown addresses are 404 pages; nonsense filter values are answered 400 with the reason; never a 500."""

import pytest
from django.urls import reverse

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
        ({"start_date_after": "2024-02-30"}, "start_date"),
        ({"start_date_before": "yesterday"}, "start_date"),
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
    assert field in dict(response.context["errors"])
    assert "govuk-error-message" in html
    assert response.context["councils"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "rumour"}, "kind"),
        ({"area": "catering"}, "area"),
        ({"council": "no-such-council"}, "council"),
        ({"region": "E99999999"}, "region"),
        ({"start_date_after": "31/31/2020"}, "start_date"),
        ({"sort": "relevance"}, "sort"),
        ({"framework": "ofsted-2099"}, "framework"),
    ],
)
def test_findings_nonsense_is_400_with_the_reason(client, history, params, field):
    response = client.get(reverse("finding-search"), params)
    assert response.status_code == 400
    assert field in dict(response.context["errors"])
    html = response.content.decode()
    assert "There is a problem with the filters" in html
    assert "plotly" not in html  # no chart, no script, for a page with no results


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "99999999999999999999999"},
        {"q": "' OR 1=1 --"},
        {"q": '"unbalanced'},
        {"q": "-"},
        {"q": "or"},
        {"q": "  "},
        {"unknown": "ignored"},
        {"q": "<script>alert(1)</script>"},
    ],
)
def test_findings_odd_but_harmless_input_is_200(client, history, params):
    response = client.get(reverse("finding-search"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_repeated_parameters_use_the_last_value(client, history):
    response = client.get("/councils/?grade=good&grade=outstanding")
    assert response.status_code == 200
    assert [c.name for c in response.context["councils"]] == ["Tower Hamlets"]


def test_a_server_error_renders_the_sites_500_page(client, history, monkeypatch):
    from dashboard import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.charts, "latest_grade_chart", broken)
    client.raise_request_exception = False
    response = client.get(reverse("overview"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
