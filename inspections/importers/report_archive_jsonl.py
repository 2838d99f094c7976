"""Import the report archive (`report_archive.jsonl`): one JSON line per Ofsted report PDF, as build_archive wrote it.

Each line gives where the report came from (its path in JT-39/ofsted-ilacs-scrape-tool, SHA-256, the council's
URN, the history CSV's row naming it, whose `inspection_link` is Ofsted's URL for it) and what the report reader
read (framework, type, dates, lead inspector, judgements, findings with their pages), or why the reader refused it.

Each report becomes a Source (an Ofsted report, with its URL, file name and checksum) and is merged into the
inspection it reports on through InspectionWriter: matched by council and start date, Ofsted's URL or
publication date, so the full inspections the history CSV gives with a publication date only are filled, not
duplicated. Ofsted's official statistics stand where they give a value; the report fills what they lack and
stands over the history CSV (itself machine-read from the same reports); every disagreement is listed and
kept. Inspections entered by hand are never changed. Findings are attached, with their kind, area, place
under their heading and page, to the inspections this importer may change. Refused reports and grades the
framework rules do not allow are counted and skipped.
"""

import json
from pathlib import PurePosixPath

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from councils.lookup import CouncilIndex

from .. import national_cache
from ..frameworks import Area, EventType, Framework, Grade
from ..models import Finding, Origin, Source
from importing.files import ImportFileError, ImportSummary, Progress, check_file, parse_date
from .inspection_writer import InspectionRecord, InspectionWriter, person_name
from .provenance import IMPORT_CHANGE_REASON

REQUIRED_KEYS = ("path", "sha256", "status")
# The choices' values as sets, looked up for every judgement and finding (Django rebuilds `.values` each time).
AREAS, GRADES, KINDS = frozenset(Area.values), frozenset(Grade.values), frozenset(Finding.Kind.values)
FRAMEWORKS, EVENT_TYPES = frozenset(Framework.values), frozenset(EventType.values)
READ_KEYS = ("framework", "event_type", "start_date", "judgements", "findings")


def _text(value):
    return " ".join(str(value or "").split())


def read_lines(path):
    """[(line number, record)] of a JSON Lines file; refuses the whole file at the first line that is not a record."""
    check_file(path, "jsonl")
    records = []
    with open(path, encoding="utf-8-sig") as handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ImportFileError(f"line {number} is not JSON ({error.msg})", path) from None
                if not isinstance(record, dict):
                    raise ImportFileError(f"line {number} is not a report record (a JSON object)", path)
                missing = [key for key in REQUIRED_KEYS if key not in record]
                if record.get("status") == "read":
                    missing += [key for key in READ_KEYS if key not in record]
                if missing:
                    raise ImportFileError(f"line {number} is not a report record: no {', '.join(missing)}", path)
                records.append((number, record))
        except UnicodeDecodeError:
            raise ImportFileError("is not UTF-8 text (expected a JSON Lines file)", path) from None
    if not records:
        raise ImportFileError("has no report records", path)
    return records


def _date(value, summary, what, where):
    try:
        return parse_date(value)
    except ValueError:
        summary.skip(f"{what} not readable (left blank)", f"{where}: {_text(value)}")
        return None


def report_title(record, council):
    """The report's printed title, naming the council where the title does not."""
    title = _text(record.get("title")) or "Inspection of children's services"
    title = title[0].upper() + title[1:]
    return title if council.name.casefold() in title.casefold() else f"{council.name}: {title}"


def _judgements(record, summary, where):
    judgements = {}
    for pair in record.get("judgements") or []:
        area, grade = (list(pair) + ["", ""])[:2] if isinstance(pair, (list, tuple)) else ("", "")
        if area not in AREAS or grade not in GRADES:
            summary.skip("judgement not recognised", f"{where}: {area} {grade}")
            continue
        judgements.setdefault(area, grade)
    return judgements


def _source(record, council, published, url, sources, summary):
    sha = _text(record["sha256"]).lower()
    key = f"ofsted-report-{sha[:24]}"
    source = sources.get(sha) or sources.get(key)
    if source is not None:
        summary.count_unchanged("sources")
        return source
    source = Source(
        key=key,
        kind=Source.Kind.OFSTED_REPORT,
        title=report_title(record, council)[:300],
        publisher="Ofsted",
        published_date=published,
        url=url[:500],
        file_name=PurePosixPath(record["path"]).name[:300],
        sha256=sha[:64],
        notes=(
            f"Read from {record['path']} of the public repository JT-39/ofsted-ilacs-scrape-tool by the report "
            "reader (manage.py build_archive); Ofsted, Open Government Licence v3.0."
        ),
    )
    sources[sha] = sources[key] = source
    return source


