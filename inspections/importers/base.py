"""Shared pieces of the file importers.

* ImportFileError: a file refused, with a one-line message naming it.
* ImportSummary: what an import did (created, updated, unchanged, skipped with reasons, conflicts).
* check_file, read_csv_table, open_spreadsheet, read_sheet_table: refuse empty files, HTML pages saved
  under a data file's name, non-spreadsheets and files with the wrong columns, before anything is written.
* Progress: a one-line progress display on a terminal, for long runs.
* CouncilIndex: councils preloaded and found by any of their codes (current or former) or their name.
* parse_grade, parse_event_type, parse_date: Ofsted's wording and the files' sentinels
  (`data_unreadable`, `inspection_pre_dates_judgement`, `not_reported_post_reform`, blanks,
  "Not yet inspected") turned into grades or absent values, never guessed.
* InspectionRecord and InspectionWriter: one inspection as a file gives it, matched to what the database
  holds (council + type + start date, report URL, publication date, overlapping dates), created or
  updated in bulk; rows entered by hand (or read by another importer) are never changed, and where a file
  disagrees with them the conflict is reported.
"""

import csv
import datetime
import io
import re
import time
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from simple_history.utils import bulk_create_with_history

from councils.importers import normalise_name
from councils.models import Council, CouncilAlias

from ..frameworks import (
    GRADED_EVENT_TYPES,
    ILACS_SEPARATE_CARE_LEAVERS_FROM,
    Area,
    EventType,
    Framework,
    Grade,
    judgement_problem,
)
from .. import national_cache
from ..models import Inspection, Judgement, MissingCode, Origin, Source

IMPORT_CHANGE_REASON = "import_ofsted_outcomes"


def edited_by_hand(model, reason, ids=None):
    """Primary keys of rows whose latest recorded change was not made by an importer (`reason`).

    Importers record their changes with a change reason; a later edit in the admin records none, so an
    imported row edited by hand is told apart by its history. A row with no history is not counted.
    """
    history = model.history.all() if ids is None else model.history.filter(id__in=ids)
    latest = {}
    for row_id, change_reason in history.order_by("id", "-history_date", "-history_id").values_list(
        "id", "history_change_reason"
    ):
        latest.setdefault(row_id, change_reason)
    return {row_id for row_id, change_reason in latest.items() if change_reason != reason}


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
    """Refuse what cannot be the expected kind of file ("csv" or "spreadsheet") before reading it."""
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
    expected = "an .ods spreadsheet" if kind == "spreadsheet" else "a CSV file"
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

# Only the official codes: the database refuses any other (see MissingCode).
MISSING_CODES = set(MissingCode.values)


def parse_int(text):
    text = str(text or "").strip().replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else None


def parse_decimal(text):
    """(Decimal, "") for a number; (None, code) for a DfE code; (None, None) for blank or unreadable."""
    text = str(text if text is not None else "").strip()
    if not text:
        return None, None
    if text.lower() in MISSING_CODES:
        return None, text.lower()
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None, None
    if not value.is_finite():
        return None, None
    return value, ""


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


NOT_YET_INSPECTED = "not yet inspected"

# The files' words for "no judgement here": never a grade.
SENTINELS = {
    "": "blank",
    "data_unreadable": "data_unreadable",
    "inspection_pre_dates_judgement": "inspection_pre_dates_judgement",
    "not_reported_post_reform": "not_reported_post_reform",
    NOT_YET_INSPECTED: "Not yet inspected",
    "-": "blank",
    "n/a": "n/a",
    "not applicable": "n/a",
}

GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
}


def parse_grade(value):
    """(grade, None) for Ofsted's wording of a grade; (None, reason) for a sentinel, a blank or other text."""
    text = " ".join(str(value if value is not None else "").split()).rstrip(".")
    key = text.lower()
    if key in GRADE_WORDS:
        return GRADE_WORDS[key], None
    if key in SENTINELS:
        return None, f"judgement not given: {SENTINELS[key]}"
    return None, f"grade not recognised: {text!r}"


