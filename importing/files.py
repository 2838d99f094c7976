"""What every importer shares: reading files safely and saying what an import did.

* ImportFileError: a file refused, with a one-line message naming it.
* ImportSummary: what an import did (created, updated, unchanged, skipped with reasons, conflicts).
* check_file, read_csv_table, open_spreadsheet, read_sheet_table: refuse empty files, HTML pages saved
  under a data file's name, non-spreadsheets and files with the wrong columns, before anything is written.
* parse_int, parse_date: cells turned into values, never guessed.
* Progress: a one-line progress display on a terminal, for long runs.
* run_file_imports: the management commands' loop over files, one line per refused file.

Nothing here knows about councils or inspections; the importers of each file format do.
"""

import csv
import datetime
import io
import re
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

# --- errors and summaries -------------------------------------------------------------------------


def one_line(text):
    return " ".join(str(text).split())


class ImportFileError(Exception):
    """A file the importer refuses. Its message is one line, naming the file."""

    def __init__(self, message, path=None):
        self.message = one_line(message)
        self.path = Path(path) if path else None
        super().__init__(str(self))

    def __str__(self):
        return f"{self.path.name}: {self.message}" if self.path else self.message


class ImportSummary:
    """Counters of one file's import and a printable summary."""

    MAX_EXAMPLES = 3

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.name
        self.created = Counter()
        self.updated = Counter()
        self.unchanged = Counter()
        self.skipped = Counter()
        self.skip_examples = defaultdict(list)
        self.conflicts = []

    def count_created(self, what, n=1):
        self.created[what] += n

    def count_updated(self, what, n=1):
        self.updated[what] += n

    def count_unchanged(self, what, n=1):
        self.unchanged[what] += n

    def skip(self, reason, example=None):
        self.skipped[reason] += 1
        if example and len(self.skip_examples[reason]) < self.MAX_EXAMPLES:
            self.skip_examples[reason].append(str(example))

    def conflict(self, message):
        message = one_line(message)
        if message not in self.conflicts:
            self.conflicts.append(message)

    @property
    def changed(self):
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    @staticmethod
    def _counts(counter):
        if not sum(counter.values()):
            return "nothing"
        return ", ".join(f"{n} {what}" for what, n in counter.items() if n)

    def lines(self):
        lines = [
            f"Summary for {self.name}:",
            f"  created:   {self._counts(self.created)}",
            f"  updated:   {self._counts(self.updated)}",
            f"  unchanged: {self._counts(self.unchanged)}",
            f"  skipped:   {sum(self.skipped.values()) or 'nothing'}",
        ]
        for reason, n in self.skipped.most_common():
            examples = self.skip_examples.get(reason)
            lines.append(f"    {n:>5} {reason}" + (f" (e.g. {'; '.join(examples)})" if examples else ""))
        lines.append(f"  conflicts: {len(self.conflicts) or 'none'}")
        lines.extend(f"    - {conflict}" for conflict in self.conflicts)
        if not self.changed:
            lines.append(
                "  Nothing changed: the database already holds what this file gives"
                + (", apart from the conflicts above, which were left as they are." if self.conflicts else ".")
            )
        return lines

    def __str__(self):
        return "\n".join(self.lines())


# --- progress ---------------------------------------------------------------------------------------


def _write(stream, text):
    try:
        stream.write(text, ending="")  # a management command's OutputWrapper
    except TypeError:
        stream.write(text)
    if hasattr(stream, "flush"):
        stream.flush()


class Progress:
    """'label: 120/497 (24%)' rewritten in place on a terminal, for runs of many rows.

    Shown when `enabled` is True, or when it is None (automatic) and the stream is a terminal and there
    are at least `min_total` rows.
    """

    def __init__(self, total, label, stream=None, enabled=None, min_total=200, interval=0.2):
        self.total = total
        self.label = label
        self.stream = stream
        self.count = 0
        self.interval = interval
        self.last = 0.0
        if stream is None:
            enabled = False
        elif enabled is None:
            isatty = getattr(stream, "isatty", None)
            enabled = bool(isatty and isatty()) and total >= min_total
        self.enabled = bool(enabled)

    def advance(self, n=1):
        self.count += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= self.interval or self.count >= self.total:
            self.last = now
            percent = f" ({100 * self.count // self.total}%)" if self.total else ""
            _write(self.stream, f"\r{self.label}: {self.count}/{self.total}{percent}")

    def done(self):
        if self.enabled:
            _write(self.stream, f"\r{self.label}: {self.count}/{self.total} done\n")


