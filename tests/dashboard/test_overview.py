"""The national overview: latest grades, grades by region, transitions, activity per year, recent inspections."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import Area, EventType, Framework, Grade
from tests.factories import InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db


def get_overview(client):
    response = client.get(reverse("overview"))
    assert response.status_code == 200
    return response, response.content.decode()


def chart(response, chart_id):
    return next(c for c in response.context["charts"] if c.id == chart_id)


def test_current_grades_by_area_count_current_councils(client, history):
    response, html = get_overview(client)
    current = chart(response, "latest-grades")
    assert current.table.head == [
        "Judgement area", "Outstanding", "Good", "Requires improvement to be good", "No grade recorded", "Councils"]  # fmt: skip
    rows = {str(row[0]): row[1:] for row in current.table.rows}
    assert rows["Overall effectiveness"] == [1, 2, 1, 0, 4]
    # Hackney's leaders good, Tower Hamlets' outstanding; Camden's and Manchester's not in our sources.
    assert rows["Leaders"] == [1, 1, 0, 2, 4]
    assert response.context["council_count"] == 4  # the former council is left out
    assert "2026 framework" not in html  # nobody here was inspected under it


def test_councils_inspected_under_the_2026_framework_count_as_not_given(client, history):
    inspection = InspectionFactory(
        council=history.hackney, framework=Framework.ILACS, event_type=EventType.STANDARD_INSPECTION,
        start_date=datetime.date(2026, 5, 11), end_date=datetime.date(2026, 5, 22), published_date=datetime.date(2026, 7, 1),
    )  # fmt: skip
    JudgementFactory(inspection=inspection, area=Area.LEADERSHIP, grade=Grade.INADEQUATE)
    response, html = get_overview(client)
    rows = {str(row[0]): row for row in chart(response, "latest-grades").table.rows}
    head = chart(response, "latest-grades").table.head
    overall = dict(zip(head, rows["Overall effectiveness"], strict=True))
    # Hackney's 2024 "requires improvement" is history: it is counted as not given, not as that grade.
    assert "Requires improvement to be good" not in overall and overall["Not given (2026 framework)"] == 1
    assert dict(zip(head, rows["Leaders"], strict=True))["Inadequate"] == 1
    assert "1 council was last inspected under the 2026 framework" in html
    recent = response.context["recent"][0]
    assert recent == inspection and recent.grades_given == [("Leaders", Grade.INADEQUATE)]
    # Said once above the table, not on every row.
    assert html.count("give no overall effectiveness grade (none is given under the 2026 framework)") == 1
    first_row = html.split('id="recent-caption"', 1)[1].split("<tbody", 1)[1].split("</tr>", 1)[0]
    assert "Leaders:" in first_row and "Overall effectiveness" not in first_row


def test_grades_by_region(client, history):
    response, _html = get_overview(client)
    region = chart(response, "region-grades")
    assert region.table.head == ["Region", "Outstanding", "Good", "Requires improvement to be good", "Councils"]
    assert region.table.rows == [["London", 1, 1, 1, 3], ["North West", 0, 1, 0, 1]]
    assert region.table.caption == "Overall effectiveness: current grades by region"


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
    assert recent[0] == history.short
    assert recent[0].grades_given == [
        ("Overall effectiveness", "outstanding"), ("Leaders", "outstanding"), ("Help and protection", "good"),
        ("Children in care", "good"), ("Care leavers", "outstanding")]  # fmt: skip
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
