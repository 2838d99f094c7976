"""Reading a report PDF is bounded in time and memory (inspections/importers/report_limits.py).

The crafted file of issue 15 (tests/security/crafted_pdf.py: 200 pages sharing one 10 MB content stream,
about 60 KB on disk) kept a web worker busy past every timeout. Here it is refused within the limits by
every way in: the bounded reader itself, the command-line import, and the admin's upload form
(test_uploads.py); test_production_server.py uploads it to gunicorn while public pages keep answering.
"""

import contextlib
import signal
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.importers.report_limits import ParseLimits, parse_report_bounded
from inspections.importers.report_pdf import ReportError, parse_report
from tests.security.crafted_pdf import heavy_pdf

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


def refusal(source, limits=None, within=30):
    started = time.monotonic()
    with deadline(within), pytest.raises(ReportError) as refused:
        parse_report_bounded(source, limits)
    return str(refused.value), time.monotonic() - started


def test_the_crafted_report_is_refused_for_its_pages_content():
    message, seconds = refusal(heavy_pdf())
    assert "Page 1 of the PDF holds 10.0 MB of drawing instructions" in message
    assert "at most 1 MB" in message
    assert seconds < ParseLimits().seconds


def test_reading_that_takes_too_long_is_stopped():
    """Pages under the content limit whose text still takes too long: the child is stopped at the limit."""
    limits = ParseLimits(seconds=2, page_content_bytes=100 * 2**20)
    message, seconds = refusal(heavy_pdf(pages=20, content_bytes=2 * 2**20), limits)
    assert message == (
        "Reading the PDF took longer than 2 seconds, the most a report may take: import the report Ofsted published."
    )
    assert seconds < 4


def test_reading_that_needs_too_much_memory_is_stopped():
    limits = ParseLimits(memory_bytes=200 * 2**20, page_content_bytes=100 * 2**20)
    message, _seconds = refusal(heavy_pdf(pages=1, content_bytes=60 * 2**20), limits)
    assert "needed more than 200 MB of memory" in message


def test_a_report_reads_the_same_within_the_limits():
    assert parse_report_bounded(REPORT) == parse_report(REPORT)
    assert parse_report_bounded(REPORT.read_bytes(), ParseLimits(seconds=15)).council_name


def test_a_file_that_is_not_a_pdf_is_refused_without_starting_a_reader(monkeypatch):
    monkeypatch.setattr("subprocess.run", lambda *args, **kwargs: pytest.fail("a reader was started"))
    assert refusal(b"<html><body>Sign in</body></html>")[0].startswith("This is a web page")


def test_the_limits_are_set_in_settings(settings):
    settings.REPORT_PARSE_SECONDS = 7
    settings.REPORT_PARSE_MEMORY_MB = 300
    settings.REPORT_PAGE_CONTENT_MAX_KB = 64
    settings.REPORT_UPLOAD_MAX_PAGES = 90
    assert ParseLimits.from_settings() == ParseLimits(
        seconds=7, memory_bytes=300 * 2**20, page_content_bytes=64 * 1024, max_pages=90
    )


@pytest.mark.django_db
def test_the_import_command_refuses_the_crafted_report_in_one_line(tmp_path, capsys):
    crafted = tmp_path / "report.pdf"
    crafted.write_bytes(heavy_pdf())
    with deadline(30), pytest.raises(CommandError, match="1 of 1 files refused"):
        call_command("import_report", str(crafted))
    output = capsys.readouterr().out
    assert output.count("\n") == 1 and "refused: Page 1 of the PDF holds 10.0 MB of drawing instructions" in output