# --- reading files ---------------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def check_file(path, kind):
    """Refuse what cannot be the expected kind of file ("csv", "jsonl" or "spreadsheet") before reading it."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError("no such file", path)
    if not path.is_file():
        raise ImportFileError("is not a file", path)
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        raise ImportFileError("the file is empty", path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if not stripped:
        raise ImportFileError("the file is empty (blank space only)", path)
    lowered = stripped[:2048].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")) or b"<html" in lowered:
        raise ImportFileError(
            "is an HTML page, not a data file (a web page saved under the data file's name?)", path
        )
    if head.startswith(b"%PDF"):
        raise ImportFileError("is a PDF document, not a data file", path)
    expected = {"spreadsheet": "an .ods spreadsheet", "jsonl": "a JSON Lines file"}.get(kind, "a CSV file")
    if kind == "spreadsheet":
        if head.startswith(OLE_MAGIC):
            return
        if not head.startswith(ZIP_MAGIC):
            raise ImportFileError(f"is not a spreadsheet (expected {expected})", path)
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, KeyError) as error:
            raise ImportFileError(f"is a damaged spreadsheet ({one_line(error)})", path) from None
        if mimetype != ODS_MIMETYPE and "xl/workbook.xml" not in names:
            raise ImportFileError(f"is a zip archive but not a spreadsheet (expected {expected})", path)
        if mimetype == ODS_MIMETYPE and "content.xml" not in names:
            raise ImportFileError("is a damaged spreadsheet (no content.xml)", path)
        return
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        raise ImportFileError(f"is a spreadsheet or archive, not {expected}", path)
    if b"\x00" in head:
        raise ImportFileError(f"is a binary file, not {expected}", path)


@dataclass
class CsvTable:
    header: list
    rows: list  # (line number, {column: text})


def read_csv_table(path, required_columns, description):
    """The rows of a CSV file whose header has the required columns; refuses anything else."""
    check_file(path, "csv")
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            raise ImportFileError("the file is empty", path)
        header = [cell.strip().lstrip("\ufeff") for cell in header]
        missing = [column for column in required_columns if column not in header]
        if missing:
            shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
            raise ImportFileError(f"wrong columns for {description}: no {shown}", path)
        rows = []
        for values in reader:
            if not any(cell.strip() for cell in values):
                continue
            if len(values) > len(header):
                extra = values[len(header) :]
                if any(cell.strip() for cell in extra):
                    raise ImportFileError(
                        f"line {reader.line_num} has {len(values)} cells but the header has {len(header)}", path
                    )
            values = values + [""] * (len(header) - len(values))
            rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    except csv.Error as error:
        raise ImportFileError(f"is not a readable CSV file ({one_line(error)})", path) from None
    if not rows:
        raise ImportFileError(f"has the header of {description} but no data rows", path)
    return CsvTable(header=header, rows=rows)


def open_spreadsheet(path):
    """A python-calamine workbook for a checked spreadsheet file."""
    from python_calamine import CalamineWorkbook  # noqa: PLC0415

    check_file(path, "spreadsheet")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own errors for damaged files
        raise ImportFileError(f"cannot be read as a spreadsheet ({one_line(error)})", path) from None


def normalise_header(text):
    return " ".join(str(text or "").replace("\n", " ").split()).strip().lower()


def read_sheet_table(workbook, sheet_name, columns, required, path, header_row=2, description=None):
    """The table of one sheet whose header is on row `header_row` (0-based; Ofsted's tables start at A3).

    `columns` maps normalised header text to a role; returns a list of (row number, {role: value}).
    If the header is not on the expected row the first ten rows are searched; a sheet without the
    required roles is refused.
    """
    try:
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except Exception as error:
        raise ImportFileError(f"sheet {sheet_name} cannot be read ({one_line(error)})", path) from None

    def roles_of(row):
        return {index: columns[normalise_header(cell)] for index, cell in enumerate(row) if normalise_header(cell) in columns}

    candidates = [header_row] + [i for i in range(min(10, len(rows))) if i != header_row]
    found = None
    for index in candidates:
        if index < len(rows):
            roles = roles_of(rows[index])
            if set(required) <= set(roles.values()):
                found = index, roles
                break
    if found is None:
        have = roles_of(rows[header_row]) if header_row < len(rows) else {}
        missing = [role for role in required if role not in have.values()]
        raise ImportFileError(
            f"wrong columns in sheet {sheet_name}"
            + (f" of {description}" if description else "")
            + f": no {', '.join(missing) or 'header'} in row {header_row + 1} (tables start at A{header_row + 1})",
            path,
        )
    index, roles = found
    table = []
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        values = {role: row[column] if column < len(row) else "" for column, role in roles.items()}
        if not any(str(value).strip() for value in values.values() if value is not None):
            continue
        table.append((number, values))
    return table


# --- values ------------------------------------------------------------------------------------------

def parse_int(text):
    text = str(text or "").strip().replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else None


DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S")


def parse_date(value):
    """A date from a spreadsheet cell or text; None for blank; ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = " ".join(str(value).split())
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def fixtures_document(path):
    """The path under fixtures/ for a shipped file; "" for a file elsewhere."""
    try:
        return Path(path).resolve().relative_to(Path(settings.FIXTURES_DIR).resolve()).as_posix()
    except ValueError:
        return ""


# --- commands ----------------------------------------------------------------------------------------


def add_progress_arguments(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="Always show progress."
    )
    group.add_argument("--no-progress", dest="progress", action="store_false", help="Never show progress.")


def run_file_imports(command, paths, import_file, options):
    """Import each file in its own transaction; print each summary; refuse bad files in one line each.
    Returns the files' ImportSummary objects, for a command that sums them up (load_data).

    Files after a refused one are still imported (each file stands alone); the command then fails with
    a one-line CommandError naming the refused files, so its exit status is non-zero.
    """
    failures = []
    summaries = []
    for path in paths:
        if options.get("verbosity", 1) > 0:
            command.stdout.write(f"Importing {path}")
        try:
            summary = import_file(path, progress_stream=command.stderr, show_progress=options.get("progress"))
        except ImportFileError as error:
            failures.append(str(error))
            if len(paths) > 1:  # the final CommandError says it once for a single file
                command.stderr.write(f"Refused {error}")
            continue
        except Exception as error:
            if options.get("traceback"):
                raise
            message = f"{Path(path).name}: could not be imported ({type(error).__name__}: {one_line(error)[:300]})"
            failures.append(message)
            if len(paths) > 1:
                command.stderr.write(message)
            continue
        summaries.append(summary)
        if options.get("verbosity", 1) > 0:
            command.stdout.write(str(summary))
    if failures:
        if len(paths) == 1:
            raise CommandError(failures[0])
        raise CommandError(f"{len(failures)} of {len(paths)} files not imported: " + " | ".join(failures))
    return summaries
