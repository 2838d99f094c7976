"""One transaction per file: a file that fails halfway leaves the database as it was."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council, Region, StatisticalNeighbour
from councils.importers import councils_csv as council_importers
from inspections.importers import dfe_indicators_csv
from inspections.importers.inspection_writer import InspectionWriter
from inspections.models import Inspection, Judgement, KeyFigure, Source

from .conftest import HISTORY_CSV, OUTCOMES_ODS, REFERENCE_CSV, WORKFORCE_CSV


def quiet():
    return {"stdout": open(os.devnull, "w"), "stderr": open(os.devnull, "w")}


def state():
    return [model.objects.count() for model in (Region, Council, StatisticalNeighbour, Source, Inspection, Judgement, KeyFigure)]


def test_outcomes_file_failing_after_its_writes_is_rolled_back(councils, monkeypatch):
    original = InspectionWriter.finish

    def finish_then_fail(self):
        original(self)
        assert Inspection.objects.exists()  # the writes happened...
        raise RuntimeError("disk full")

    before = state()
    monkeypatch.setattr(InspectionWriter, "finish", finish_then_fail)
    with pytest.raises(CommandError) as raised:
        call_command("import_ofsted_outcomes", str(OUTCOMES_ODS), **quiet())
    assert str(raised.value) == f"{OUTCOMES_ODS.name}: could not be imported (RuntimeError: disk full)"
    assert state() == before  # ...and were undone, the new Source with them


def test_one_failing_file_does_not_undo_another(councils, monkeypatch):
    calls = []
    original = InspectionWriter.finish

    def fail_on_second_file(self):
        calls.append(self.summary.name)
        original(self)
        if len(calls) == 2:
            raise RuntimeError("connection lost")

    monkeypatch.setattr(InspectionWriter, "finish", fail_on_second_file)
    with pytest.raises(CommandError, match=r"1 of 2 files not imported: ilacs_inspection_history.csv"):
        call_command("import_ofsted_outcomes", str(HISTORY_CSV), str(OUTCOMES_ODS), **quiet())
    assert calls == [OUTCOMES_ODS.name, HISTORY_CSV.name]  # the spreadsheet is read first
    assert Inspection.objects.count() > 300
    assert not Source.objects.filter(document__endswith="ilacs_inspection_history.csv").exists()
    assert not Inspection.objects.filter(lead_inspector__gt="").exists()  # only the history CSV names inspectors


def test_indicators_failing_halfway_are_rolled_back(councils, monkeypatch):
    original = dfe_indicators_csv._Writer.apply
    seen = []

    def fail_halfway(self, *args):
        seen.append(1)
        if len(seen) == 3000:
            raise RuntimeError("halfway")
        return original(self, *args)

    before = state()
    monkeypatch.setattr(dfe_indicators_csv._Writer, "apply", fail_halfway)
    with pytest.raises(CommandError, match="halfway"):
        call_command("import_indicators", str(WORKFORCE_CSV), **quiet())
    assert state() == before


def test_councils_failing_after_councils_are_written_are_rolled_back(db, monkeypatch):
    def fail(self, councils):
        assert Council.objects.count() == 157
        raise RuntimeError("neighbours failed")

    monkeypatch.setattr(council_importers._Importer, "save_neighbours", fail)
    with pytest.raises(CommandError, match="neighbours failed"):
        call_command("import_councils", str(REFERENCE_CSV), **quiet())
    assert Council.objects.count() == 0 and Region.objects.count() == 0
