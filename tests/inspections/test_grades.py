"""grades.py: which judgements count, how areas carry across frameworks, latest, previous and change,
the same in Python and in SQL."""

import datetime

import pytest

from councils.models import Council
from inspections import grades
from inspections.frameworks import AREA_RULES, ILACS_NO_OVERALL_FROM, ILACS_SEPARATE_CARE_LEAVERS_FROM, Area, EventType
from inspections.frameworks import Framework as F
from inspections.frameworks import Grade as G
from inspections.frameworks import areas_for
from inspections.models import Inspection, Judgement
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory

D = datetime.date


def full(council, framework, start, grades_by_area, event_type=EventType.FULL_INSPECTION, **extra):
    inspection = InspectionFactory(council=council, framework=framework, event_type=event_type, start_date=start, **extra)
    for area, grade in grades_by_area.items():
        JudgementFactory(inspection=inspection, area=area, grade=grade)
    return inspection


def test_every_area_has_one_home_line():
    homes = [area for line in grades.LINES for area in line.home]
    assert sorted(homes) == sorted(Area.values)
    for line in grades.LINES:
        assert set(line.home) <= set(line.areas)


@pytest.mark.parametrize(
    "framework, date",
    [(rule.framework, day) for rule in AREA_RULES for day in (D(2010, 1, 1), D(2015, 1, 1), D(2020, 1, 1),
                                                               ILACS_SEPARATE_CARE_LEAVERS_FROM, ILACS_NO_OVERALL_FROM)],
)  # fmt: skip
def test_an_inspection_has_at_most_one_area_of_each_line(framework, date):
    # The SQL reads a line's latest grade as its first row and the one before as its second.
    judged = areas_for(framework, date)
    for line in grades.LINES:
        assert len([area for area in judged if area in line.areas]) <= 1, (framework, date, line.key)


def test_change_on_the_shared_score():
    assert grades.grade_change(G.INADEQUATE, G.GOOD) == grades.GradeChange.IMPROVED
    assert grades.grade_change(G.GOOD, G.REQUIRES_IMPROVEMENT) == grades.GradeChange.DECLINED
    assert grades.grade_change(G.ADEQUATE, G.REQUIRES_IMPROVEMENT) == grades.GradeChange.UNCHANGED
    assert grades.different_scale(G.ADEQUATE, G.REQUIRES_IMPROVEMENT)
    assert not grades.different_scale(G.GOOD, G.REQUIRES_IMPROVEMENT)
    assert grades.grade_change(None, G.GOOD) == grades.GradeChange.FIRST


@pytest.fixture
def record(db):
    """A council judged under 2009-12, SIF, ILACS joint and split care judgements, and ILACS after April 2026."""
    council = CouncilFactory(slug="story")
    events = {
        "2012": full(council, F.SAFEGUARDING_LAC_2009, D(2012, 7, 1), {
            Area.SAFEGUARDING_OVERALL: G.GOOD, Area.LOOKED_AFTER_OVERALL: G.ADEQUATE}),
        "2017": full(council, F.SIF, D(2017, 1, 23), {
            Area.OVERALL_EFFECTIVENESS: G.INADEQUATE, Area.HELP_AND_PROTECTION: G.INADEQUATE,
            Area.LOOKED_AFTER_AND_PERMANENCE: G.REQUIRES_IMPROVEMENT, Area.CARE_LEAVERS: G.INADEQUATE,
            Area.ADOPTION: G.GOOD, Area.LEADERSHIP: G.INADEQUATE, Area.LSCB: G.INADEQUATE}),
        "2019": full(council, F.ILACS, D(2019, 6, 10), {
            Area.OVERALL_EFFECTIVENESS: G.GOOD, Area.LEADERSHIP: G.GOOD, Area.HELP_AND_PROTECTION: G.GOOD,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: G.GOOD}, event_type=EventType.STANDARD_INSPECTION),
        "visit": InspectionFactory(council=council, event_type=EventType.FOCUSED_VISIT, start_date=D(2021, 3, 2)),
        "2024": full(council, F.ILACS, D(2024, 11, 11), {
            Area.OVERALL_EFFECTIVENESS: G.OUTSTANDING, Area.LEADERSHIP: G.OUTSTANDING,
            Area.HELP_AND_PROTECTION: G.GOOD, Area.CHILDREN_IN_CARE: G.GOOD, Area.CARE_LEAVERS: G.OUTSTANDING},
            event_type=EventType.SHORT_INSPECTION),
        "2026": full(council, F.ILACS, D(2026, 6, 8), {
            Area.LEADERSHIP: G.GOOD, Area.HELP_AND_PROTECTION: G.REQUIRES_IMPROVEMENT,
            Area.CHILDREN_IN_CARE: G.GOOD, Area.CARE_LEAVERS: G.GOOD}, event_type=EventType.STANDARD_INSPECTION),
        "draft": full(council, F.ILACS, D(2026, 10, 5), {Area.LEADERSHIP: G.INADEQUATE},
                      event_type=EventType.STANDARD_INSPECTION, status=Inspection.Status.DRAFT),
    }  # fmt: skip
    return council, events


