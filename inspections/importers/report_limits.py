"""Read a report PDF in a separate process with bounded time and memory.

pypdf's text extraction grows faster than linearly with a page's drawing instructions, so a small crafted
file (200 pages sharing one compressed 10 MB content stream) can keep a process busy for many minutes and
grow it past a gigabyte; neither the upload size nor the page count catches it. Every uploaded or imported
report is therefore read by parse_report_bounded(): the checks that need no parser run here, then
report_pdf.parse_report() runs in a child Python process that

* refuses a page whose decoded drawing instructions exceed ParseLimits.page_content_bytes, before any
  page's text is read (Ofsted's pages hold a few dozen KB),
* cannot use more than ParseLimits.cpu_seconds of processor time (RLIMIT_CPU) or ParseLimits.memory_bytes
  of address space (RLIMIT_AS), and
* is killed when it has not answered within ParseLimits.seconds of wall-clock time.

The caller waits for the child without holding the GIL, so a web worker's other threads keep serving. The
defaults come from settings (REPORT_PARSE_SECONDS, REPORT_PARSE_MEMORY_MB, REPORT_PAGE_CONTENT_MAX_KB,
REPORT_UPLOAD_MAX_PAGES; README, "Deploying").

Run as `python -m inspections.importers.report_limits LIMITS_JSON` it is the child: the PDF on stdin,
a pickled ("report", ParsedReport) or ("error", message) on stdout.
"""

import io
import json
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .report_pdf import MAX_PAGES, ReportError, check_is_pdf, first_line, parse_report, quiet_pypdf, read_bytes

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ParseLimits:
    seconds: float = 20.0  # wall-clock, from starting the child to its answer
    memory_bytes: int = 512 * 1024 * 1024  # the child's address space
    page_content_bytes: int = 1024 * 1024  # one page's drawing instructions, decoded
    max_pages: int = MAX_PAGES

    @property
    def cpu_seconds(self):
        return max(1, math.ceil(self.seconds))

    @classmethod
    def from_settings(cls):
        from django.conf import settings  # noqa: PLC0415 (the child runs without Django settings)

        default = cls()
        return cls(
            seconds=float(getattr(settings, "REPORT_PARSE_SECONDS", default.seconds)),
            memory_bytes=int(getattr(settings, "REPORT_PARSE_MEMORY_MB", default.memory_bytes // 2**20)) * 2**20,
            page_content_bytes=int(getattr(settings, "REPORT_PAGE_CONTENT_MAX_KB", default.page_content_bytes // 1024))
            * 1024,
            max_pages=int(getattr(settings, "REPORT_UPLOAD_MAX_PAGES", default.max_pages)),
        )


def parse_report_bounded(source, limits=None):
    """report_pdf.parse_report(source) in a child process within limits (ParseLimits; default: settings).

    Returns the ParsedReport, or raises ReportError with one line saying why the file was refused.
    """
    limits = limits or ParseLimits.from_settings()
    data = read_bytes(source)
    check_is_pdf(data)  # a file that is plainly not a PDF never reaches the parser
    command = [sys.executable, "-m", __name__, json.dumps(asdict(limits))]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))}
    try:
        child = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.seconds, env=environment, cwd=PROJECT_DIR
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        raise ReportError(too_slow(limits)) from None
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ReportError(too_slow(limits))
    try:
        outcome, value = pickle.loads(child.stdout)
    except Exception:
        # No answer: the child died. Without memory it cannot always say so itself.
        if b"MemoryError" in child.stderr:
            raise ReportError(too_big(limits)) from None
        raise ReportError(f"The PDF could not be read (the reader stopped with code {child.returncode}).") from None
    if outcome == "error":
        raise ReportError(value)
    return value


def too_slow(limits):
    return (
        f"Reading the PDF took longer than {limits.seconds:g} seconds, the most a report may take: "
        "import the report Ofsted published."
    )


def too_big(limits):
    return (
        f"Reading the PDF needed more than {limits.memory_bytes / 2**20:.0f} MB of memory, the most a report "
        "may use: import the report Ofsted published."
    )


# The child ---------------------------------------------------------------------------------------------------


def check_pages(data, limits):
    """Refuse too many pages, or a page with too many drawing instructions, before any text is read."""
    from pypdf import PdfReader  # noqa: PLC0415

    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                return  # parse_report says whether it can be opened
            pages = reader.pages
            if len(pages) > limits.max_pages:
                raise ReportError(f"The PDF has {len(pages)} pages; a report has at most {limits.max_pages}.")
            for number, page in enumerate(pages, start=1):
                size = content_size(page)
                if size > limits.page_content_bytes:
                    raise ReportError(
                        f"Page {number} of the PDF holds {size / 2**20:.1f} MB of drawing instructions; a report's "
                        f"pages hold at most {limits.page_content_bytes / 2**20:g} MB: import the report Ofsted "
                        "published."
                    )
        except (ReportError, MemoryError):
            raise
        except Exception as error:  # pypdf raises many kinds for damaged files; none may escape
            raise ReportError(f"The PDF is damaged and cannot be read ({first_line(error)}).") from None


def content_size(page):
    """The decoded size of a page's content streams (pypdf keeps each decoded stream, so shared ones decode once)."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def ran_out_of_memory(error):
    """True when a MemoryError lies behind the error (report_pdf reports it as a damaged file)."""
    while error is not None:
        if isinstance(error, MemoryError):
            return True
        error = error.__context__
    return False


def child_main(limits_json):
    limits = ParseLimits(**json.loads(limits_json))
    soft_cpu = limits.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (soft_cpu, soft_cpu + 1))  # SIGXCPU, then SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    data = sys.stdin.buffer.read()
    try:
        check_pages(data, limits)
        outcome = ("report", parse_report(data))
    except ReportError as error:
        outcome = ("error", too_big(limits) if ran_out_of_memory(error) else str(error))
    except MemoryError:
        outcome = ("error", too_big(limits))
    sys.stdout.buffer.write(pickle.dumps(outcome))


if __name__ == "__main__":
    child_main(sys.argv[1])
