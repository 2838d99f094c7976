"""The national overview: latest grades, grades by region, transitions, activity per year, recent inspections."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get_overview(client):
    response = client.get(reverse("overview"))
    assert response.status_code == 200
    return response, response.content.decode()


def chart(response, chart_id):
    return next(c for c in response.context["charts"] if c.id == chart_id)


def test_councils_by_latest_grade_counts_current_councils(client, history):
    response, html = get_overview(client)
    latest = chart(response, "latest-grades")
    rows = {str(row[0]): row[1] for row in latest.table.rows}
    assert rows == {"Outstanding": 1, "Good": 2, "Requires improvement to be good": 1}
    assert response.context["council_count"] == 4  # the former council is left out


def test_grades_by_region(client, history):
    response, _html = get_overview(client)
    region = chart(response, "region-grades")
    assert region.table.head == ["Region", "Outstanding", "Good", "Requires improvement to be good", "Councils"]
    assert region.table.rows == [["London", 1, 1, 1, 3], ["North West", 0, 1, 0, 1]]


def test_transitions_between_consecutive_inspections(client, history):
    response, _html = get_overview(client)
    transitions = chart(response, "grade-transitions")
    pairs = {(row[0].grade, row[1].grade): row[2] for row in transitions.table.rows}
    # Tower Hamlets: SIF inadequate -> good -> outstanding; Camden: inadequate -> good.
    assert pairs == {("good", "outstanding"): 1, ("inadequate", "good"): 2}
    assert "improved 3 times" in transitions.summary


def test_inspections_and_visits_per_year_by_type(client, history):
    response, _html = get_overview(client)
    activity = chart(response, "activity-by-year")
    rows = {row[0]: row for row in activity.table.rows}
    assert activity.table.head[-1] == "All"
    assert rows["2019"][-1] == 2  # Tower Hamlets' and Camden's standard inspections
    assert rows["2024"][-1] == 2
    assert "2025" not in rows  # only a draft that year


def test_most_recent_inspections(client, history):
    response, html = get_overview(client)
    recent = response.context["recent"]
    assert recent[0] == history.short and recent[0].overall_grade == "outstanding"
    assert history.draft not in recent
    assert history.monitoring_5 not in recent[:9]  # undated: last
    assert f'href="{history.short.get_absolute_url()}"' in html


def test_every_chart_has_title_summary_table_and_data(client, history):
    response, html = get_overview(client)
    for item in response.context["charts"]:
        assert item.title and item.summary.endswith(".") and item.table.rows
        assert f'<script id="{item.data_id}" type="application/json">' in html
        assert f'data-chart="{item.data_id}"' in html
    assert "plotly-basic.min.js" in html and "js/charts.js" in html
    assert "not a government service" in html


def test_empty_database(client, db):
    response, html = get_overview(client)
    assert response.context["council_count"] == 0
    assert "No inspections are published yet." in html