def judgement(events, year, area):
    return Judgement.objects.get(inspection=events[year], area=area)


def test_previous_grades_follow_areas_across_frameworks(record):
    council, events = record
    steps = grades.grade_steps(list(council.inspections.prefetch_related("judgements")))

    def previous(year, area):
        step = steps[judgement(events, year, area).pk]
        return (step.previous.inspection_id, step.previous.area) if step.previous else None, step.change

    assert previous("2017", Area.HELP_AND_PROTECTION) == ((events["2012"].pk, Area.SAFEGUARDING_OVERALL), "declined")
    assert previous("2017", Area.LOOKED_AFTER_AND_PERMANENCE) == ((events["2012"].pk, Area.LOOKED_AFTER_OVERALL), "unchanged")
    assert steps[judgement(events, "2017", Area.LOOKED_AFTER_AND_PERMANENCE).pk].different_scale
    assert previous("2017", Area.OVERALL_EFFECTIVENESS) == (None, "first")  # 2009-12 gave no single overall grade
    assert previous("2019", Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS) == (
        (events["2017"].pk, Area.LOOKED_AFTER_AND_PERMANENCE), "improved")
    assert previous("2024", Area.CARE_LEAVERS) == ((events["2019"].pk, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS), "improved")
    assert previous("2024", Area.CHILDREN_IN_CARE) == ((events["2019"].pk, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS), "unchanged")
    assert previous("2024", Area.LEADERSHIP) == ((events["2019"].pk, Area.LEADERSHIP), "improved")
    # The draft is not counted: 2026 leaders follow 2024's.
    assert previous("2026", Area.LEADERSHIP) == ((events["2024"].pk, Area.LEADERSHIP), "declined")  # fmt: skip


def test_sql_previous_equals_python_previous(record):
    council, _events = record
    steps = grades.grade_steps(list(council.inspections.prefetch_related("judgements")))
    annotated = grades.with_previous(grades.counted_judgements().filter(inspection__council=council))
    rows = list(annotated.values_list("pk", "previous_grade", "previous_area", "previous_inspection_id", "change"))
    assert len(rows) == len(steps) == 22  # the draft is not counted
    for pk, previous_grade, previous_area, previous_inspection_id, change in rows:
        step = steps[pk]
        expected = (step.previous.grade, step.previous.area, step.previous.inspection_id) if step.previous else (None,) * 3
        assert (previous_grade, previous_area, previous_inspection_id, change) == (*expected, step.change)