def parse_event_type(text):
    """(event type, framework) for Ofsted's wording, e.g. "ILACS Focused Visit"; (None, None) if unknown."""
    key = " ".join(str(text or "").lower().split())
    if "jtai" in key or "joint targeted" in key:
        return EventType.JTAI, Framework.JTAI
    if "focused" in key or "focussed" in key:
        return EventType.FOCUSED_VISIT, Framework.ILACS
    if "monitoring" in key:
        return EventType.MONITORING_VISIT, Framework.ILACS
    if "short" in key:
        return EventType.SHORT_INSPECTION, Framework.ILACS
    if "standard" in key:
        return EventType.STANDARD_INSPECTION, Framework.ILACS
    return None, None


# Columns of Ofsted's files, by role; the area of "in_care" depends on the inspection's date.
ROLE_AREAS = {
    "overall": Area.OVERALL_EFFECTIVENESS,
    "leaders": Area.LEADERSHIP,
    "help": Area.HELP_AND_PROTECTION,
    "care_leavers": Area.CARE_LEAVERS,
}
GRADE_ROLES = ("overall", "leaders", "help", "in_care", "care_leavers")


def area_for_role(role, start_date):
    """Ofsted's column "children in care" held the joint judgement on children in care and care leavers
    for inspections before 2023, when care leavers began to be judged separately."""
    if role == "in_care":
        if start_date and start_date < ILACS_SEPARATE_CARE_LEAVERS_FROM:
            return Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS
        return Area.CHILDREN_IN_CARE
    return ROLE_AREAS[role]


def parse_grades(values, summary, where):
    """{role: grade} from a row's grade cells; absent and unrecognised values are counted, never graded."""
    grades = {}
    for role in GRADE_ROLES:
        if role not in values:
            continue
        grade, reason = parse_grade(values[role])
        if grade:
            grades[role] = grade
        else:
            summary.skip(reason, where if reason.startswith("grade not") else None)
    return grades


# --- sources ---------------------------------------------------------------------------------------


def fixtures_document(path):
    """The path under fixtures/ for a shipped file; "" for a file elsewhere."""
    try:
        return Path(path).resolve().relative_to(Path(settings.FIXTURES_DIR).resolve()).as_posix()
    except ValueError:
        return ""


def source_for_file(path, summary, *, key, kind, title, publisher, published_date=None, url="", notes=""):
    """The Source for a file: an existing one for the same shipped document or key, or a new one."""
    document = fixtures_document(path)
    source = Source.objects.filter(document=document).first() if document else None
    if source is None:
        source = Source.objects.filter(key=key).first()
    if source is not None:
        summary.count_unchanged("sources")
        return source
    source = Source(
        key=key,
        kind=kind,
        title=title[:300],
        publisher=publisher,
        published_date=published_date,
        url=url,
        document=document,
        notes=notes,
    )
    source._change_reason = IMPORT_CHANGE_REASON
    source.save()
    summary.count_created("sources")
    return source


# --- councils ----------------------------------------------------------------------------------------


