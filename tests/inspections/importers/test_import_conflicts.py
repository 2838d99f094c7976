"""Rows entered by hand (fixtures, admin edits) are recognised, never overwritten, and where a file
disagrees with them the conflict is reported."""

import datetime
import decimal

from councils.models import Council
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.importers.dfe_indicators_csv import import_indicators_csv
from inspections.importers.ilacs_history_csv import import_ilacs_history_csv
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet
from inspections.models import Inspection, Judgement, KeyFigure, Origin, Source
from tests.factories import InspectionFactory, JudgementFactory

from .conftest import HISTORY_COLUMNS, history_csv_row, write_csv
from .ods import history_row, outcomes_ods
from .test_import_indicators import WORKFORCE_COLUMNS, workforce_row

D = datetime.date
TH_2019 = ("E09000030", "Tower Hamlets", D(2019, 6, 10), D(2019, 7, 22), "ILACS Standard Inspection")


def hand_entered(**fields):
    council = Council.objects.get(slug="tower-hamlets")
    values = {
        "council": council,
        "event_type": EventType.STANDARD_INSPECTION,
        "framework": Framework.ILACS,
        "start_date": D(2019, 6, 10),
        "end_date": D(2019, 6, 21),
        "published_date": D(2019, 7, 22),
        "lead_inspector": "Marcie Taylor",
        "report_url": "https://files.ofsted.gov.uk/v1/file/50094564",
    }
    values.update(fields)
    inspection = InspectionFactory(**values)
    assert inspection.origin == Origin.MANUAL
    for area in (Area.OVERALL_EFFECTIVENESS, Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS):
        JudgementFactory(inspection=inspection, area=area, grade=Grade.GOOD)
    return inspection


def snapshot(inspection):
    inspection.refresh_from_db()
    return (
        inspection.event_type,
        inspection.start_date,
        inspection.end_date,
        inspection.published_date,
        inspection.lead_inspector,
        inspection.report_url,
        inspection.origin,
        sorted(inspection.judgements.values_list("area", "grade", "source")),
        sorted(inspection.sources.values_list("pk", flat=True)),
    )


def test_spreadsheet_disagreeing_with_hand_entered_inspection_is_reported(councils, tmp_path):
    inspection = hand_entered()
    before = snapshot(inspection)
    path = outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Inadequate", "Good", "Good", "Good", ""))])
    summary = import_outcomes_spreadsheet(path)
    assert snapshot(inspection) == before
    assert Inspection.objects.filter(council__slug="tower-hamlets").count() == 1
    assert len(summary.conflicts) == 1
    conflict = summary.conflicts[0]
    assert "Tower Hamlets, standard inspection starting 10 Jun 2019" in conflict
    assert "entered by hand" in conflict
    assert "Overall effectiveness Good in the database, Inadequate in the file" in conflict
    assert "kept the database's" in conflict
    assert "conflicts: 1" in str(summary)
    # A second run changes nothing and reports the conflict again.
    again = import_outcomes_spreadsheet(path)
    assert not again.changed and again.conflicts == summary.conflicts
    assert "Nothing changed" in str(again)


def test_agreeing_file_is_no_conflict(councils, tmp_path):
    inspection = hand_entered()
    before = snapshot(inspection)
    summary = import_outcomes_spreadsheet(
        outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Good", "Good", "Good", "Good", ""))])
    )
    assert summary.conflicts == []
    assert not summary.created["inspections"] and not summary.created["judgements"] and not summary.updated
    assert summary.skipped["already in the database, entered by hand: left as it is"] == 1
    assert snapshot(inspection) == before


def test_hand_entered_recognised_by_publication_date(councils, tmp_path):
    """Different start date in the file: same council, type family and publication date -> same inspection."""
    inspection = hand_entered(start_date=D(2019, 6, 11), end_date=D(2019, 6, 21))
    summary = import_outcomes_spreadsheet(
        outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Good", "Good", "Good", "Good", ""))])
    )
    assert Inspection.objects.filter(council__slug="tower-hamlets").count() == 1
    assert "start date 2019-06-11 in the database, 2019-06-10 in the file" in summary.conflicts[0]
    inspection.refresh_from_db()
    assert inspection.start_date == D(2019, 6, 11)


def test_hand_entered_recognised_by_report_url(councils, tmp_path):
    inspection = hand_entered(published_date=None, start_date=D(2019, 6, 3), end_date=D(2019, 6, 4))
    row = history_csv_row(
        "80516", "tower hamlets", "22/07/19", "standard", "10/06/2019", "21/06/2019",
        ("good", "good", "good", "good", "inspection_pre_dates_judgement"),
        link="https://files.ofsted.gov.uk/v1/file/50094564", inspector="Marcie Taylor",
    )
    summary = import_ilacs_history_csv(write_csv(tmp_path / "h.csv", HISTORY_COLUMNS, [row]))
    assert Inspection.objects.filter(council__slug="tower-hamlets").count() == 1
    assert "start date 2019-06-03 in the database, 2019-06-10 in the file" in summary.conflicts[0]
    inspection.refresh_from_db()
    assert inspection.published_date is None  # not filled in either: hand-entered rows are left alone


