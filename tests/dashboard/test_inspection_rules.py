"""The rules the pages rely on: timeline order, last full inspection, months since, what is due next, changes."""

import datetime

import pytest

from councils.models import Council
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Inspection, Judgement
from inspections import grades
from inspections.grades import GradeChange, grade_change
from inspections.schedule import (
    add_months,
    months_between,
    months_since_last_full_inspection,
    months_since_last_full_inspection_expression,
    next_inspection_due,
    timeline_order,
)
from tests.histories import inspection
from tests.factories import CouncilFactory

D = datetime.date


def test_grade_change_uses_the_shared_score():
    assert grade_change(Grade.INADEQUATE, Grade.GOOD) == GradeChange.IMPROVED
    assert grade_change(Grade.OUTSTANDING, Grade.GOOD) == GradeChange.DECLINED
    assert grade_change(Grade.ADEQUATE, Grade.REQUIRES_IMPROVEMENT) == GradeChange.UNCHANGED
    assert grade_change(None, Grade.GOOD) == GradeChange.FIRST


def test_months_between_and_add_months():
    assert months_between(D(2024, 11, 15), D(2026, 11, 15)) == 24
    assert months_between(D(2024, 11, 15), D(2026, 11, 14)) == 23
    assert months_between(D(2024, 11, 15), D(2020, 1, 1)) == 0
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2024, 3, 31), -6) == D(2023, 9, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, months",
    [
        (D(2024, 11, 10), 0),  # still being inspected
        (D(2024, 12, 14), 0),
        (D(2024, 12, 15), 1),
        (D(2026, 11, 14), 23),  # 24 from the start: the count runs from the last day
        (D(2026, 11, 15), 24),
    ],
)
def test_months_since_the_last_full_inspection_are_the_same_in_python_and_sql(today, months):
    """The council page counts in Python, councils.csv in SQL: from the last day (end, else start, else
    publication date) of the latest full inspection, none for a former council."""
    ended = CouncilFactory()
    inspection(ended, EventType.STANDARD_INSPECTION, Framework.ILACS, D(2024, 11, 4), D(2024, 11, 15))
    published_only = CouncilFactory()
    inspection(published_only, EventType.FULL_INSPECTION, Framework.SIF, None, None, D(2024, 11, 15))
    former = CouncilFactory(is_current=False)
    inspection(former, EventType.STANDARD_INSPECTION, Framework.ILACS, D(2024, 11, 4), D(2024, 11, 15))
    expected = {ended.pk: months, published_only.pk: months, former.pk: None}
    in_sql = dict(
        Council.objects.filter(pk__in=expected)
        .annotate(months=months_since_last_full_inspection_expression(today))
        .values_list("pk", "months")
    )
    in_python = {
        council.pk: months_since_last_full_inspection(list(council.inspections.all()), today, council)
        for council in Council.objects.filter(pk__in=expected)
    }
    assert in_python == in_sql == expected


@pytest.mark.django_db
def test_timeline_order_places_undated_visits_by_number(history):
    events = list(Inspection.objects.filter(council=history.council).published())
    ordered = timeline_order(events)
    assert ordered.index(history.monitoring_5) == ordered.index(history.monitoring_4) + 1


@pytest.mark.django_db
def test_undated_events_go_by_publication_date_else_last(db):
    council = CouncilFactory()
    dated = inspection(council, EventType.STANDARD_INSPECTION, Framework.ILACS, D(2019, 1, 7))
    published_only = inspection(council, EventType.FULL_INSPECTION, Framework.SIF, None, None, D(2015, 3, 1))
    nothing = inspection(council, EventType.FOCUSED_VISIT, Framework.ILACS, None, None, None)
    numbered = inspection(council, EventType.MONITORING_VISIT, Framework.ILACS, None, None, None, visit_number=1)
    ordered = timeline_order([nothing, dated, numbered, published_only])
    assert ordered[:2] == [published_only, dated]
    assert set(ordered[2:]) == {nothing, numbered}  # nothing places them: last


@pytest.mark.django_db
def test_last_full_months_and_next_due(history):
    events = list(Inspection.objects.filter(council=history.council).published().prefetch_related("judgements"))
    assert grades.latest_full_inspection(events) == history.short
    assert months_since_last_full_inspection(events, today=D(2026, 11, 15)) == 24
    due = next_inspection_due(events, today=D(2026, 11, 15))
    assert due.event_type == EventType.SHORT_INSPECTION
    assert (due.window_start, due.window_end) == (D(2027, 5, 15), D(2028, 5, 15))
    assert not due.overdue and due.focused_visit_expected
    assert due.based_on == history.short


def make(council, event_type, start, overall=None):
    event = inspection(council, event_type, Framework.ILACS, start, start + datetime.timedelta(days=11))
    if overall:
        Judgement.objects.create(inspection=event, area=Area.OVERALL_EFFECTIVENESS, grade=overall)
    return list(Inspection.objects.filter(council=council).prefetch_related("judgements"))