class CouncilIndex:
    """Every council, current or former, found by Ofsted URN, DfE code, ONS code (or a former one) or name."""

    def __init__(self):
        councils = list(Council.objects.all())
        self.by_id = {c.pk: c for c in councils}
        self.by_urn = {c.ofsted_urn: c for c in councils if c.ofsted_urn}
        self.by_la_code = {c.la_code: c for c in councils if c.la_code}
        self.by_ons = {c.ons_code.upper(): c for c in councils if c.ons_code and not c.is_current}
        self.by_ons.update({c.ons_code.upper(): c for c in councils if c.ons_code and c.is_current})
        self.by_name = defaultdict(list)
        for c in councils:
            self.by_name[normalise_name(c.name)].append(c)
        for council_id, kind, value in CouncilAlias.objects.values_list("council_id", "kind", "value"):
            council = self.by_id.get(council_id)
            if council is None:
                continue
            if kind == CouncilAlias.Kind.ONS_CODE:
                self.by_ons.setdefault(value.upper(), council)
            elif kind == CouncilAlias.Kind.LA_CODE:
                self.by_la_code.setdefault(value, council)
            elif kind == CouncilAlias.Kind.OFSTED_URN:
                self.by_urn.setdefault(value, council)
            elif council not in self.by_name[normalise_name(value)]:
                self.by_name[normalise_name(value)].append(council)

    def __len__(self):
        return len(self.by_id)

    def find(self, *, urn=None, la_code=None, ons_code=None, name=None, former=None):
        """(council, None) or (None, reason).

        Codes are tried first. A name is used when no code matches, unless the named council has a
        different DfE code or URN (those are stable: Dorset's old county, 835, is not today's Dorset, 838).
        ONS codes change, so a different ONS code does not stop a name match.
        """
        urn = str(urn or "").strip()
        la_code = str(la_code or "").strip()
        ons_code = str(ons_code or "").strip().upper()
        for code, table in ((urn, self.by_urn), (la_code, self.by_la_code), (ons_code, self.by_ons)):
            if code and code in table:
                return table[code], None
        codes = " ".join(code for code in (urn, la_code, ons_code) if code)
        label = " ".join(part for part in (codes, str(name or "").strip()) if part) or "blank"
        candidates = list(self.by_name.get(normalise_name(name), [])) if name else []
        if former is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.is_current != former] or candidates
        if not candidates:
            return None, ("council not known", label)
        if len(candidates) > 1:
            return None, ("council name matches several councils", label)
        council = candidates[0]
        if (la_code and council.la_code and council.la_code != la_code) or (
            urn and council.ofsted_urn and council.ofsted_urn != urn
        ):
            return None, ("council not known (its code is not the named council's)", label)
        if former is True and council.is_current:
            return None, ("former council not known", label)
        return council, None


# --- inspections -----------------------------------------------------------------------------------


def family(event_type):
    """Graded inspections are one family (a file may call one "standard" and another "full")."""
    return "graded" if event_type is None or event_type in GRADED_EVENT_TYPES else event_type


@dataclass
class InspectionRecord:
    """One inspection or visit as a file gives it."""

    council: Council
    event_type: str | None  # None: graded, type not given (Ofsted's latest-grades sheet)
    framework: str
    start_date: datetime.date | None
    published_date: datetime.date | None = None
    end_date: datetime.date | None = None
    theme: str = ""
    lead_inspector: str = ""
    report_url: str = ""
    grades: dict = field(default_factory=dict)  # role -> grade
    where: str = ""
    type_is_guess: bool = False  # event type and framework inferred, not stated by the file

    @property
    def family(self):
        return family(self.event_type)


class _Held:
    """An inspection the writer knows of, with its judgements and sources."""

    __slots__ = ("inspection", "judgements", "source_ids", "is_new", "changed", "new_judgements", "changed_judgements", "link_source", "touched")

    def __init__(self, inspection, judgements=None, source_ids=None, is_new=False):
        self.inspection = inspection
        self.judgements = judgements or {}
        self.source_ids = source_ids or set()
        self.is_new = is_new
        self.changed = set()
        self.new_judgements = []
        self.changed_judgements = []
        self.link_source = False
        self.touched = False


def describe(inspection):
    kind = EventType(inspection.event_type).label.lower() if inspection.event_type in EventType.values else "inspection"
    if inspection.start_date:
        when = f"starting {inspection.start_date:%-d %b %Y}"
    elif inspection.published_date:
        when = f"published {inspection.published_date:%-d %b %Y}"
    else:
        when = "undated"
    return f"{inspection.council.name}, {kind} {when}"


def _comparable(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^\w\s/:]", " ", text).split()).casefold()


def _same_text(a, b):
    """Equal but for case, accents, punctuation and spacing ("A. Inspector" = "a inspector")."""
    return _comparable(a) == _comparable(b)


ORIGIN_WORDS = {
    Origin.MANUAL: "entered by hand",
    Origin.REPORT_PDF: "read from a report PDF",
    Origin.OFSTED_OUTCOMES: "imported, then edited by hand",
}