def test_hand_entered_recognised_by_overlapping_dates(councils, tmp_path):
    hand_entered(published_date=None, report_url="", start_date=D(2019, 6, 12), end_date=D(2019, 6, 20))
    row = history_csv_row(
        "80516", "tower hamlets", "22/07/19", "standard", "10/06/2019", "21/06/2019",
        ("good", "good", "good", "good", "inspection_pre_dates_judgement"), inspector="Marcie Taylor",
    )
    summary = import_ilacs_history_csv(write_csv(tmp_path / "h.csv", HISTORY_COLUMNS, [row]))
    assert Inspection.objects.filter(council__slug="tower-hamlets").count() == 1
    assert len(summary.conflicts) == 1


def test_hand_entered_sif_inspection_recognised_from_undated_report_row(councils, tmp_path):
    """The history CSV's pre-2018 rows carry only a publication date and a link."""
    sif = InspectionFactory(
        council=Council.objects.get(slug="tower-hamlets"),
        event_type=EventType.FULL_INSPECTION,
        framework=Framework.SIF,
        start_date=D(2017, 1, 23),
        end_date=D(2017, 2, 16),
        published_date=D(2017, 4, 7),
    )
    row = history_csv_row("80516", "tower hamlets", "07/04/17", "", "", "", ("", *["data_unreadable"] * 4), link="https://files.ofsted.gov.uk/v1/file/2760740")
    summary = import_ilacs_history_csv(write_csv(tmp_path / "h.csv", HISTORY_COLUMNS, [row]))
    assert list(Inspection.objects.filter(council__slug="tower-hamlets")) == [sif]
    assert summary.conflicts == []
    sif.refresh_from_db()
    assert sif.report_url == ""


def test_admin_edit_of_imported_inspection_is_kept(councils, tmp_path):
    path = outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Good", "Good", "Good", "Good", ""))])
    import_outcomes_spreadsheet(path)
    inspection = Inspection.objects.get(council__slug="tower-hamlets")
    assert inspection.origin == Origin.OFSTED_OUTCOMES
    # An editor corrects the publication date in the admin (a save without the importer's change reason).
    inspection.published_date = D(2019, 7, 23)
    inspection.save()
    summary = import_outcomes_spreadsheet(path)
    inspection.refresh_from_db()
    assert inspection.published_date == D(2019, 7, 23)
    assert "imported, then edited by hand" in summary.conflicts[0]
    assert "published date 2019-07-23 in the database, 2019-07-22 in the file" in summary.conflicts[0]
    assert not summary.changed


def test_admin_edit_of_imported_judgement_is_kept(councils, tmp_path):
    path = outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Good", "Good", "Good", "Good", ""))])
    import_outcomes_spreadsheet(path)
    judgement = Judgement.objects.get(inspection__council__slug="tower-hamlets", area=Area.LEADERSHIP)
    judgement.grade = Grade.OUTSTANDING
    judgement.save()
    summary = import_outcomes_spreadsheet(path)
    judgement.refresh_from_db()
    assert judgement.grade == Grade.OUTSTANDING
    assert "(edited by hand)" in summary.conflicts[0]


def test_official_statistics_win_over_the_history_csv_in_either_order(councils, tmp_path):
    ods = outcomes_ods(tmp_path / "o.ods", history=[history_row(*TH_2019, ("Good", "Good", "Good", "Good", ""))])
    csv_path = write_csv(
        tmp_path / "h.csv",
        HISTORY_COLUMNS,
        [history_csv_row("80516", "tower hamlets", "22/07/19", "standard", "10/06/2019", "21/06/2019",
                         ("requires improvement", "good", "good", "good", "inspection_pre_dates_judgement"), link="https://example.org/r")],
    )
    import_ilacs_history_csv(csv_path)
    assert Judgement.objects.get(area=Area.OVERALL_EFFECTIVENESS).grade == Grade.REQUIRES_IMPROVEMENT
    import_outcomes_spreadsheet(ods)
    assert Judgement.objects.get(area=Area.OVERALL_EFFECTIVENESS).grade == Grade.GOOD
    summary = import_ilacs_history_csv(csv_path)
    assert Judgement.objects.get(area=Area.OVERALL_EFFECTIVENESS).grade == Grade.GOOD
    assert "kept the official statistics'" in summary.conflicts[0]
    assert not summary.changed
    inspection = Inspection.objects.get()
    assert inspection.end_date == D(2019, 6, 21) and inspection.report_url == "https://example.org/r"
    assert set(inspection.sources.values_list("kind", flat=True)) == {Source.Kind.OFSTED_STATISTICS, Source.Kind.DATASET}


def test_hand_entered_key_figure_is_not_overwritten(councils, tmp_path):
    path = write_csv(tmp_path / "social_work_workforce.csv", WORKFORCE_COLUMNS, [workforce_row(2024, "211", "E09000030", "Tower Hamlets", turnover="8.1")])
    import_indicators_csv(path)
    figure = KeyFigure.objects.get(metric="social_worker_turnover_rate")
    figure.value = decimal.Decimal("9.5")  # corrected by hand in the admin
    figure.save()
    summary = import_indicators_csv(path)
    figure.refresh_from_db()
    assert figure.value == decimal.Decimal("9.5")
    assert "Social worker turnover rate 30 Sep 2024: 9.5 in the database (entered by hand), 8.1 in the file" in summary.conflicts[0]
