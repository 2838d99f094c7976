"""Importing a report PDF makes one draft inspection, never a duplicate, and saves nothing from a refused file."""

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from councils.models import Council, CouncilAlias
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.importers import report_import
from inspections.importers.report_import import find_council, import_report
from inspections.importers.report_pdf import STRENGTH, ImprovementPoint, ReportError, parse_report
from inspections.management.commands.import_report import Command
from inspections.models import Finding, Inspection, Judgement, Origin, Source

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "reports"
REPORT_2019 = REPORTS / "tower-hamlets" / "tower-hamlets_published-2019-07-22.pdf"
REPORT_2024 = REPORTS / "tower-hamlets" / "tower-hamlets_published-2025-01-13.pdf"
REPORT_2017 = REPORTS / "tower-hamlets" / "tower-hamlets_published-2017-04-07.pdf"
HTML_PAGE = REPORTS / "sample" / "birmingham_published-2012-10-19.pdf"


@pytest.fixture
def tower_hamlets():
    return Council.objects.create(
        name="Tower Hamlets", slug="tower-hamlets", ofsted_urn="80516", la_code="211", ons_code="E09000030"
    )


def saved_rows():
    return (Inspection.objects.count(), Judgement.objects.count(), Finding.objects.count(), Source.objects.count())


def test_report_becomes_a_draft_with_judgements_and_findings(tower_hamlets):
    result = import_report(REPORT_2019)

    assert result.created and not result.already_exists
    inspection = Inspection.objects.get()
    assert inspection == result.inspection
    assert inspection.council == tower_hamlets
    assert inspection.status == Inspection.Status.DRAFT
    assert inspection.origin == Origin.REPORT_PDF
    assert inspection.framework == Framework.ILACS
    assert inspection.event_type == EventType.STANDARD_INSPECTION
    assert (inspection.start_date, inspection.end_date) == (datetime.date(2019, 6, 10), datetime.date(2019, 6, 21))
    assert inspection.lead_inspector == "Marcie Taylor"
    assert dict(inspection.judgements.values_list("area", "grade")) == {
        Area.LEADERSHIP: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.GOOD,
        Area.OVERALL_EFFECTIVENESS: Grade.GOOD,
    }
    findings = list(inspection.findings.order_by("order"))
    assert [finding.order for finding in findings] == [1, 2, 3]
    assert {finding.kind for finding in findings} == {Finding.Kind.WHAT_NEEDS_TO_IMPROVE}
    assert findings[0].text.startswith("The quality of plans for children in need")
    assert inspection.sources.get().kind == Source.Kind.OFSTED_REPORT
    assert "created draft" in result.describe()


def test_an_uploaded_file_is_imported_and_the_editor_recorded(tower_hamlets):
    editor = get_user_model().objects.create_user("editor")
    upload = SimpleUploadedFile("report.pdf", REPORT_2019.read_bytes(), content_type="application/pdf")

    inspection = import_report(upload, user=editor).inspection

    assert {record.history_user for record in inspection.history.all()} == {editor}
    assert "report.pdf" in inspection.sources.get().notes


def test_short_inspection_after_2022_grades_children_in_care_and_care_leavers_apart(tower_hamlets):
    inspection = import_report(REPORT_2024).inspection
    assert inspection.event_type == EventType.SHORT_INSPECTION
    assert inspection.judgements.get(area=Area.CARE_LEAVERS).grade == Grade.OUTSTANDING
    assert inspection.judgements.get(area=Area.CHILDREN_IN_CARE).grade == Grade.GOOD


def test_sif_report_keeps_the_lscb_recommendations_apart(tower_hamlets):
    inspection = import_report(REPORT_2017).inspection
    assert inspection.event_type == EventType.FULL_INSPECTION
    assert inspection.published_date == datetime.date(2017, 4, 7)
    assert inspection.judgements.count() == 7
    assert inspection.judgements.get(area=Area.LSCB).grade == Grade.INADEQUATE
    assert inspection.findings.filter(area=Area.LSCB).count() == 5
    assert inspection.findings.count() == 20


