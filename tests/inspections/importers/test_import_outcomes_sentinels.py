"""Sentinel values and blanks become absent judgements, never grades; Ofsted's wording maps to grades."""

import datetime

import pytest

from councils.models import Council
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.importers.ofsted_wording import parse_grade
from inspections.importers.ilacs_history_csv import import_ilacs_history_csv
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet
from inspections.models import Inspection

from .conftest import HISTORY_COLUMNS, history_csv_row, write_csv
from .ods import history_row, in_year_row, latest_row, outcomes_ods

D = datetime.date
GOOD4 = ("good", "good", "good", "good")


def areas(inspection):
    return {j.area: j.grade for j in inspection.judgements.all()}


def import_history_row(tmp_path, grades, start="10/06/2019", end="21/06/2019", published="22/07/19", framework="standard"):
    path = write_csv(
        tmp_path / "history.csv",
        HISTORY_COLUMNS,
        [history_csv_row("80516", "tower hamlets", published, framework, start, end, grades, link="https://example.org/r/1")],
    )
    return import_ilacs_history_csv(path)


@pytest.mark.parametrize(
    ("sentinel", "reason"),
    [
        ("data_unreadable", "judgement not given: data_unreadable"),
        ("", "judgement not given: blank"),
        ("Not yet inspected", "judgement not given: Not yet inspected"),
    ],
)
def test_overall_sentinel_is_absent(councils, tmp_path, sentinel, reason):
    summary = import_history_row(tmp_path, (sentinel, "good", "good", "good", "inspection_pre_dates_judgement"))
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert areas(inspection) == {
        Area.LEADERSHIP: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.GOOD,
    }
    assert summary.skipped[reason] == 1


def test_inspection_pre_dates_judgement_is_absent(councils, tmp_path):
    summary = import_history_row(tmp_path, ("good", "good", "good", "good", "inspection_pre_dates_judgement"))
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert Area.CARE_LEAVERS not in areas(inspection)
    # Before 2023 the "in care" column is the joint judgement on children in care and care leavers.
    assert areas(inspection)[Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS] == Grade.GOOD
    assert summary.skipped["judgement not given: inspection_pre_dates_judgement"] == 1


def test_not_reported_post_reform_is_absent(councils, tmp_path):
    summary = import_history_row(
        tmp_path,
        ("not_reported_post_reform", "outstanding", "good", "good", "requires improvement"),
        start="11/05/2026",
        end="22/05/2026",
        published="07/07/26",
    )
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert areas(inspection) == {
        Area.LEADERSHIP: Grade.OUTSTANDING,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
        Area.CHILDREN_IN_CARE: Grade.GOOD,
        Area.CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT,
    }
    assert summary.skipped["judgement not given: not_reported_post_reform"] == 1


def test_a_report_whose_kind_the_file_does_not_state_is_left_to_the_report_archive(councils, tmp_path):
    """A pre-2018 report: no framework, no dates, every grade unreadable. It may report a full inspection, a review
    of the safeguarding board alone or an inspection of looked after children's services alone, or be a web page
    saved where the report was: the file does not say which, so no event is made of it."""
    summary = import_history_row(tmp_path, ("", *["data_unreadable"] * 4), start="", end="", published="07/04/16", framework="")
    assert not Inspection.objects.exists()
    assert summary.skipped["kind of report not stated (the report archive reads it from the report)"] == 1


def test_unrecognised_wording_is_absent_not_guessed(councils, tmp_path):
    summary = import_history_row(tmp_path, ("", "requires improvement", "to requires improvement", "good", "inspection_pre_dates_judgement"))
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert Area.HELP_AND_PROTECTION not in areas(inspection)
    assert summary.skipped["grade not recognised: 'to requires improvement'"] == 1


def test_grade_wording():
    assert parse_grade("Requires improvement to be good") == (Grade.REQUIRES_IMPROVEMENT, None)
    assert parse_grade("requires improvement") == (Grade.REQUIRES_IMPROVEMENT, None)
    assert parse_grade(" Outstanding ") == (Grade.OUTSTANDING, None)
    assert parse_grade("Inadequate") == (Grade.INADEQUATE, None)
    for sentinel in ("data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform", "", None, "Not yet inspected"):
        grade, reason = parse_grade(sentinel)
        assert grade is None and reason.startswith("judgement not given")