def test_latest_grades_in_python_and_sql(record):
    council, events = record
    latest = {entry.line.key: entry for entry in grades.latest_grades(
        list(council.inspections.prefetch_related("judgements")), grades.COUNCIL_LINES)}  # fmt: skip
    row = grades.with_latest_grades(Council.objects.filter(pk=council.pk), lines=grades.COUNCIL_LINES).get()
    assert row.latest_inspection_id == events["2026"].pk == latest["overall_effectiveness"].latest_inspection.pk
    overall = latest["overall_effectiveness"]
    # From April 2026 no overall grade: "not given", with the last one given beside it.
    assert overall.status == grades.LatestStatus.NOT_GIVEN and overall.grade is None
    assert overall.last_given.judgement.inspection_id == events["2024"].pk
    assert (overall.last_given.previous.grade, overall.last_given.change) == (G.GOOD, "improved")
    care_leavers = latest["care_leavers"]
    assert care_leavers.status == grades.LatestStatus.GIVEN and care_leavers.grade == G.GOOD
    assert latest["lscb"].status == grades.LatestStatus.NOT_GIVEN
    assert latest["lscb"].last_given.judgement.inspection_id == events["2017"].pk
    assert latest["lscb"].grade is None and latest["lscb"].change is None
    assert latest["lscb"].status_words == "Not judged under ILACS (2018 on)"
    assert overall.status_words == "Not given under the 2026 framework" and overall.change is None
    sql = {entry.line.key: entry for entry in grades.annotated_latest_grades(row)}
    for line in grades.COUNCIL_LINES:
        entry, annotated = latest[line.key], sql[line.key]
        step, current = entry.last_given, entry.current
        assert annotated.status == entry.status, line.key
        assert annotated.status_words == entry.status_words, line.key
        # Current: only what the latest full inspection gave, with the change since the grade before it.
        assert annotated.grade == entry.grade, line.key
        assert annotated.inspection_id == (current.judgement.inspection_id if current else None), line.key
        assert annotated.previous_grade == (current.previous.grade if current and current.previous else None), line.key
        assert annotated.change == entry.change, line.key
        # History: the last grade given, whichever inspection gave it.
        assert annotated.last_grade == step.judgement.grade, line.key
        assert annotated.last_inspection_id == step.judgement.inspection_id, line.key


def test_no_grade_stands_in_an_area_its_inspection_did_not_judge(record):
    """2009-12's judgement on looked after children services continues children in care, and is never an
    adoption or a care leavers grade; ILACS's joint judgement (2018-22) stands in both of its lines."""
    council, events = record
    latest = {entry.line.key: entry for entry in grades.latest_grades(
        list(council.inspections.prefetch_related("judgements")), grades.LINES)}  # fmt: skip
    # The 2017 SIF grades are the first in these areas: nothing from 2012 before them.
    steps = grades.grade_steps(list(council.inspections.prefetch_related("judgements")))
    assert steps[judgement(events, "2017", Area.ADOPTION).pk].previous is None
    assert steps[judgement(events, "2017", Area.CARE_LEAVERS).pk].previous is None
    in_2012 = {line.key for line in grades.LINES if set(line.areas) & {Area.LOOKED_AFTER_OVERALL}}
    assert in_2012 == {"children_in_care"}
    joint = {line.key for line in grades.LINES if Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS in line.areas}
    assert joint == {"children_in_care", "care_leavers"}
    assert latest["adoption"].last_given.judgement.inspection_id == events["2017"].pk


def test_a_latest_inspection_without_recorded_grades(db):
    council = CouncilFactory()
    full(council, F.ILACS, D(2019, 6, 10), {Area.OVERALL_EFFECTIVENESS: G.GOOD}, event_type=EventType.STANDARD_INSPECTION)
    # Known only by its publication date, as many pre-2018 reports are: it is the latest, grades unknown.
    undated = InspectionFactory(council=council, framework=F.ILACS, start_date=None, published_date=D(2022, 5, 1))
    events = list(council.inspections.prefetch_related("judgements"))
    assert grades.latest_full_inspection(events) == undated
    overall = grades.latest_grades(events, [grades.OVERALL])[0]
    assert overall.status == grades.LatestStatus.NOT_RECORDED and overall.last_given.judgement.grade == G.GOOD
    row = grades.with_latest_grades(Council.objects.filter(pk=council.pk)).get()
    assert (row.latest_inspection_id, row.overall_effectiveness_status) == (undated.pk, grades.LatestStatus.NOT_RECORDED)


def test_a_council_never_inspected(db):
    council = CouncilFactory()
    assert grades.latest_grades([], [grades.OVERALL])[0].status is None
    row = grades.with_latest_grades(Council.objects.filter(pk=council.pk)).get()
    assert row.latest_inspection_id is None and row.overall_effectiveness_status is None
    assert row.overall_effectiveness_change is None


