"""Import Ofsted's official statistics "Local authority inspection outcomes as at 31 March YYYY" (.ods).

The spreadsheet is read exactly as published. Three sheets hold data, each a table starting at A3:

* `ILACS_inspection_history`: every ILACS standard and short inspection since 2018 with its grades,
  including councils that no longer exist ("Local authority status": "No longer exists");
* `In-year_inspections`: the year's standard and short inspections, focused visits and monitoring
  visits ("LA Monitoring visit"), visits with their theme;
* `Inspections_as_at_31_March`: each council's latest grades, without the type of inspection.

An inspection appears in up to three sheets; rows are merged (council + start date) before anything is
written, so it is one inspection. Councils are found by ONS code, current or former (the 2025 file
still uses Barnsley's and Sheffield's old codes), then by name. Before 2023 the column "children in
care" held the joint judgement on children in care and care leavers; care leavers' column is blank.
"""

from django.db import transaction
from django.utils.text import slugify

from councils.lookup import CouncilIndex

from ..frameworks import GRADED_EVENT_TYPES, EventType, Framework
from ..models import Source
from importing.files import ImportFileError, ImportSummary, Progress, open_spreadsheet, parse_date, read_sheet_table
from .inspection_writer import InspectionRecord, InspectionWriter
from .ofsted_wording import NOT_YET_INSPECTED, parse_event_type, parse_grades
from .provenance import source_for_file

# Sheets in the order they are read: the history states each inspection's type, the latest grades don't.
SHEETS = (
    ("history", ("ilacs inspection history",), "ILACS_inspection_history"),
    ("in_year", ("in year inspections",), "In-year_inspections"),
    ("latest", ("inspections as at",), "Inspections_as_at_31_March"),
)

COLUMNS = {
    "local authority area code": "ons_code",
    "local authority code": "ons_code",
    "ons code": "ons_code",
    "local authority name": "name",
    "local authority": "name",
    "local authority status": "status",
    "inspection date": "start",
    "inspection/visit date": "start",
    "visit date": "start",
    "publication date": "published",
    "inspection type": "type",
    "inspection/visit type": "type",
    "overall effectiveness": "overall",
    "the impact of leaders on social work practice with children and families": "leaders",
    "the experiences and progress of children who need help and protection": "help",
    "the experiences and progress of children in care": "in_care",
    "the experiences and progress of children in care and care leavers": "in_care",
    "the experiences and progress of care leavers": "care_leavers",
    "visit theme": "theme",
}

GRADE_COLUMNS = ("overall", "leaders", "help", "in_care", "care_leavers")
REQUIRED = {
    "history": ("ons_code", "name", "start", "type", "overall", "leaders", "help", "in_care"),
    "in_year": ("ons_code", "name", "start", "type", "theme"),
    "latest": ("ons_code", "name", "start", "overall", "leaders", "help", "in_care"),
}


def _sheet_key(name):
    return " ".join(name.replace("_", " ").replace("-", " ").lower().split())


def _text(value):
    return " ".join(str(value if value is not None else "").split())


def _cover(workbook):
    """Title and publication date from the Cover sheet, where there is one."""
    title, published = "", None
    for name in workbook.sheet_names:
        if _sheet_key(name) != "cover":
            continue
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # a cover we cannot read is no reason to refuse the data
            return title, published
        for row in rows:
            cells = [cell for cell in row if _text(cell)]
            if not cells:
                continue
            if not title:
                title = _text(cells[0])
            if _text(cells[0]).lower().startswith("published on") and len(cells) > 1:
                try:
                    published = parse_date(cells[1])
                except ValueError:
                    pass
    return title, published


def _record(role, sheet, number, values, councils, summary):
    where = f"{sheet} row {number}"
    name, code = _text(values.get("name")), _text(values.get("ons_code"))
    status = _text(values.get("status")).lower()
    former = ("no longer" in status) if status else None
    council, problem = councils.find(ons_code=code, name=name, former=former)
    if council is None:
        summary.skip(problem[0], f"{where}: {problem[1]}")
        return None
    cells = [_text(values.get(role_)).lower() for role_ in ("start", "type", *GRADE_COLUMNS)]
    if NOT_YET_INSPECTED in cells:
        summary.skip("not yet inspected", f"{where}: {council.name}")
        return None
    try:
        start = parse_date(values.get("start"))
    except ValueError:
        summary.skip("inspection date not readable", f"{where}: {_text(values.get('start'))}")
        return None
    if start is None:
        summary.skip("no inspection date", where)
        return None
    try:
        published = parse_date(values.get("published"))
    except ValueError:
        summary.skip("publication date not readable (left blank)", f"{where}: {_text(values.get('published'))}")
        published = None
    if role == "latest":
        event_type, framework = None, Framework.ILACS
    else:
        event_type, framework = parse_event_type(values.get("type"))
        if event_type is None:
            summary.skip("inspection type not recognised", f"{where}: {_text(values.get('type')) or 'blank'}")
            return None
    if event_type is None or event_type in GRADED_EVENT_TYPES:
        grades = parse_grades(values, summary, where)
    else:
        grades = {}
        if any(_text(values.get(column)) for column in GRADE_COLUMNS):
            summary.skip("grades given for a visit, which is not graded", where)
    theme = _text(values.get("theme")) if event_type in (EventType.FOCUSED_VISIT, EventType.MONITORING_VISIT) else ""
    return InspectionRecord(
        council=council,
        event_type=event_type,
        framework=framework,
        start_date=start,
        published_date=published,
        theme=theme,
        grades=grades,
        where=where,
    )


