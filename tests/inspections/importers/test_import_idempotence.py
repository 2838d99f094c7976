"""Every import is idempotent: a second run changes nothing and says so."""

from io import StringIO

from django.core.management import call_command

from councils.models import Council, CouncilAlias, StatisticalNeighbour
from inspections.importers.dfe_indicators_csv import import_indicators_csv
from inspections.importers.ilacs_history_csv import import_ilacs_history_csv
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet
from inspections.models import Disagreement, Finding, Inspection, Judgement, KeyFigure, Source

from .conftest import CHILD_PROTECTION_CSV, HISTORY_CSV, LOOKED_AFTER_CSV, OUTCOMES_ODS, WORKFORCE_CSV


def counts():
    models = (Council, CouncilAlias, StatisticalNeighbour, Source, Inspection, Judgement, Finding, Disagreement, KeyFigure)
    rows = {model.__name__: model.objects.count() for model in models}
    history = {f"history of {model.__name__}": model.history.count() for model in (Council, Inspection, Judgement, Finding, KeyFigure)}
    links = {"inspection sources": Inspection.sources.through.objects.count(), "successors": Council.successors.through.objects.count()}
    return rows | history | links


def test_load_data_twice_changes_nothing_and_says_so(db):
    first = StringIO()
    call_command("load_data", stdout=first, stderr=first)
    after_first = counts()
    second = StringIO()
    call_command("load_data", stdout=second, stderr=second)
    assert counts() == after_first
    assert "Nothing changed: the database already held everything the files give." in second.getvalue()
    assert "This run added" in first.getvalue() and "Summary for " not in second.getvalue()
    detailed = StringIO()
    call_command("load_data", details=True, stdout=detailed, stderr=detailed)
    text = detailed.getvalue()
    summaries = text.count("Summary for ")
    assert summaries == 7  # the reference file, the spreadsheet, the history CSV, the report archive, three indicator files
    assert text.count("Nothing changed: the database already holds what this file gives") == summaries
    for line in text.splitlines():
        if line.strip().startswith(("created:", "updated:")):
            assert line.split(":", 1)[1].strip() == "nothing", line


def test_each_importer_second_run_unchanged(councils):
    for importer, path in (
        (import_outcomes_spreadsheet, OUTCOMES_ODS),
        (import_ilacs_history_csv, HISTORY_CSV),
        (import_indicators_csv, WORKFORCE_CSV),
        (import_indicators_csv, LOOKED_AFTER_CSV),
        (import_indicators_csv, CHILD_PROTECTION_CSV),
    ):
        first = importer(path)
        assert first.changed
        before = counts()
        second = importer(path)
        assert not second.changed, path.name
        assert counts() == before
        assert sum(second.unchanged.values()) > 0
        assert "Nothing changed" in str(second)


def test_history_csv_then_spreadsheet_gives_the_same_inspections(councils):
    """The same inspection seen in several files is one, whichever file comes first."""
    import_ilacs_history_csv(HISTORY_CSV)
    import_outcomes_spreadsheet(OUTCOMES_ODS)
    reversed_order = sorted(Inspection.objects.values_list("council__slug", "event_type", "start_date", "published_date"), key=str)
    reversed_grades = sorted(Judgement.objects.values_list("inspection__council__slug", "inspection__start_date", "area", "grade"), key=str)
    Judgement.objects.all().delete()
    Inspection.objects.all().delete()
    Source.objects.all().delete()
    import_outcomes_spreadsheet(OUTCOMES_ODS)
    import_ilacs_history_csv(HISTORY_CSV)
    assert sorted(Inspection.objects.values_list("council__slug", "event_type", "start_date", "published_date"), key=str) == reversed_order
    assert sorted(Judgement.objects.values_list("inspection__council__slug", "inspection__start_date", "area", "grade"), key=str) == reversed_grades
