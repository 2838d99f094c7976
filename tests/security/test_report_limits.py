"""Reading a report PDF is bounded in time and memory (inspections/importers/report_limits.py).

The crafted file of issue 15 (tests/security/crafted_pdf.py: 200 pages sharing one 10 MB content stream,
about 60 KB on disk) kept a web worker busy past every timeout. test_every_way_in_is_bounded.py shows each
limit refusing such files by every way in (the reader, the import and archive commands, the admin's upload
form); here, the reader itself. test_production_server.py uploads it to gunicorn while public pages keep
answering.
"""

import contextlib
import multiprocessing
import signal
from pathlib import Path

import pytest

from inspections.importers import report_limits
from inspections.importers.report_limits import ParseLimits, parse_report_bounded
from inspections.importers.report_pdf import ReportError, parse_report

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "reports" / "tower-hamlets" / "tower-hamlets_published-2019-07-22.pdf"


class StillReading(BaseException):
    """Raised in the reading code by deadline(): a BaseException, so that its `except Exception` lets it by."""


@contextlib.contextmanager
def deadline(seconds):
    """Fails the test, rather than hanging it, when the block takes longer than `seconds`."""

    def too_long(signum, frame):
        raise StillReading(f"still reading after {seconds} s: the reader is not bounded")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_report_reads_the_same_within_the_limits():
    assert parse_report_bounded(REPORT) == parse_report(REPORT)
    assert parse_report_bounded(REPORT.read_bytes(), ParseLimits(seconds=15)).council_name


def test_a_report_is_read_in_a_child_process_not_the_callers(monkeypatch):
    # The caller's parser is broken here; a child forked from the fork server has its own, and reads.
    monkeypatch.setattr(report_limits, "parse_report", lambda data: pytest.fail("read in the caller"))
    assert parse_report_bounded(REPORT).council_name
    assert parse_report_bounded(REPORT).council_name  # and the next, from the same server


def test_a_reader_that_cannot_start_is_a_one_line_refusal_and_leaves_no_pipe_open(monkeypatch):
    made = []

    def pipe(duplex):
        made.extend(multiprocessing.Pipe(duplex=duplex))
        return made[-2:]

    def cannot_start(process):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(report_limits.READERS, "Pipe", pipe)
    monkeypatch.setattr(report_limits.READERS.Process, "start", cannot_start)
    with pytest.raises(ReportError, match=r"^The PDF could not be read now \(no reader could be started: .*\); try again\.$"):
        parse_report_bounded(REPORT)
    assert [end.closed for end in made] == [True, True]


def test_a_file_that_is_not_a_pdf_is_refused_without_starting_a_reader(monkeypatch):
    monkeypatch.setattr(report_limits.READERS, "Process", lambda **kwargs: pytest.fail("a reader was started"))
    with pytest.raises(ReportError, match="^This is a web page"):
        parse_report_bounded(b"<html><body>Sign in</body></html>")


def test_the_limits_are_set_in_settings(settings):
    settings.REPORT_PARSE_SECONDS = 7
    settings.REPORT_PARSE_MEMORY_MB = 300
    settings.REPORT_PAGE_CONTENT_MAX_KB = 64
    settings.REPORT_UPLOAD_MAX_PAGES = 90
    assert ParseLimits.from_settings() == ParseLimits(
        seconds=7, memory_bytes=300 * 2**20, page_content_bytes=64 * 1024, max_pages=90
    )
