"""Chart builders, called without a request: valid plotly figures, with a title, summary and table."""

import datetime
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest

from dashboard import charts
from inspections.frameworks import Grade
from inspections import grades
from inspections.schedule import timeline_order
from inspections.models import Inspection, Judgement, KeyFigure

D = datetime.date


def assert_valid(chart):
    """plotly's own validation (go.Figure raises on any unknown or invalid property)."""
    go.Figure(chart.figure)
    assert chart.title and chart.summary.endswith(".")
    assert chart.table.caption and chart.table.head
    for row in chart.table.rows:
        assert len(row) == len(chart.table.head)


@pytest.fixture
def inspections(history):
    return timeline_order(Inspection.objects.filter(council=history.council).published().prefetch_related("judgements"))


@pytest.mark.django_db
def test_grade_history_chart(inspections):
    chart = charts.grade_history_chart(inspections, x_range=["2009-07-01", "2025-06-01"])
    assert_valid(chart)
    assert chart.figure["layout"]["xaxis"]["range"] == ["2009-07-01", "2025-06-01"]
    assert chart.figure["layout"]["yaxis"]["tickvals"] == [1, 2, 3, 4]
    # Visits are not graded inspections: four graded points on the time axis.
    assert all(len(trace["x"]) == 4 for trace in chart.figure["data"])
    hover = [t for trace in chart.figure["data"] for t in trace["text"] if t]
    assert any("Adequate" in t for t in hover) and any("Requires improvement to be good" in t for t in hover)
    first_row = chart.table.rows[0]
    assert str(first_row[0]).startswith("Full inspection, July 2012")


@pytest.mark.django_db
def test_grade_history_chart_without_grades():
    chart = charts.grade_history_chart([])
    assert_valid(chart)
    assert chart.is_empty and "no published graded inspection" in chart.summary


@pytest.mark.django_db
def test_context_indicators_chart(history, inspections):
    figures = list(KeyFigure.objects.filter(council=history.council).select_related("source"))
    chart = charts.context_indicators_chart(figures, inspections, x_range=["2009-07-01", "2025-06-01"])
    assert_valid(chart)
    layout = chart.figure["layout"]
    assert [layout[f"xaxis{s}"].get("matches") for s in ("", "2", "3", "4")] == [None, "x", "x", "x"]
    assert all(layout[f"xaxis{s}"]["range"] == ["2009-07-01", "2025-06-01"] for s in ("", "2", "3", "4"))
    assert chart.table.head[0] == "Year" and [row[0] for row in chart.table.rows] == ["2018", "2019"]
    assert chart.table.rows[0][1] == "33"
    assert chart.table.sources == ["Children's social work workforce"]
    legend = [s for s in layout["shapes"] if s.get("showlegend")]
    assert {s["name"] for s in legend} == {"Full inspection", "Visit or other inspection"}


def test_context_indicators_chart_without_figures():
    chart = charts.context_indicators_chart([], [])
    assert_valid(chart)
    assert chart.is_empty


LINES = grades.COUNCIL_LINES[:2]  # overall effectiveness, leaders


def current(line, status, grade=None):
    """A council's current grade in a line, as grades.latest_grades() and annotated_latest_grades() give it."""
    return SimpleNamespace(line=line, status=status, grade=grade)


def council(overall, leaders):
    """A council's current grades: a grade, or a status for none (not_given, not_recorded)."""
    return [current(line, "given", value) if value in Grade.values else current(line, value)
            for line, value in zip(LINES, (overall, leaders), strict=True)]  # fmt: skip


