"""Read a report PDF in a separate process with bounded time, memory and page content: the project's one way
of reading a report PDF (the admin's upload, `manage.py import_report`, `manage.py build_archive`).

pypdf's text extraction grows faster than linearly with a page's drawing instructions, so a small crafted
file (200 pages sharing one compressed 10 MB content stream) can keep a process busy for many minutes and
grow it past a gigabyte; neither the upload size nor the page count catches it. Every report is therefore
read by parse_report_bounded(): the checks that need no parser run here, then report_pdf.parse_report() runs
in a child process that

* refuses a page whose decoded drawing instructions exceed ParseLimits.page_content_bytes, before any
  page's text is read (Ofsted's pages hold a few dozen KB),
* cannot use more than ParseLimits.cpu_seconds of processor time (RLIMIT_CPU) or ParseLimits.memory_bytes
  of address space (RLIMIT_AS), and
* is killed when it has not answered within ParseLimits.seconds of wall-clock time.

The child is forked, one per PDF, by a reader: a helper process started once (`python -m
inspections.importers.report_limits`, which imports pypdf) and kept for the next PDF. Starting a Python and
importing pypdf takes about half a second, forking the reader a few milliseconds: that is what lets the
archive build give each of its 500 files a bounded child of its own. The reader is single-threaded, so
forking it is safe where forking the caller (a web worker's threads, a database connection's) is not. A
caller reading several PDFs at once (the archive build's threads, a web worker's) gets a reader for each;
readers wait, idle, for the next PDF and end when their caller does.

The caller waits for the answer without holding the GIL, so a web worker's other threads keep serving. The
limits come from settings (REPORT_PARSE_SECONDS, REPORT_PARSE_MEMORY_MB, REPORT_PAGE_CONTENT_MAX_KB,
REPORT_UPLOAD_MAX_PAGES; README, "Deploying").
"""

import io
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .report_pdf import MAX_PAGES, ReportError, check_is_pdf, first_line, parse_report, quiet_pypdf, read_bytes

PROJECT_DIR = Path(__file__).resolve().parents[2]
# How long a reader may take to answer beyond the PDF's own time limit (which it enforces on its child): a new
# reader imports pypdf first, on a machine that may be busy.
READER_STARTUP_SECONDS = 30


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
        from django.conf import settings  # noqa: PLC0415 (the reader runs without Django settings)

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
    reader = Reader.take()
    try:
        reader.connection.send((limits, data))
        # The reader answers within limits.seconds of forking the child; one that does not has itself failed.
        if not reader.connection.poll(limits.seconds + READER_STARTUP_SECONDS):
            raise ReportError(too_slow(limits))
        outcome, value = reader.connection.recv()
    except (OSError, EOFError):
        reader.stop()
        raise ReportError("The PDF could not be read (the reader stopped).") from None
    except BaseException:  # a caller interrupted mid-answer must not get another PDF's answer next time
        reader.stop()
        raise
    reader.give_back()
    if outcome == "error":
        raise ReportError(value)
    return value


class Reader:
    """A helper process that forks a bounded child for each PDF it is sent (see the module's docstring)."""

    idle = []  # readers waiting for a PDF, shared by the caller's threads
    lock = threading.Lock()

    def __init__(self):
        ours, theirs = socket.socketpair()
        path = os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
                cwd=PROJECT_DIR,
            )
        self.connection = Connection(ours.detach())

    @classmethod
    def take(cls):
        with cls.lock:
            while cls.idle:
                reader = cls.idle.pop()
                if reader.process.poll() is None:  # not one that has died since (killed by hand, say)
                    return reader
        return cls()

    def give_back(self):
        with self.lock:
            self.idle.append(self)

    def stop(self):
        # A child it was reading with outlives it by at most the child's own CPU limit.
        self.connection.close()
        self.process.kill()
        self.process.wait()


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


# The reader and its children ---------------------------------------------------------------------------------


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


def serve(fd):
    """The reader: for each (limits, PDF) its caller sends, fork a bounded child to read it, and answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the caller, whose exit ends the reader
    connection = Connection(fd)
    while True:
        try:
            limits, data = connection.recv()
        except EOFError:  # the caller has gone
            return
        connection.send(read_in_child(data, limits))


def read_in_child(data, limits):
    """("report", ParsedReport) or ("error", one line), from a child forked to read the PDF within limits."""
    receiver, sender = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            receiver.close()
            Connection(sender.detach()).send(read_within(data, limits))
            code = 0
        finally:
            os._exit(code)  # the child never returns into the reader's loop
    sender.close()
    with Connection(receiver.detach()) as answer:
        try:
            outcome = answer.recv() if answer.poll(limits.seconds) else None
        except EOFError:  # the child died without answering
            outcome = None
        if outcome is None:
            os.kill(pid, signal.SIGKILL)  # harmless on a child that has died: it is not reaped yet
    _, status = os.waitpid(pid, 0)
    if outcome is not None:
        return outcome
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return ("error", too_slow(limits))
    return ("error", f"The PDF could not be read (the reader stopped with code {os.waitstatus_to_exitcode(status)}).")


def read_within(data, limits):
    """In the child: read the PDF within limits; the outcome as read_in_child() returns it."""
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        check_pages(data, limits)
        return ("report", parse_report(data))
    except ReportError as error:
        return ("error", too_big(limits) if ran_out_of_memory(error) else str(error))
    except MemoryError:
        return ("error", too_big(limits))
    except Exception as error:  # a fault in the reader is this file's refusal, not its caller's traceback
        return ("error", f"The reader failed on this PDF ({type(error).__name__}: {first_line(error)}).")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