def test_the_same_report_twice_is_found_not_duplicated(tower_hamlets):
    first = import_report(REPORT_2019)
    before = saved_rows()

    again = import_report(REPORT_2019)

    assert again.already_exists and not again.created
    assert again.inspection == first.inspection
    assert again.differences == []
    assert "already in the database" in again.describe()
    assert saved_rows() == before


def test_an_overlapping_inspection_is_reported_with_its_differences(tower_hamlets):
    recorded = Inspection.objects.create(
        council=tower_hamlets,
        event_type=EventType.STANDARD_INSPECTION,
        framework=Framework.ILACS,
        start_date=datetime.date(2019, 6, 11),
        end_date=datetime.date(2019, 6, 21),
        lead_inspector="Someone Else",
        status=Inspection.Status.PUBLISHED,
    )
    Judgement.objects.create(inspection=recorded, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.OUTSTANDING)
    before = saved_rows()

    result = import_report(REPORT_2019)

    assert result.already_exists and result.inspection == recorded
    differing = {difference.field: difference for difference in result.differences}
    assert set(differing) == {
        "start date",
        "published date",  # empty in the record; the history file gives it (ILACS reports do not print it)
        "lead inspector",
        "Overall effectiveness",
        Area.LEADERSHIP.label,
        Area.HELP_AND_PROTECTION.label,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS.label,
        "points to improve",
        "report URL",
        "summary",
    }
    assert (differing["start date"].in_database, differing["start date"].in_report) == ("11 June 2019", "10 June 2019")
    assert (differing["Overall effectiveness"].in_database, differing["Overall effectiveness"].in_report) == (
        "Outstanding",
        "Good",
    )
    points = differing["points to improve"]
    assert (points.in_database, points.in_report) == ("0", "3")
    assert points.listed_in_report[0].startswith("The quality of plans for children in need")
    assert differing["report URL"].in_report == "https://files.ofsted.gov.uk/v1/file/50094564"
    assert saved_rows() == before


def test_an_inspection_known_only_to_the_month_is_found(tower_hamlets):
    Inspection.objects.create(
        council=tower_hamlets,
        event_type=EventType.STANDARD_INSPECTION,
        framework=Framework.ILACS,
        start_date=datetime.date(2019, 6, 1),
        date_precision="month",
    )
    assert import_report(REPORT_2019).already_exists


def test_a_refused_file_saves_nothing(tower_hamlets):
    with pytest.raises(ReportError, match="Report not found"):
        import_report(HTML_PAGE)
    assert saved_rows() == (0, 0, 0, 0)


def test_a_report_on_an_unknown_council_is_refused():
    with pytest.raises(ReportError, match="No council"):
        import_report(REPORT_2019)
    assert saved_rows() == (0, 0, 0, 0)


def test_the_strengths_a_sif_report_lists_are_saved_as_strengths(tower_hamlets, monkeypatch):
    read = parse_report(REPORT_2017)
    strength = ImprovementPoint("Partners work well together.", "", STRENGTH, 7)
    monkeypatch.setattr(
        report_import, "parse_report_bounded", lambda file: dataclasses.replace(read, findings=(*read.findings, strength))
    )

    inspection = import_report(REPORT_2017).inspection
    assert list(inspection.findings.filter(kind=Finding.Kind.STRENGTH).values_list("text", "page")) == [
        ("Partners work well together.", 7)
    ]