@pytest.fixture
def partial_events(db):
    """A council judged by a SIF inspection that left its board to a review of its own (Surrey, 2014-15); another
    whose board a review judged again after its SIF inspection; an inspection of looked after children's
    services alone before the single framework (Kent, 2013)."""
    surrey, later, kent = CouncilFactory(slug="surrey"), CouncilFactory(slug="reviewed-again"), CouncilFactory(slug="kent")
    events = {
        "surrey-sif": full(surrey, F.SIF, D(2014, 10, 21), {
            Area.OVERALL_EFFECTIVENESS: G.INADEQUATE, Area.HELP_AND_PROTECTION: G.INADEQUATE}),
        "surrey-review": full(surrey, F.SIF, D(2015, 6, 15), {Area.LSCB: G.REQUIRES_IMPROVEMENT},
                              event_type=EventType.LSCB_REVIEW),
        "later-sif": full(later, F.SIF, D(2014, 3, 3), {Area.OVERALL_EFFECTIVENESS: G.GOOD, Area.LSCB: G.INADEQUATE}),
        "later-review": full(later, F.SIF, D(2016, 2, 1), {Area.LSCB: G.GOOD}, event_type=EventType.LSCB_REVIEW),
        "kent-2013": full(kent, F.LOOKED_AFTER_CHILDREN, D(2013, 7, 15), {
            Area.LOOKED_AFTER_OVERALL: G.ADEQUATE, Area.LOOKED_AFTER_CAPACITY: G.GOOD},
            event_type=EventType.LOOKED_AFTER_INSPECTION),
        "kent-sif": full(kent, F.SIF, D(2015, 9, 14), {
            Area.OVERALL_EFFECTIVENESS: G.REQUIRES_IMPROVEMENT, Area.LOOKED_AFTER_AND_PERMANENCE: G.GOOD}),
    }  # fmt: skip
    return (surrey, later, kent), events


def latest_by_line(council, lines=grades.COUNCIL_LINES):
    python = {e.line.key: e for e in grades.latest_grades(list(council.inspections.prefetch_related("judgements")), lines)}
    row = grades.with_latest_grades(Council.objects.filter(pk=council.pk), lines=lines).get()
    sql = {e.line.key: e for e in grades.annotated_latest_grades(row, lines)}
    for key, entry in python.items():
        figures = grades.LatestGradeFigures.of(entry)
        assert sql[key] == figures, key  # the same rules in SQL
    return python, row


def test_an_event_that_judges_one_part_is_never_the_latest_full_inspection(partial_events):
    (surrey, _later, kent), events = partial_events
    latest, row = latest_by_line(surrey)
    assert row.latest_inspection_id == events["surrey-sif"].pk  # not the board's review, though later
    assert latest["overall_effectiveness"].grade == G.INADEQUATE
    # The board, reviewed after the inspection, has no current grade: the review's is history.
    assert (latest["lscb"].status, latest["lscb"].grade) == (grades.LatestStatus.NOT_RECORDED, None)
    assert (latest["lscb"].last_grade, latest["lscb"].last_inspection_id) == (G.REQUIRES_IMPROVEMENT, events["surrey-review"].pk)
    latest, row = latest_by_line(kent)
    assert row.latest_inspection_id == events["kent-sif"].pk
    # 2013's judgement is history in the children in care line: the SIF grade's previous, on another scale.
    in_care = latest["children_in_care"]
    assert (in_care.grade, in_care.previous_grade, in_care.change) == (G.GOOD, G.ADEQUATE, "improved")


def test_a_board_reviewed_again_after_the_inspection_keeps_the_inspections_grade_as_current(partial_events):
    """A current grade is one the latest full inspection gave: a later review's is history, never current."""
    (_surrey, later, _kent), events = partial_events
    latest, _row = latest_by_line(later)
    lscb = latest["lscb"]
    assert (lscb.grade, lscb.inspection_id, lscb.change) == (G.INADEQUATE, events["later-sif"].pk, "first")
    assert (lscb.last_grade, lscb.last_inspection_id) == (G.GOOD, events["later-review"].pk)
    assert latest["overall_effectiveness"].grade == G.GOOD
    annotated = grades.with_latest_inspection(Council.objects.filter(pk=later.pk))
    lscb_line = grades.LINES_BY_KEY["lscb"]
    # The filters read the same current grade.
    assert annotated.filter(grades.has_current_grade(lscb_line, G.INADEQUATE)).exists()
    assert not annotated.filter(grades.has_current_grade(lscb_line, G.GOOD)).exists()
    assert annotated.filter(grades.has_current_change(lscb_line, grades.GradeChange.FIRST)).exists()
    assert not annotated.filter(grades.has_current_change(lscb_line, grades.GradeChange.IMPROVED)).exists()