def test_spreadsheet_wording_event_types_and_themes(councils, tmp_path):
    ri = "Requires improvement to be good"
    path = outcomes_ods(
        tmp_path / "outcomes.ods",
        history=[
            history_row("E09000030", "Tower Hamlets", D(2019, 6, 10), D(2019, 7, 22), "ILACS Standard Inspection", ("Good", ri, "Good", "Inadequate", "")),
        ],
        in_year=[
            in_year_row("E09000002", "Barking and Dagenham", D(2025, 3, 26), D(2025, 4, 29), "ILACS Focused Visit", theme="Children in need/subject to a plan"),
            in_year_row("E08000032", "Bradford", D(2025, 2, 11), D(2025, 3, 13), "LA Monitoring visit", theme="Children in care"),
        ],
    )
    summary = import_outcomes_spreadsheet(path)
    standard = Inspection.objects.get(council__slug="tower-hamlets")
    assert (standard.event_type, standard.framework, standard.origin) == (EventType.STANDARD_INSPECTION, Framework.ILACS, "ofsted_outcomes")
    assert areas(standard) == {
        Area.OVERALL_EFFECTIVENESS: Grade.GOOD,
        Area.LEADERSHIP: Grade.REQUIRES_IMPROVEMENT,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.INADEQUATE,
    }
    focused = Inspection.objects.get(council__slug="barking-and-dagenham")
    assert (focused.event_type, focused.theme, focused.start_date) == (EventType.FOCUSED_VISIT, "Children in need/subject to a plan", D(2025, 3, 26))
    assert focused.judgements.count() == 0
    monitoring = Inspection.objects.get(council__slug="bradford")
    assert (monitoring.event_type, monitoring.theme) == (EventType.MONITORING_VISIT, "Children in care")
    assert summary.skipped["sheet not in the file"] == 0
    assert standard.status == Inspection.Status.PUBLISHED
    assert standard.sources.get().kind == "ofsted_statistics"
    assert all(j.source_id == standard.sources.get().pk for j in standard.judgements.all())


def test_spreadsheet_not_yet_inspected_and_blanks(councils, tmp_path):
    path = outcomes_ods(
        tmp_path / "outcomes.ods",
        latest=[
            latest_row("E09000030", "Tower Hamlets", "Not yet inspected", "", ["Not yet inspected"] * 5),
            latest_row("E09000002", "Barking and Dagenham", D(2023, 7, 10), D(2023, 9, 4), ["", "", "", "", ""]),
        ],
        history=[
            history_row("E09000002", "Barking and Dagenham", D(2023, 7, 10), D(2023, 9, 4), "ILACS Standard Inspection", ("Good", "Good", "Good", "Good", "")),
        ],
    )
    summary = import_outcomes_spreadsheet(path)
    assert not Inspection.objects.filter(council__slug="tower-hamlets").exists()
    assert summary.skipped["not yet inspected"] == 1
    inspection = Inspection.objects.get(council__slug="barking-and-dagenham")
    assert Area.CARE_LEAVERS not in areas(inspection)  # blank, not a grade
    assert len(areas(inspection)) == 4
    assert summary.skipped["judgement not given: blank"] >= 1


def test_latest_sheet_without_type_merges_with_history(councils, tmp_path):
    """The latest-grades sheet gives no inspection type: its rows are the history's inspections."""
    row = ("E09000030", "Tower Hamlets", D(2024, 11, 11), D(2025, 1, 13))
    grades = ("Outstanding", "Outstanding", "Good", "Good", "Outstanding")
    path = outcomes_ods(
        tmp_path / "outcomes.ods",
        history=[history_row(*row, "ILACS Short Inspection", grades)],
        in_year=[in_year_row(*row, "ILACS Short Inspection", grades)],
        latest=[latest_row(*row, grades)],
    )
    summary = import_outcomes_spreadsheet(path)
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert inspection.event_type == EventType.SHORT_INSPECTION
    assert areas(inspection)[Area.CARE_LEAVERS] == Grade.OUTSTANDING
    assert summary.created["inspections"] == 1
    assert summary.conflicts == []
    assert Council.objects.get(slug="tower-hamlets").inspections.count() == 1
