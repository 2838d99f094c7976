"""load_data: the shipped files in order; the Tower Hamlets record is loaded without undoing edits."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from councils.models import Council
from inspections.frameworks import Area, EventType, Grade
from importing.files import ImportSummary
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet
from inspections.management.commands import load_data
from inspections.models import Inspection, Judgement, Origin, Source
from tests.factories import CouncilFactory

from .conftest import OUTCOMES_ODS

FIXTURE = settings.FIXTURES_DIR / "tower_hamlets.json"
needs_fixture = pytest.mark.skipif(not FIXTURE.exists(), reason="fixtures/tower_hamlets.json not written yet")


def test_missing_fixture_is_skipped_with_a_message(db, monkeypatch):
    monkeypatch.setattr(load_data, "TOWER_HAMLETS_FIXTURE", "no_such_fixture.json")
    out = StringIO()
    call_command("load_data", stdout=out, stderr=StringIO())
    assert "Skipped the Tower Hamlets record: fixtures/no_such_fixture.json does not exist yet." in out.getvalue()
    assert Inspection.objects.filter(council__slug="tower-hamlets", start_date=datetime.date(2019, 6, 10)).get().origin == Origin.OFSTED_OUTCOMES


@needs_fixture
def test_edits_to_the_fixtures_rows_survive_load_data(db):
    call_command("load_data", stdout=StringIO(), stderr=StringIO())
    inspection = Inspection.objects.get(council__slug="tower-hamlets", event_type=EventType.STANDARD_INSPECTION)
    inspection.summary = "Edited in the admin."
    inspection.save()
    out = StringIO()
    call_command("load_data", details=True, stdout=out, stderr=StringIO())
    inspection.refresh_from_db()
    assert inspection.summary == "Edited in the admin."
    assert "Loaded tower_hamlets.json: nothing changed" in out.getvalue()


@needs_fixture
def test_fixture_loaded_after_an_import_replaces_the_imported_rows(councils):
    """A database filled before the fixture existed: the hand-entered record takes over, nothing doubles."""
    import_outcomes_spreadsheet(OUTCOMES_ODS)
    imported = Inspection.objects.get(council__slug="tower-hamlets", start_date=datetime.date(2024, 11, 11))
    assert imported.origin == Origin.OFSTED_OUTCOMES
    out = StringIO()
    call_command("load_data", details=True, stdout=out, stderr=StringIO())
    assert "imported rows replaced by the hand-entered record" in out.getvalue()
    short = Inspection.objects.get(council__slug="tower-hamlets", start_date=datetime.date(2024, 11, 11))
    assert short.pk == imported.pk and short.origin == Origin.MANUAL
    assert Inspection.objects.filter(council__slug="tower-hamlets", published_date=datetime.date(2025, 1, 13)).count() == 1
    assert Judgement.objects.get(inspection=short, area=Area.CARE_LEAVERS).grade == Grade.OUTSTANDING
    assert Source.objects.filter(document="data/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods").count() == 1


def test_the_short_account_words_each_reason_and_counts_it_from_the_summaries(db):
    CouncilFactory(is_current=True)
    CouncilFactory(is_current=False)
    history = ImportSummary("ilacs_inspection_history.csv")
    for line in range(3):
        history.skip("judgement not given: data_unreadable", f"line {line}")
    history.skip("a reason no one has worded yet")
    history.conflict("lead inspector: A in one file, B in the other")
    indicators = ImportSummary("workforce.csv")
    indicators.skip("national or regional row (not a council)")

    account = load_data.loaded_account([history, indicators], fixture_changes=0, details=False)

    assert f"The database holds {Council.objects.count()} councils (1 current, 1 former)" in account
    assert "Nothing changed: the database already held everything the files give." in account
    assert "  grade cells the history file could not read from the older reports" in account
    assert "reads those reports itself): 3\n" in account
    assert "  national and regional totals in DfE's files (the app holds councils' figures): 1\n" in account
    assert "  a reason no one has worded yet: 1\n" in account
    assert "data_unreadable" not in account
    assert account.endswith("Each file's full summary, with examples: manage.py load_data --details")
    assert "disagree" in account and account.count(": 1\n") == 3


def test_verbosity_0_prints_nothing_and_verbosity_2_the_files_summaries(db):
    quiet, detailed = StringIO(), StringIO()
    call_command("load_data", verbosity=0, stdout=quiet, stderr=StringIO())
    call_command("load_data", verbosity=2, stdout=detailed, stderr=StringIO())
    assert quiet.getvalue() == ""
    assert detailed.getvalue().count("Summary for ") == 7
    assert "load_data --details" not in detailed.getvalue()
