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

The child is forked, one per PDF, by multiprocessing's fork server: a process started once per caller (with
pypdf and the reader imported) that forks a child on request. Starting a Python and importing pypdf takes
about half a second, forking the server a few milliseconds: that is what lets the archive build give each
of its 500 files a bounded child of its own. The server is single-threaded, so forking it is safe where
forking the caller (a web worker's threads, a database connection's) is not; it ends with its caller. As
multiprocessing documents, each child imports the caller's main module again (not as `__main__`): manage.py,
gunicorn and pytest keep theirs cheap, and so must a script that reads reports (bench/archive_build_speed.py).

The caller waits for the answer without holding the GIL, so a web worker's other threads keep serving. The
limits come from settings (REPORT_PARSE_SECONDS, REPORT_PARSE_MEMORY_MB, REPORT_PAGE_CONTENT_MAX_KB,
REPORT_UPLOAD_MAX_PAGES; docs/deploying.md).
"""

import io
import math
import multiprocessing
import resource
import signal
from dataclasses import dataclass

from .report_pdf import MAX_PAGES, ReportError, check_is_pdf, first_line, parse_report, quiet_pypdf, read_bytes

# The fork server the children come from, with this module (and so pypdf) imported before it forks any.
# Process.start() returns once the server (started by the first) has forked the child, so the time limit
# counts from the child's start whatever the server's own start took.
READERS = multiprocessing.get_context("forkserver")
READERS.set_forkserver_preload([__name__])


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
    receiver, sender = READERS.Pipe(duplex=False)
    child = READERS.Process(target=read_and_answer, args=(sender, data, limits), daemon=True)
    try:
        child.start()
        sender.close()  # the child's end: once the child has gone, a read of ours ends (EOFError)
        outcome = receiver.recv() if receiver.poll(limits.seconds) else None
    except EOFError:  # the child died without answering (its CPU or memory limit)
        outcome = None
    except OSError as error:  # no process could be started (the machine's limit on processes, say)
        raise ReportError(f"The PDF could not be read now (no reader could be started: {error}); try again.") from None
    finally:
        if child.is_alive():
            child.kill()
        if child.pid is not None:
            child.join()
        sender.close()  # again, for a child that never started: closing twice is harmless
        receiver.close()
    if outcome is None:
        if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise ReportError(too_slow(limits))
        raise ReportError(f"The PDF could not be read (the reader stopped with code {child.exitcode}).")
    kind, value = outcome
    if kind == "error":
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


def read_and_answer(connection, data, limits):
    """In the child: read the PDF within limits and send ("report", ParsedReport) or ("error", one line)."""
    with connection:
        connection.send(read_within(data, limits))


def read_within(data, limits):
    """In the child: read the PDF within limits; the outcome read_and_answer() sends."""
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