def _merge(records, summary):
    """One record per inspection: the same inspection in several sheets is one."""
    merged = {}
    for record in records:
        key = (record.council.pk, record.start_date, record.family)
        base = merged.get(key)
        if base is None:
            merged[key] = record
            continue
        what = f"{record.council.name}, inspection starting {record.start_date:%-d %b %Y}"
        if base.event_type is None:
            base.event_type, base.framework = record.event_type, record.framework
        elif record.event_type and record.event_type != base.event_type:
            summary.conflict(
                f"{what}: {base.where} says {EventType(base.event_type).label}, {record.where} says "
                f"{EventType(record.event_type).label}; kept the first."
            )
        if base.published_date is None:
            base.published_date = record.published_date
        elif record.published_date and record.published_date != base.published_date:
            summary.conflict(
                f"{what}: published {base.published_date} in {base.where}, {record.published_date} in "
                f"{record.where}; kept the first."
            )
        if not base.theme:
            base.theme = record.theme
        for role, grade in record.grades.items():
            if role not in base.grades:
                base.grades[role] = grade
            elif base.grades[role] != grade:
                summary.conflict(
                    f"{what}: {role.replace('_', ' ')} is {base.grades[role]} in {base.where}, {grade} in "
                    f"{record.where}; kept the first."
                )
    return list(merged.values())


def import_outcomes_spreadsheet(path, *, progress_stream=None, show_progress=None):
    """Create or update inspections and judgements from Ofsted's outcomes spreadsheet."""
    workbook = open_spreadsheet(path)
    found = {}
    for role, prefixes, _label in SHEETS:
        for name in workbook.sheet_names:
            if _sheet_key(name).startswith(prefixes):
                found.setdefault(role, name)
    if not found:
        expected = ", ".join(label for _role, _prefixes, label in SHEETS)
        raise ImportFileError(f"not Ofsted's outcomes spreadsheet: it has none of the sheets {expected}", path)
    tables = {
        role: read_sheet_table(workbook, name, COLUMNS, REQUIRED[role], path, description="Ofsted's outcomes")
        for role, name in found.items()
    }
    summary = ImportSummary(path)
    for role, _prefixes, label in SHEETS:
        if role not in found:
            summary.skip("sheet not in the file", label)
    title, published = _cover(workbook)
    total = sum(len(rows) for rows in tables.values())
    progress = Progress(total, f"Inspections from {summary.name}", progress_stream, show_progress)
    with transaction.atomic():
        councils = CouncilIndex()
        if not len(councils):
            raise ImportFileError("no councils in the database: run import_councils first", path)
        source = source_for_file(
            path,
            summary,
            key=slugify(f"ofsted-{path_stem(path)}")[:120],
            kind=Source.Kind.OFSTED_STATISTICS,
            title=title or path_stem(path).replace("_", " "),
            publisher="Ofsted",
            published_date=published,
            notes=(
                "Ofsted official statistics, Open Government Licence v3.0. Sheets read: "
                + ", ".join(found.values())
                + ". Copy from the public repository dfe-analytical-services/CSC_outcomes_and_enablers."
            ),
        )
        records = []
        for role, _prefixes, _label in SHEETS:
            for number, values in tables.get(role, []):
                record = _record(role, found[role], number, values, councils, summary)
                if record is not None:
                    records.append(record)
                progress.advance()
        writer = InspectionWriter(source, summary, official=True)
        for record in _merge(records, summary):
            writer.apply(record)
        writer.finish()
    progress.done()
    return summary


def path_stem(path):
    return str(path).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]


def is_spreadsheet(path):
    """Whether a file looks like a spreadsheet (for commands given a mix of files)."""
    name = str(path).lower()
    if name.endswith((".ods", ".xlsx", ".xls")):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")