def test_a_judgement_the_framework_does_not_allow_is_refused_and_nothing_is_saved(tower_hamlets, monkeypatch):
    # A report from April 2026 on that still printed an overall effectiveness grade.
    read = parse_report(REPORT_2024)
    late = dataclasses.replace(read, start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 5, 8))
    monkeypatch.setattr(report_import, "parse_report_bounded", lambda file: late)

    with pytest.raises(ReportError, match="not judged in inspections from 1 April 2026"):
        import_report(REPORT_2024)
    assert saved_rows() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "printed", ["London Borough of Tower Hamlets", "Tower Hamlets", "Tower Hamlets Council", "the Tower Hamlets"]
)
def test_council_is_found_from_the_name_as_printed(tower_hamlets, printed):
    assert find_council(printed) == tower_hamlets


def test_council_filed_under_another_form_of_its_name_is_found():
    bristol = Council.objects.create(name="Bristol, City of", slug="bristol", la_code="801")
    hull = Council.objects.create(name="Kingston Upon Hull, City of", slug="kingston-upon-hull", la_code="810")
    st_helens = Council.objects.create(name="St. Helens", slug="st-helens", la_code="342")
    telford = Council.objects.create(name="Telford and Wrekin", slug="telford-and-wrekin", la_code="894")
    durham = Council.objects.create(name="Durham", slug="durham", la_code="840")
    bcp = Council.objects.create(name="Bournemouth, Christchurch and Poole", slug="bcp", la_code="839")
    CouncilAlias.objects.create(council=bcp, kind=CouncilAlias.Kind.NAME, value="BCP")

    assert find_council("Bristol City Council") == bristol
    assert find_council("Kingston upon Hull City Council") == hull
    assert find_council("St Helens Council") == st_helens
    assert find_council("Telford & Wrekin Council") == telford
    assert find_council("Durham County Council") == durham
    assert find_council("BCP") == bcp


# The command ----------------------------------------------------------------------------------------------------


def run_command(*pdfs, capsys, monkeypatch):
    """Run the command as manage.py does; the test's database connection must stay open afterwards."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "import_report", *map(str, pdfs)])
        raise SystemExit(0)
    output = capsys.readouterr()
    return exited.value.code, output.out, output.err


def test_command_imports_and_reports_one_line_per_file(tower_hamlets, capsys, monkeypatch):
    code, out, err = run_command(REPORT_2019, REPORT_2024, capsys=capsys, monkeypatch=monkeypatch)

    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("created draft #" in line for line in lines)
    assert Inspection.objects.count() == 2


def test_command_says_a_report_is_already_in_the_database(tower_hamlets, capsys, monkeypatch):
    import_report(REPORT_2019)
    code, out, _ = run_command(REPORT_2019, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0
    assert "already in the database" in out
    assert Inspection.objects.count() == 1


def test_command_refusal_exits_non_zero_without_traceback(tower_hamlets, capsys, monkeypatch, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")

    code, out, err = run_command(REPORT_2019, HTML_PAGE, empty, capsys=capsys, monkeypatch=monkeypatch)

    assert code != 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert "created draft" in lines[0]
    assert f"{HTML_PAGE}: refused: " in lines[1] and "Report not found" in lines[1]
    assert "refused: The file is empty." in lines[2]
    assert err.strip() == "CommandError: 2 of 3 files refused."
    assert "Traceback" not in out + err
    assert Inspection.objects.count() == 1


def test_call_command_raises_command_error_when_refused(tower_hamlets):
    with pytest.raises(CommandError, match="1 of 1 files refused"):
        call_command("import_report", str(HTML_PAGE))


def test_command_lists_differences_and_leaves_applying_them_to_the_admin(tower_hamlets, capsys, monkeypatch):
    inspection = import_report(REPORT_2019).inspection
    inspection.lead_inspector = "Someone Else"
    inspection.save()

    code, out, _ = run_command(REPORT_2019, capsys=capsys, monkeypatch=monkeypatch)

    assert code == 0
    assert "lead inspector: Someone Else in the database, Marcie Taylor in the report" in out
    assert "nothing changed (the admin's report import applies differences)" in out
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Someone Else" and Inspection.objects.count() == 1
