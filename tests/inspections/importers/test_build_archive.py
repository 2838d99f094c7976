"""Building the report archive file from a folder of report PDFs: determinism, provenance, refusals, bad input."""

import csv
import json
import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inspections.importers import report_archive
from inspections.importers.report_archive import build_archive

SAMPLE = Path(__file__).resolve().parents[3] / "fixtures" / "reports" / "sample"
HISTORY_COLUMNS = ["urn", "local_authority", "inspection_link", "pdf_filename", "publication_date", "inspector_name"]
BURY = "children's services inspection - 17 december 2021.pdf"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A folder laid out like the public archive: two reports, the HTML page saved as .pdf, a damaged PDF."""
    tmp_path = tmp_path_factory.mktemp("archive")
    folder = tmp_path / "inspection_reports"
    (folder / "80443_bury").mkdir(parents=True)
    (folder / "80476_kent").mkdir()
    (folder / "80429_birmingham").mkdir()
    shutil.copy(SAMPLE / "bury_published-2021-12-17.pdf", folder / "80443_bury" / BURY)
    shutil.copy(SAMPLE / "kent_published-2017-06-13.pdf", folder / "80476_kent" / "report - 13 june 2017.pdf")
    shutil.copy(SAMPLE / "birmingham_published-2012-10-19.pdf", folder / "80429_birmingham" / "report 2012.pdf")
    damaged = (SAMPLE / "dorset_published-2021-11-19.pdf").read_bytes()[:5000]
    (folder / "80429_birmingham" / "damaged.pdf").write_bytes(damaged)
    history = tmp_path / "history.csv"
    with history.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HISTORY_COLUMNS)
        writer.writerow(["80443", "bury", "https://example.invalid/50172438", BURY, "17/12/21", "Lorna Schlechte"])
    return folder, history


def build(archive, output, **options):
    folder, history = archive
    return build_archive(folder, output, history=history, workers=2, **options)


@pytest.fixture(scope="module")
def built(archive, tmp_path_factory):
    """One build of the archive folder, shared by the tests that only read its result: (summary, records)."""
    output = tmp_path_factory.mktemp("built") / "archive.jsonl"
    return build(archive, output), records(output)


def records(path):
    return {record["path"]: record for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_building_twice_gives_the_same_bytes(archive, tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    build(archive, first)
    build(archive, second)
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").splitlines()
    paths = [json.loads(line)["path"] for line in lines]
    assert paths == sorted(paths) and len(paths) == 4  # one record a line, in path order
    assert all(list(json.loads(line)) == sorted(json.loads(line)) for line in lines)  # keys sorted


def test_each_report_is_recorded_with_its_source_and_reading(built):
    _, written = built
    bury = written[f"80443_bury/{BURY}"]
    assert bury["status"] == "read"
    assert bury["urn"] == "80443"
    assert len(bury["sha256"]) == 64
    assert bury["history"]["inspection_link"] == "https://example.invalid/50172438"
    assert bury["history"]["line"] == 2
    assert (bury["framework"], bury["event_type"]) == ("ilacs", "standard_inspection")
    assert (bury["start_date"], bury["end_date"]) == ("2021-10-25", "2021-11-05")
    assert bury["lead_inspector"] == "Lorna Schlechte"
    assert bury["visits"] == [["2021-10-25", "2021-11-05"]]
    assert ["overall_effectiveness", "inadequate"] in bury["judgements"]
    assert len(bury["findings"]) == 9
    assert {finding["kind"] for finding in bury["findings"]} == {"what_needs_to_improve"}
    assert all(finding["page"] >= 1 for finding in bury["findings"])
    kent = written["80476_kent/report - 13 june 2017.pdf"]
    assert kent["history"] is None  # the CSV does not name this file
    assert ["lscb", "requires_improvement"] in kent["judgements"]
    assert {finding["area"] for finding in kent["findings"]} == {"", "lscb"}


def test_damaged_pdf_and_non_report_are_refused_and_listed(built):
    summary, written = built
    refused = dict(summary.refused)
    assert "damaged" in refused["80429_birmingham/damaged.pdf"]
    assert "web page" in refused["80429_birmingham/report 2012.pdf"]
    assert written["80429_birmingham/damaged.pdf"]["status"] == "refused"
    assert "judgements" not in written["80429_birmingham/damaged.pdf"]  # nothing half-read
    assert sum(summary.read.values()) == 2
    lines = list(summary.lines())
    assert lines[0].startswith("2 reports read (1 ilacs, 1 sif), 2 files refused")
    assert any(line.startswith("refused 80429_birmingham/damaged.pdf: ") for line in lines)


def refuse_quickly(data, limits):
    raise report_archive.ReportError("Not read in this test.")


def test_failed_build_leaves_the_previous_file_whole(archive, tmp_path, monkeypatch):
    output = tmp_path / "archive.jsonl"
    output.write_text("previous\n", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(report_archive.os, "replace", disk_full)  # the last step of writing the new file
    monkeypatch.setattr(report_archive, "parse_report_bounded", refuse_quickly)  # what is read does not matter here
    with pytest.raises(OSError):
        build(archive, output)
    assert output.read_text(encoding="utf-8") == "previous\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")] == []


def test_an_interrupted_build_reads_no_further_file(archive, tmp_path, monkeypatch):
    folder, history = archive
    read, interrupted = [], threading.Event()

    def refuse_and_count(data, limits):
        read.append(data)
        if len(read) > 1:  # the next file waits for the interruption, as a real read would still be going on
            interrupted.wait(10)
        refuse_quickly(data, limits)

    def interrupt(done, total):
        interrupted.set()
        raise KeyboardInterrupt

    monkeypatch.setattr(report_archive, "parse_report_bounded", refuse_and_count)
    with pytest.raises(KeyboardInterrupt):
        build_archive(folder, tmp_path / "archive.jsonl", history=history, workers=1, progress=interrupt)
    assert len(read) == 2  # the first file, and the one begun meanwhile; of four
    assert not (tmp_path / "archive.jsonl").exists()


def test_command_writes_the_file_and_a_summary(archive, tmp_path):
    folder, history = archive
    output = tmp_path / "archive.jsonl"
    out, err = StringIO(), StringIO()
    call_command("build_archive", str(folder), output=str(output), workers=2, stdout=out, stderr=err)
    assert "2 reports read" in out.getvalue()
    assert "read 4 of 4 PDFs" in err.getvalue()
    assert len(records(output)) == 4


@pytest.mark.parametrize(
    "make, message", [(lambda path: path / "missing", "is not a folder"), (lambda path: path, "holds no")]
)
def test_command_refuses_a_folder_without_reports(tmp_path, make, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("build_archive", str(make(tmp_path)), output=str(tmp_path / "out.jsonl"), stdout=StringIO())
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "out.jsonl").exists()