def test_current_grades_chart_counts_each_area_and_never_an_earlier_grade():
    chart = charts.current_grades_chart(
        [council("good", "good"), council("outstanding", "good"), council("not_given", "inadequate"),
         council("not_recorded", "good"), [current(line, None) for line in LINES]],  # never inspected: left out
        LINES,
    )  # fmt: skip
    assert_valid(chart)
    assert [trace["name"] for trace in chart.figure["data"]] == [
        "Outstanding", "Good", "Inadequate", "Not given (2026 framework)", "No grade recorded"]  # fmt: skip
    assert chart.table.rows == [
        ["Overall effectiveness", 1, 1, 0, 1, 1, 4],
        ["Leaders", 0, 3, 1, 0, 0, 4],
    ]
    assert "1 of them were last inspected under the 2026 framework" in chart.summary
    patterns = {t["name"]: t["marker"]["pattern"]["shape"] for t in chart.figure["data"]}
    assert len(set(patterns.values())) == 5  # told apart without colour too


def test_region_grades_chart():
    leaders = LINES[1]
    chart = charts.region_grades_chart(
        [("London", current(leaders, "given", "good")), ("London", current(leaders, "given", "outstanding")),
         ("North East", current(leaders, "given", "good")), (None, current(leaders, None))],
        leaders,
    )  # fmt: skip
    assert_valid(chart)
    assert chart.table.rows == [
        ["London", 1, 1, 0, 2],
        ["North East", 0, 1, 0, 1],
        ["Region not recorded", 0, 0, 1, 1],
    ]
    assert chart.figure["layout"]["barmode"] == "stack"
    assert chart.table.caption == "Leaders: current grades by region"


def test_grade_transitions_chart():
    pairs = [("inadequate", "good"), ("inadequate", "good"), ("good", "good"), ("good", "inadequate"), (None, "good")]
    chart = charts.grade_transitions_chart(pairs)
    assert_valid(chart)
    assert [(r[0].grade, r[1].grade, r[2], r[3]) for r in chart.table.rows] == [
        ("good", "good", 1, "Unchanged"),
        ("good", "inadequate", 1, "Declined"),
        ("inadequate", "good", 2, "Improved"),
    ]
    assert "improved 2 times, declined 1 times and stayed the same 1 times" in chart.summary


def test_activity_by_year_chart():
    rows = [
        {"year": 2019, "event_type": "standard_inspection", "n": 3},
        {"year": 2019, "event_type": "focused_visit", "n": 1},
        {"year": 2021, "event_type": "short_inspection", "n": 2},
    ]
    chart = charts.activity_by_year_chart(rows)
    assert_valid(chart)
    assert chart.table.head == ["Year", "Standard inspection", "Short inspection", "Focused visit", "All"]
    assert chart.table.rows == [["2019", 3, 0, 1, 4], ["2021", 0, 2, 0, 2]]


def test_findings_per_year_chart():
    rows = [{"year": 2018, "findings": 4, "inspections": 2}, {"year": None, "findings": 1, "inspections": 1}]
    chart = charts.findings_per_year_chart(rows, description="findings about caseloads")
    assert_valid(chart)
    assert chart.figure["data"][0]["x"] == ["2018"]
    assert chart.table.rows[-1] == ["Date not known", 1, 1]
    assert "5 findings about caseloads" in chart.summary


def test_empty_overview_charts_are_valid():
    for chart in (
        charts.current_grades_chart([], LINES),
        charts.region_grades_chart([], LINES[1]),
        charts.grade_transitions_chart([]),
        charts.activity_by_year_chart([]),
        charts.findings_per_year_chart([]),
    ):
        assert_valid(chart)
        assert chart.is_empty


def test_grade_colours_and_patterns_cover_every_grade():
    assert set(charts.GRADE_COLOURS) == set(Grade.values) == set(charts.GRADE_PATTERNS)


@pytest.mark.django_db
def test_builders_take_querysets(history):
    graded = Inspection.objects.published().filter(council=history.council).prefetch_related("judgements")
    assert_valid(charts.grade_history_chart(list(graded.order_by("start_date", "pk"))))
    pairs = grades.with_previous(Judgement.objects.published().overall()).exclude(previous_grade=None)
    pairs = pairs.values_list("previous_grade", "grade")
    assert_valid(charts.grade_transitions_chart(pairs))
    assert_valid(charts.activity_by_year_chart(Inspection.objects.published().count_by_year_and_type()))