@pytest.mark.django_db
def test_requires_improvement_means_a_standard_inspection_and_overdue_after_the_window():
    council = CouncilFactory()
    events = make(council, EventType.STANDARD_INSPECTION, D(2019, 1, 7), Grade.REQUIRES_IMPROVEMENT)
    due = next_inspection_due(events, today=D(2023, 1, 1))
    assert due.event_type == EventType.STANDARD_INSPECTION
    assert due.window_end == D(2022, 7, 18) and due.overdue and not due.focused_visit_expected


@pytest.mark.django_db
def test_inadequate_means_monitoring_visits_then_a_standard_inspection():
    council = CouncilFactory()
    make(council, EventType.STANDARD_INSPECTION, D(2022, 1, 10), Grade.INADEQUATE)
    events = make(council, EventType.MONITORING_VISIT, D(2022, 6, 6))
    due = next_inspection_due(events, today=D(2023, 1, 1))
    assert due.event_type == EventType.MONITORING_VISIT
    assert due.then == "Standard inspection"
    assert "1 monitoring visit so far" in due.reason


@pytest.mark.django_db
def test_a_focused_visit_since_the_inspection_is_noted():
    council = CouncilFactory()
    make(council, EventType.SHORT_INSPECTION, D(2022, 1, 10), Grade.GOOD)
    events = make(council, EventType.FOCUSED_VISIT, D(2023, 6, 5))
    assert not next_inspection_due(events, today=D(2024, 1, 1)).focused_visit_expected


@pytest.mark.django_db
def test_no_graded_inspection_or_no_overall_grade_means_not_known():
    council = CouncilFactory()
    assert next_inspection_due([], today=D(2024, 1, 1)).event_type is None
    events = make(council, EventType.STANDARD_INSPECTION, D(2026, 5, 4))
    due = next_inspection_due(events, today=D(2026, 11, 1))
    assert due.event_type is None and "not recorded" in due.reason and due.window_start is None


@pytest.mark.parametrize(
    "leaders, practice, expected",
    [
        (Grade.GOOD, (Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING), EventType.SHORT_INSPECTION),
        (Grade.GOOD, (Grade.REQUIRES_IMPROVEMENT, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD), EventType.STANDARD_INSPECTION),
        (Grade.REQUIRES_IMPROVEMENT, (Grade.GOOD, Grade.GOOD, Grade.GOOD), EventType.STANDARD_INSPECTION),
        (Grade.GOOD, (Grade.GOOD, Grade.GOOD, None), None),
    ],
)
@pytest.mark.django_db
def test_after_april_2026_leaders_and_practice_judgements_decide(leaders, practice, expected):
    council = CouncilFactory()
    event = inspection(council, EventType.STANDARD_INSPECTION, Framework.ILACS, D(2026, 6, 8), D(2026, 6, 19))
    Judgement.objects.create(inspection=event, area=Area.LEADERSHIP, grade=leaders)
    for area, grade in zip((Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE, Area.CARE_LEAVERS), practice, strict=True):
        if grade:
            Judgement.objects.create(inspection=event, area=area, grade=grade)
    events = list(Inspection.objects.filter(council=council).prefetch_related("judgements"))
    due = next_inspection_due(events, today=D(2026, 11, 1))
    assert due.event_type == expected
    if expected:
        assert (due.window_start, due.window_end) == (D(2028, 12, 19), D(2029, 12, 19))
        assert "April 2026" in due.source and "no overall grade" in due.reason
    else:
        assert due.window_start is None and "not all" in due.reason


@pytest.mark.django_db
def test_with_latest_grades_annotations(history):
    councils = {c.slug: c for c in grades.with_latest_grades(Council.objects.all())}
    tower = councils["tower-hamlets"]
    assert tower.latest_inspection_id == history.short.pk
    assert tower.overall_effectiveness_inspection_id == history.short.pk
    assert tower.overall_effectiveness_status == grades.LatestStatus.GIVEN
    assert (tower.overall_effectiveness_grade, tower.overall_effectiveness_previous_grade) == ("outstanding", "good")
    assert (tower.overall_effectiveness_score, tower.overall_effectiveness_previous_score) == (1, 2)
    assert tower.overall_effectiveness_change == "improved"
    hackney = councils["hackney"]
    assert hackney.overall_effectiveness_previous_grade is None and hackney.overall_effectiveness_change == "first"
    assert councils["northamptonshire"].latest_inspection_id is None
    assert councils["northamptonshire"].overall_effectiveness_status is None


@pytest.mark.django_db
def test_comparison_group(history):
    group = {c.slug: c for c in Council.objects.comparison_group(history.council)}
    assert set(group) == {"tower-hamlets", "hackney", "camden", "manchester"}
    assert group["manchester"].neighbour_rank == 1 and not group["manchester"].in_region
    assert group["hackney"].neighbour_rank == 2 and group["hackney"].in_region
    assert group["camden"].neighbour_rank is None


@pytest.mark.django_db
def test_previous_grade_is_per_council_and_area(history):
    rows = list(
        grades.with_previous(Judgement.objects.published().overall().filter(inspection__council=history.council))
        .order_by("inspection_start_date")
        .values_list("previous_grade", "grade", "change")
    )
    assert rows == [(None, "inadequate", "first"), ("inadequate", "good", "improved"), ("good", "outstanding", "improved")]
