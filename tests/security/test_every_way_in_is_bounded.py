"""Every way a report PDF comes in is read within the same limits, set in one place (settings; report_limits.py).

Each of the reader's limits (wall-clock and CPU time, memory, one page's drawing instructions) is lowered in
settings and broken by a crafted file (tests/security/crafted_pdf.py) that only that limit stops in time. Each
way in (the reader itself, `manage.py import_report`, the admin's upload form, `manage.py build_archive`) must
refuse it with that limit's one-line reason, in about the limit's time: a way in that read without the limit
would give another reason, or take longer. The archive build goes on to read the report beside it.
"""

import functools
import json
import shutil
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.importers.report_limits import ParseLimits, parse_report_bounded
from inspections.importers.report_pdf import ReportError
from tests.inspections.importers.test_build_archive import BURY, SAMPLE
from tests.security.crafted_pdf import heavy_pdf
from tests.security.test_uploads import report_error, upload

# limit: (settings, the crafted file, the start of the refusal). The other limits are raised out of the way.
LIMITS = {
    "page content": (
        {"REPORT_PAGE_CONTENT_MAX_KB": 1024, "REPORT_PARSE_SECONDS": 20},
        functools.cache(lambda: heavy_pdf()),  # issue 15's file: 200 pages sharing one 10 MB content stream
        "Page 1 of the PDF holds 10.0 MB of drawing instructions; a report's pages hold at most 1 MB",
    ),
    "time": (
        {"REPORT_PARSE_SECONDS": 2, "REPORT_PAGE_CONTENT_MAX_KB": 100 * 1024},
        functools.cache(lambda: heavy_pdf(pages=20, content_bytes=2 * 2**20)),  # minutes of text extraction
        "Reading the PDF took longer than 2 seconds",
    ),
    "memory": (
        # Time to spare: on a busy machine the reading reaches 200 MB only after more than the usual 20 s.
        {"REPORT_PARSE_MEMORY_MB": 200, "REPORT_PAGE_CONTENT_MAX_KB": 100 * 1024, "REPORT_PARSE_SECONDS": 60},
        functools.cache(lambda: heavy_pdf(pages=1, content_bytes=60 * 2**20)),  # decodes to 60 MB, then grows
        "Reading the PDF needed more than 200 MB of memory",
    ),
}


def by_the_reader(content, tmp_path, request):
    with pytest.raises(ReportError) as refused:
        parse_report_bounded(content)
    return str(refused.value)


def by_import_report(content, tmp_path, request):
    crafted = tmp_path / "report.pdf"
    crafted.write_bytes(content)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 files refused"):
        call_command("import_report", str(crafted), stdout=out)
    line = out.getvalue()
    assert line.count("\n") == 1 and line.startswith(f"{crafted}: refused: ")
    return line.removeprefix(f"{crafted}: refused: ").rstrip("\n")


def by_admin_upload(content, tmp_path, request):
    return report_error(upload(request.getfixturevalue("role_clients")["editor"], content))


def by_build_archive(content, tmp_path, request):
    folder = tmp_path / "inspection_reports"
    (folder / "80443_bury").mkdir(parents=True)
    (folder / "99999_crafted").mkdir()
    shutil.copy(SAMPLE / "bury_published-2021-12-17.pdf", folder / "80443_bury" / BURY)
    (folder / "99999_crafted" / "report.pdf").write_bytes(content)
    output, out = tmp_path / "archive.jsonl", StringIO()
    call_command("build_archive", str(folder), output=str(output), workers=2, stdout=out, stderr=StringIO())
    records = {record["path"]: record for record in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert records[f"80443_bury/{BURY}"]["status"] == "read"  # the build went on past the crafted file
    reason = records["99999_crafted/report.pdf"]["reason"]
    assert f"refused 99999_crafted/report.pdf: {reason}" in out.getvalue().splitlines()
    return reason


WAYS_IN = {
    "reader": by_the_reader,
    "import_report": by_import_report,
    "admin upload": by_admin_upload,
    "build_archive": by_build_archive,
}


@pytest.mark.django_db
@pytest.mark.parametrize("limit", LIMITS)
@pytest.mark.parametrize("way_in", WAYS_IN)
def test_each_limit_refuses_a_crafted_pdf_by_every_way_in(way_in, limit, settings, tmp_path, request):
    overrides, crafted, reason = LIMITS[limit]
    for name, value in overrides.items():
        setattr(settings, name, value)
    content = crafted()
    started = time.monotonic()
    refusal = WAYS_IN[way_in](content, tmp_path, request)
    seconds = time.monotonic() - started
    assert refusal.startswith(reason), refusal
    assert "\n" not in refusal
    # Within the limit plus a busy machine's slack.
    assert seconds < ParseLimits.from_settings().seconds + 10