def _record(number, record, councils, summary, sources):
    where = f"line {number}"
    if record["status"] != "read":
        summary.skip("report refused by the reader", f"{where}: {_text(record.get('reason'))[:120]}")
        return None, None
    history = record.get("history") or {}
    council, problem = councils.find(urn=_text(record.get("urn")), name=_text(history.get("local_authority")))
    if council is None:
        summary.skip(problem[0], f"{where}: {problem[1]}")
        return None, None
    framework, event_type = _text(record.get("framework")), _text(record.get("event_type"))
    if framework not in FRAMEWORKS or event_type not in EVENT_TYPES:
        summary.skip("framework or inspection type not recognised", f"{where}: {framework} {event_type}")
        return None, None
    start = _date(record.get("start_date"), summary, "start date", where)
    end = _date(record.get("end_date"), summary, "end date", where)
    published = _date(record.get("published_date"), summary, "publication date", where) or _date(
        history.get("publication_date"), summary, "publication date", where
    )
    link = _text(history.get("inspection_link"))
    url = link if link.startswith(("http://", "https://")) else ""
    source = _source(record, council, published, url, sources, summary)
    return (
        InspectionRecord(
            council=council,
            event_type=event_type,
            framework=framework,
            start_date=start,
            end_date=end if start else None,
            published_date=published,
            lead_inspector=person_name(record.get("lead_inspector")),
            report_url=url,
            judgements=_judgements(record, summary, where),
            where=where,
            source=source,
        ),
        source,
    )


def _findings(record, summary, where):
    """(kind, area, text, page) of a record's findings, in report order; unknown kinds and blank texts skipped."""
    findings = []
    for finding in record.get("findings") or []:
        if not isinstance(finding, dict):
            summary.skip("finding not recognised", where)
            continue
        kind, text = _text(finding.get("kind")), str(finding.get("text") or "").strip()
        if kind not in KINDS or not text:
            summary.skip("finding not recognised", f"{where}: {kind or 'no kind'}")
            continue
        area = _text(finding.get("area"))
        page = finding.get("page")
        findings.append(
            (kind, area if area in AREAS else "", text, page if isinstance(page, int) and 0 < page < 32768 else None)
        )
    return findings


def import_report_archive(path, *, progress_stream=None, show_progress=None):
    """Merge the report archive into the database: inspections filled, judgements, findings and sources added."""
    lines = read_lines(path)
    summary = ImportSummary(path)
    progress = Progress(len(lines), f"Reports from {summary.name}", progress_stream, show_progress)
    with transaction.atomic():
        councils = CouncilIndex()
        if not len(councils):
            raise ImportFileError("no councils in the database: run import_councils first", path)
        sources = {}
        for source in Source.objects.filter(kind=Source.Kind.OFSTED_REPORT).exclude(sha256="").order_by():
            sources[source.sha256] = sources[source.key] = source
        read, seen = [], set()
        for number, record in lines:
            progress.advance()
            # A refused file is counted as refused, though the archive saved the same page for several reports.
            if record["status"] == "read" and record["sha256"] in seen:
                summary.skip("report listed twice", f"line {number}: {record['path']}")
                continue
            seen.add(record["sha256"])
            inspection_record, source = _record(number, record, councils, summary, sources)
            if inspection_record is not None:
                read.append((number, record, inspection_record, source))
        # Before the first write (national_cache.py): bulk_create sends no signals.
        national_cache.invalidate(councils={inspection_record.council.pk for _n, _r, inspection_record, _s in read})
        new_sources = [source for _n, _r, _i, source in read if source.pk is None]
        if new_sources:
            bulk_create_with_history(new_sources, Source, default_change_reason=IMPORT_CHANGE_REASON)
            summary.count_created("sources", len(new_sources))
        writer = InspectionWriter(None, summary, official=False, origin=Origin.REPORT_PDF)
        applied = []
        for number, record, inspection_record, source in read:
            held = writer.apply(inspection_record)
            if held is not None:
                applied.append((held, source, _findings(record, summary, f"line {number}")))
        writer.finish()
        _attach_findings(writer, applied, summary)
    progress.done()
    return summary


def _attach_findings(writer, applied, summary):
    inspection_ids = {held.inspection.pk for held, _source, _findings in applied}
    held_keys = set(
        # order_by(): no default ordering, whose joins would sort thousands of findings for nothing.
        Finding.objects.filter(inspection_id__in=inspection_ids).order_by().values_list("inspection_id", "kind", "order")
    )
    new = []
    for held, source, findings in applied:
        inspection = held.inspection
        if not writer.importable(inspection):
            if findings:
                summary.skip("findings not attached: the inspection was entered or edited by hand", inspection)
            continue
        orders = {}
        for kind, area, text, page in findings:
            orders[kind] = orders.get(kind, 0) + 1
            key = (inspection.pk, kind, orders[kind])
            if key in held_keys:
                summary.count_unchanged("findings")
                continue
            held_keys.add(key)
            new.append(
                Finding(
                    inspection=inspection, kind=kind, area=area, text=text, order=orders[kind], page=page, source=source
                )
            )
    if new:
        bulk_create_with_history(new, Finding, default_change_reason=IMPORT_CHANGE_REASON)
        summary.count_created("findings", len(new))