class InspectionWriter:
    """Applies InspectionRecords to the database: match, create or update, report conflicts.

    `official` is True for Ofsted's official statistics: where the official statistics and another file
    disagree on an inspection's type, dates or grades, the official statistics win, whichever file is
    imported first. Only inspections this importer made (origin "ofsted_outcomes") are ever changed.
    """

    OFFICIAL_FIELDS = ("event_type", "framework", "start_date", "published_date", "theme")
    OTHER_FIELDS = ("end_date", "lead_inspector", "report_url")

    def __init__(self, source, summary, *, official):
        self.source = source
        self.summary = summary
        self.official = official
        self.official_source_ids = set(
            Source.objects.filter(kind=Source.Kind.OFSTED_STATISTICS).values_list("pk", flat=True)
        )
        if official:
            self.official_source_ids.add(source.pk)
        judgements = defaultdict(dict)
        for judgement in Judgement.objects.all():
            judgements[judgement.inspection_id][judgement.area] = judgement
        links = defaultdict(set)
        for inspection_id, source_id in Inspection.sources.through.objects.values_list("inspection_id", "source_id"):
            links[inspection_id].add(source_id)
        self.hand_edited = edited_by_hand(Inspection, IMPORT_CHANGE_REASON)
        self.hand_edited_judgements = edited_by_hand(Judgement, IMPORT_CHANGE_REASON)
        self.by_council = defaultdict(list)
        self.held = []
        for inspection in Inspection.objects.select_related("council"):
            held = _Held(inspection, judgements[inspection.pk], links[inspection.pk])
            self.by_council[inspection.council_id].append(held)
            self.held.append(held)

    # matching

    def match(self, record):
        candidates = self.by_council[record.council.pk]
        same_family = [h for h in candidates if family(h.inspection.event_type) == record.family]
        if record.start_date:
            for held in same_family:
                i = held.inspection
                if i.start_date == record.start_date and (record.event_type is None or i.event_type == record.event_type):
                    return held
        if record.report_url:
            for held in candidates:
                if held.inspection.report_url and held.inspection.report_url == record.report_url:
                    return held
        if record.published_date:
            found = [h for h in same_family if h.inspection.published_date == record.published_date]
            if found:
                return self._closest(found, record)
        if record.start_date:
            record_end = record.end_date or record.start_date
            found = [
                h
                for h in same_family
                if h.inspection.start_date
                and h.inspection.start_date <= record_end
                and record.start_date <= (h.inspection.end_date or h.inspection.start_date)
            ]
            if found:
                return self._closest(found, record)
        return None

    @staticmethod
    def _closest(found, record):
        if len(found) == 1 or not record.start_date:
            return found[0]
        return min(found, key=lambda h: abs((h.inspection.start_date or record.start_date) - record.start_date))

    # applying

    def apply(self, record):
        held = self.match(record)
        if held is None:
            self._create(record)
            return
        held.touched = True
        inspection = held.inspection
        if inspection.origin != Origin.OFSTED_OUTCOMES or inspection.pk in self.hand_edited:
            self._report_differences(held, record)
            return
        self._merge(held, record)
        self._merge_judgements(held, record)
        if self.source.pk not in held.source_ids:
            held.source_ids.add(self.source.pk)
            held.link_source = True

    def _create(self, record):
        if record.event_type is None:
            self.summary.skip("inspection type not given and no matching inspection", record.where)
            return
        inspection = Inspection(
            council=record.council,
            event_type=record.event_type,
            framework=record.framework or "",
            theme=record.theme[:200],
            start_date=record.start_date,
            end_date=record.end_date if record.end_date and record.start_date and record.end_date >= record.start_date else None,
            published_date=record.published_date,
            lead_inspector=record.lead_inspector[:200],
            report_url=record.report_url[:500],
            status=Inspection.Status.PUBLISHED,
            origin=Origin.OFSTED_OUTCOMES,
        )
        if record.end_date and inspection.end_date is None:
            self.summary.skip("end date before start date (end date left blank)", record.where)
        held = _Held(inspection, is_new=True, source_ids={self.source.pk})
        held.touched = True
        held.link_source = True
        self.by_council[record.council.pk].append(held)
        self.held.append(held)
        self._merge_judgements(held, record)

    def _clashes(self, held, event_type, start_date):
        if start_date is None:
            return False
        return any(
            other is not held
            and other.inspection.event_type == event_type
            and other.inspection.start_date == start_date
            for other in self.by_council[held.inspection.council_id]
        )

    def _merge(self, held, record):
        inspection = held.inspection
        official_owner = bool(held.source_ids & self.official_source_ids) and not self.official
        for name in self.OFFICIAL_FIELDS:
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or new == old:
                continue
            if name in ("event_type", "framework") and record.type_is_guess:
                continue
            if old not in (None, "") and official_owner:
                if name == "theme" and _same_text(old, new):
                    continue
                self.summary.conflict(
                    f"{describe(inspection)}: {name.replace('_', ' ')} is {old} in Ofsted's official statistics, "
                    f"{new} in {self.summary.name} ({record.where}); kept the official statistics'."
                )
                continue
            if name in ("event_type", "start_date"):
                event_type = new if name == "event_type" else inspection.event_type
                start_date = new if name == "start_date" else inspection.start_date
                if self._clashes(held, event_type, start_date):
                    self.summary.conflict(
                        f"{describe(inspection)}: {self.summary.name} ({record.where}) gives {name.replace('_', ' ')} "
                        f"{new}, which another inspection already has; left as it is."
                    )
                    continue
                if name == "start_date" and self._judgements_invalid_on(held, new):
                    self.summary.conflict(
                        f"{describe(inspection)}: {self.summary.name} ({record.where}) gives start date {new}, "
                        "on which its judgements would not be valid; left as it is."
                    )
                    continue
            setattr(inspection, name, new)
            held.changed.add(name)
        if self.official:
            return  # the official statistics give no end date, lead inspector or report
        for name in self.OTHER_FIELDS:
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or new == old:
                continue
            setattr(inspection, name, new)
            held.changed.add(name)
        if inspection.end_date and inspection.start_date and inspection.end_date < inspection.start_date:
            self.summary.conflict(
                f"{describe(inspection)}: end date {inspection.end_date} is before the start date; end date left blank."
            )
            inspection.end_date = None
            held.changed.add("end_date")

    def _judgements_invalid_on(self, held, start_date):
        framework = held.inspection.framework
        return any(
            judgement_problem(framework, area, judgement.grade, start_date)
            for area, judgement in held.judgements.items()
        )

    def _merge_judgements(self, held, record):
        if not record.grades:
            return
        inspection = held.inspection
        if inspection.event_type not in GRADED_EVENT_TYPES:
            self.summary.skip("grades given for a visit, which is not graded", record.where)
            return
        if inspection.start_date is None:
            self.summary.skip("grades not stored: the inspection has no start date", record.where)
            return
        for role, grade in record.grades.items():
            area = area_for_role(role, inspection.start_date)
            problem = judgement_problem(inspection.framework, area, grade, inspection.start_date)
            if problem:
                self.summary.skip(f"grade not stored: {problem}", record.where)
                continue
            judgement = held.judgements.get(area)
            if judgement is None:
                judgement = Judgement(inspection=inspection, area=area, grade=grade, source=self.source)
                held.judgements[area] = judgement
                held.new_judgements.append(judgement)
            elif judgement.grade == grade:
                continue
            elif judgement.pk is None:  # made from another row of this file
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in one row "
                    f"and {Grade(grade).label} in another ({record.where}); kept the first."
                )
            elif judgement.pk in self.hand_edited_judgements:
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in the database "
                    f"(edited by hand), {Grade(grade).label} in {self.summary.name} ({record.where}); "
                    "kept the database's."
                )
            elif judgement.source_id in self.official_source_ids and not self.official:
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in Ofsted's "
                    f"official statistics, {Grade(grade).label} in {self.summary.name} ({record.where}); "
                    "kept the official statistics'."
                )
            else:
                judgement.grade = grade
                judgement.source = self.source
                held.changed_judgements.append(judgement)

    def _report_differences(self, held, record):
        inspection = held.inspection
        differences = []
        for name in (*self.OFFICIAL_FIELDS, *self.OTHER_FIELDS):
            if name in ("framework",) or (name == "event_type" and record.type_is_guess):
                continue
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or old in (None, "") or new == old:
                continue
            if isinstance(new, str) and _same_text(new, old):
                continue
            differences.append(f"{name.replace('_', ' ')} {old} in the database, {new} in the file")
        if inspection.start_date:
            for role, grade in record.grades.items():
                area = area_for_role(role, inspection.start_date)
                judgement = held.judgements.get(area)
                if judgement is not None and judgement.grade != grade:
                    differences.append(
                        f"{Area(area).label} {Grade(judgement.grade).label} in the database, "
                        f"{Grade(grade).label} in the file"
                    )
        origin = ORIGIN_WORDS.get(inspection.origin, inspection.origin)
        if differences:
            self.summary.conflict(
                f"{describe(inspection)} ({origin}) and {self.summary.name} ({record.where}) disagree: "
                + "; ".join(differences)
                + "; kept the database's."
            )
        self.summary.skip(f"already in the database, {origin}: left as it is", describe(inspection))

    # writing

    def finish(self):
        """Write what apply() decided, in bulk, and count it."""
        national_cache.invalidate()  # bulk_create sends no signals
        new = [h for h in self.held if h.is_new]
        if new:
            bulk_create_with_history(
                [h.inspection for h in new], Inspection, default_change_reason=IMPORT_CHANGE_REASON
            )
            self.summary.count_created("inspections", len(new))
        new_judgements, links = [], []
        for held in self.held:
            if not held.touched:
                continue
            inspection = held.inspection
            if held.changed and not held.is_new:
                inspection._change_reason = IMPORT_CHANGE_REASON
                inspection.save()
            for judgement in held.changed_judgements:
                judgement._change_reason = IMPORT_CHANGE_REASON
                judgement.save()
            for judgement in held.new_judgements:
                judgement.inspection = inspection
                judgement.framework = inspection.framework
                judgement.inspection_start_date = inspection.start_date
                new_judgements.append(judgement)
            if held.link_source:
                links.append(Inspection.sources.through(inspection_id=inspection.pk, source_id=self.source.pk))
            if held.is_new or held.inspection.origin != Origin.OFSTED_OUTCOMES or inspection.pk in self.hand_edited:
                continue
            if held.changed or held.changed_judgements or held.new_judgements or held.link_source:
                self.summary.count_updated("inspections")
            else:
                self.summary.count_unchanged("inspections")
        if new_judgements:
            bulk_create_with_history(new_judgements, Judgement, default_change_reason=IMPORT_CHANGE_REASON)
            self.summary.count_created("judgements", len(new_judgements))
        changed_judgements = sum(len(h.changed_judgements) for h in self.held)
        if changed_judgements:
            self.summary.count_updated("judgements", changed_judgements)
        if links:
            Inspection.sources.through.objects.bulk_create(links, ignore_conflicts=True)


# --- commands ----------------------------------------------------------------------------------------


def add_progress_arguments(parser):
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="Always show progress."
    )
    group.add_argument("--no-progress", dest="progress", action="store_false", help="Never show progress.")


def run_file_imports(command, paths, import_file, options):
    """Import each file in its own transaction; print each summary; refuse bad files in one line each.

    Files after a refused one are still imported (each file stands alone); the command then fails with
    a one-line CommandError naming the refused files, so its exit status is non-zero.
    """
    failures = []
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
        if options.get("verbosity", 1) > 0:
            command.stdout.write(str(summary))
    if failures:
        if len(paths) == 1:
            raise CommandError(failures[0])
        raise CommandError(f"{len(failures)} of {len(paths)} files not imported: " + " | ".join(failures))


__all__ = [
    "CouncilIndex",
    "ImportFileError",
    "ImportSummary",
    "InspectionRecord",
    "InspectionWriter",
    "Progress",
    "check_file",
    "open_spreadsheet",
    "parse_date",
    "parse_decimal",
    "parse_event_type",
    "parse_grade",
    "read_csv_table",
    "read_sheet_table",
    "run_file_imports",
]
