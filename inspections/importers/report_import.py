"""Read an Ofsted report PDF into the database: a draft inspection where none matches it, else how the report
differs from the matching inspection, each difference for an editor to apply or not.

A draft, like a set of applied differences, is saved in one transaction: a report that cannot be read, matched
or validated saves nothing.
"""

import calendar
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from councils.lookup import CouncilIndex
from councils.models import Council
from inspections.frameworks import GRADED_EVENT_TYPES, Area, EventType, Framework, Grade
from inspections.dates import DatePrecision, format_date
from inspections.models import Finding, Inspection, Judgement, Origin, Source

from importing.files import ImportFileError
from .ilacs_history_csv import history_records
from .report_limits import parse_report_bounded
from .report_pdf import ParsedReport, ReportError, read_bytes

HISTORY_CSV = Path("data") / "ofsted" / "ilacs_inspection_history.csv"  # under settings.FIXTURES_DIR


@dataclass
class UploadedReport:
    """A report PDF as read: the reading, the council it is about, the file's name and SHA-256."""

    report: ParsedReport
    council: Council
    file_name: str
    sha256: str

    @cached_property
    def archived_source(self):
        """The report archive's Source for this very file (same SHA-256), if it has one."""
        return Source.objects.filter(kind=Source.Kind.OFSTED_REPORT, sha256=self.sha256).order_by("pk").first()

    @cached_property
    def history_record(self):
        """The history CSV's row for this report: same council, same start date (or, for a row without dates, the
        same publication date). None where the file has no such row or several."""
        path = Path(settings.FIXTURES_DIR) / HISTORY_CSV
        report = self.report
        try:
            rows = [
                record
                for record in history_records(path, CouncilIndex())
                if record.council.pk == self.council.pk
                and (
                    record.start_date == report.start_date
                    if record.start_date
                    else report.published_date is not None and record.published_date == report.published_date
                )
            ]
        except ImportFileError:
            return None
        return rows[0] if len(rows) == 1 else None

    @property
    def report_url(self):
        """Ofsted's address for the report: the archive's, else the history CSV's, else ""."""
        if self.archived_source and self.archived_source.url:
            return self.archived_source.url
        return self.history_record.report_url if self.history_record else ""

    @property
    def published_date(self):
        """When Ofsted published the report: as it prints it (SIF), else as the archive or history file give it."""
        if self.report.published_date:
            return self.report.published_date
        if self.archived_source and self.archived_source.published_date:
            return self.archived_source.published_date
        return self.history_record.published_date if self.history_record else None

    @property
    def change_reason(self):
        if self.published_date:
            return f"Applied from Ofsted's report (published {shown(self.published_date)})"
        return f"Applied from Ofsted's report (inspection from {shown(self.report.start_date)})"


def read_report(file):
    """Read a report PDF (path, bytes or file) and find its council; raises ReportError. Saves nothing.

    The PDF is read in a child process within the limits in settings (report_limits), so a crafted file
    cannot tie up the web worker or the command.
    """
    data = read_bytes(file)
    report = parse_report_bounded(data)
    return UploadedReport(report, find_council(report.council_name), file_name(file), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Difference:
    key: str  # what apply_differences() is asked to apply: a field's name, "judgement:<area>", "findings:<kind>"
    field: str
    in_database: str
    in_report: str
    why_not: str = ""  # why it cannot be applied; empty where it can
    listed_in_database: tuple = ()  # the findings of a findings difference, in order
    listed_in_report: tuple = ()

    @property
    def can_apply(self):
        return not self.why_not

    def __str__(self):
        return f"{self.field}: {self.in_database or 'none'} in the database, {self.in_report or 'none'} in the report"


@dataclass
class ImportResult:
    uploaded: UploadedReport
    inspection: Inspection | None = None  # the draft made, or the one inspection the report matches
    created: bool = False
    candidates: list = field(default_factory=list)  # the inspections it may be about, when several
    differences: list = field(default_factory=list)

    @property
    def report(self):
        return self.uploaded.report

    @property
    def already_exists(self):
        return not self.created

    def describe(self):
        inspection = self.inspection
        if self.created:
            judgements, points = len(self.report.judgements), len(self.report.what_needs_to_improve)
            return (
                f"created draft #{inspection.pk}: {inspection}, {judgements} judgement{plural(judgements)}, "
                f"{points} point{plural(points)} to improve"
            )
        if inspection is None:
            listed = ", ".join(f"#{candidate.pk} ({candidate})" for candidate in self.candidates)
            return (
                f"may be any of {len(self.candidates)} inspections in the database: {listed}; nothing saved "
                "(import it in the admin to choose which, or to say it is another inspection)"
            )
        found = f"already in the database as #{inspection.pk} ({inspection}, {inspection.get_status_display().lower()})"
        if not self.differences:
            return f"{found}; the report agrees with it"
        return (
            f"{found}; differences: " + "; ".join(str(difference) for difference in self.differences)
            + "; nothing changed (the admin's report import applies differences)"
        )


def plural(count):
    return "" if count == 1 else "s"


def import_report(file, *, user=None):
    """Read a report PDF and save it as a draft inspection, unless inspections in the database may be the one it
    reports: then nothing is saved, and the result says which and how the report differs from a single match."""
    uploaded = read_report(file)
    candidates = matching_inspections(uploaded)
    if len(candidates) == 1:
        return ImportResult(uploaded, candidates[0], differences=differences(candidates[0], uploaded))
    if candidates:
        return ImportResult(uploaded, candidates=candidates)
    return ImportResult(uploaded, create_draft(uploaded, user), created=True)


def create_draft(uploaded, user=None):
    """Save the report as a new draft inspection, in one transaction; raises ReportError (nothing saved)."""
    try:
        with transaction.atomic():
            return save_draft(uploaded, user)
    except ValidationError as error:
        raise ReportError(f"The report cannot be saved: {validation_message(error)}") from None
    except IntegrityError as error:
        raise ReportError(f"The report cannot be saved: {error}.") from None


# Which council --------------------------------------------------------------------------------------------------

COUNCIL_PREFIX = re.compile(
    r"^(?:london\s+borough\s+of|royal\s+borough\s+of|metropolitan\s+borough\s+of|city\s+and\s+county\s+of"
    r"|council\s+of\s+the|city\s+of|county\s+of|borough\s+of)\s+",
    re.I,
)
COUNCIL_SUFFIX = re.compile(
    r"\s+(?:metropolitan\s+borough\s+council|metropolitan\s+district\s+council|borough\s+council|city\s+council"
    r"|county\s+council|district\s+council|council)$",
    re.I,
)


def council_name_candidates(printed):
    """The printed name, then the forms councils are filed under ("Bristol City Council" -> "Bristol, City of")."""
    bare = re.sub(r"^the\s+", "", printed.strip(), flags=re.I)
    bare = COUNCIL_SUFFIX.sub("", COUNCIL_PREFIX.sub("", bare)).strip(" ,")
    names = [printed, bare, bare.replace("&", "and"), bare.replace(" and ", " & "), f"{bare}, City of"]
    names += [f"County {bare}", re.sub(r"^County\s+", "", bare), re.sub(r"^St\.?\s", "St. ", bare)]
    names += [re.sub(r"^St\.\s", "St ", bare), slugify(bare)]
    return list(dict.fromkeys(name for name in names if name))


def find_council(printed):
    for name in council_name_candidates(printed):
        matches = list(Council.objects.matching(name))
        if len(matches) > 1:
            matches = [council for council in matches if council.is_current]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ReportError(f"Several councils match “{printed}”: import the report from the council's own page.")
    raise ReportError(f"No council in the database matches “{printed}”: add the council or that name as an alias.")


# Already recorded? ----------------------------------------------------------------------------------------------


def matching_inspections(uploaded):
    """The inspections the report may be about, by the first of these tests that finds any:

    (a) linked to a source that is this very file (same SHA-256);
    (b) the council's, of the same kind, published the day the report says it was;
    (c) the council's, of the same kind, dated within the report's dates (as precisely as it is recorded);
    (d) the council's, of the same kind, undated, where what the sources say of its dates (not before, not after,
        its publication) admits the report's.

    "The same kind" is any graded inspection for a graded one (the files disagree on full, standard and short),
    else the same event type. One inspection is the match; several are for an editor to choose from.
    """
    council, report = uploaded.council, uploaded.report
    by_file = council.inspections.filter(sources__sha256=uploaded.sha256).distinct().order_by("pk")
    if by_file:
        return list(by_file)
    same_kind = council.inspections.filter(
        Q(event_type__in=GRADED_EVENT_TYPES) if report.event_type in GRADED_EVENT_TYPES else Q(event_type=report.event_type)
    )
    if report.published_date:
        published = same_kind.filter(published_date=report.published_date).order_by("pk")
        if published:
            return list(published)
    dated = [
        inspection
        for inspection in same_kind.filter(start_date__isnull=False).order_by("start_date", "pk")
        if known_span(inspection)[0] <= report.end_date and known_span(inspection)[1] >= report.start_date
    ]
    if dated:
        return dated
    return [
        inspection
        for inspection in same_kind.filter(start_date__isnull=True).order_by("pk")
        if (inspection.not_before is None or inspection.not_before <= report.start_date)
        and (inspection.not_after is None or inspection.not_after >= report.end_date)
        and (inspection.published_date is None or inspection.published_date >= report.end_date)
    ]


def known_span(inspection):
    """The days an inspection may have covered, as precisely as it is recorded (a month is stored as its 1st)."""
    start = inspection.start_date
    if inspection.date_precision == DatePrecision.YEAR:
        return datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31)
    if inspection.date_precision == DatePrecision.MONTH:
        last_day = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=1), (inspection.end_date or start).replace(day=last_day)
    return start, inspection.end_date or start


# How the report differs -----------------------------------------------------------------------------------------

FINDING_KINDS = (
    (Finding.Kind.WHAT_NEEDS_TO_IMPROVE, "points to improve"),
    (Finding.Kind.AREA_FOR_PRIORITY_ACTION, "areas for priority action"),
    (Finding.Kind.STRENGTH, "strengths"),
)


def differences(inspection, uploaded):
    """Where the report and the inspection differ, field by field, each saying whether it can be applied."""
    report = uploaded.report

    def recorded_date(value):
        return format_date(value, inspection.date_precision)

    found = [
        compare("framework", "framework", label(Framework, inspection.framework), label(Framework, report.framework)),
        compare(
            "event_type", "event type", label(EventType, inspection.event_type), label(EventType, report.event_type)
        ),
        compare("start_date", "start date", recorded_date(inspection.start_date), report.start_date),
        compare("end_date", "end date", recorded_date(inspection.end_date), report.end_date),
        compare(
            "published_date",
            "published date",
            inspection.published_date,
            uploaded.published_date,
            missing="Neither the report nor the report archive or history file gives its publication date.",
        ),
        compare(
            "lead_inspector",
            "lead inspector",
            inspection.lead_inspector,
            report.lead_inspector,
            missing="The reader found no lead inspector in the report.",
        ),
    ]
    recorded = dict(inspection.judgements.values_list("area", "grade"))
    read = dict(report.judgements)
    for area in [*read, *(area for area in recorded if area not in read)]:
        missing = (
            "The report marks this area “Not judged”: remove the grade by hand if the report is right."
            if area in report.not_judged
            else "The reader did not read a grade for this area from the report."
        )
        found.append(
            compare(
                f"judgement:{area}", Area(area).label, label(Grade, recorded.get(area)), label(Grade, read.get(area)),
                missing=missing,
            )
        )
    for kind, name in FINDING_KINDS:
        in_database = tuple(inspection.findings.filter(kind=kind).order_by("order").values_list("text", flat=True))
        in_report = tuple(point.text for point in report.findings if point.kind == kind)
        if [shown(text).casefold() for text in in_database] != [shown(text).casefold() for text in in_report]:
            found.append(
                Difference(
                    f"findings:{kind}",
                    name,
                    str(len(in_database)),
                    str(len(in_report)),
                    why_not="" if in_report else "The reader found none in the report.",
                    listed_in_database=in_database,
                    listed_in_report=in_report,
                )
            )
    found += [
        compare(
            "report_url",
            "report URL",
            inspection.report_url,
            uploaded.report_url,
            missing="Neither the report archive nor the history file gives this report's address.",
        ),
        compare(
            "summary", "summary", inspection.summary, report.summary, missing="The reader found no summary paragraph."
        ),
    ]
    return [difference for difference in found if difference]


def compare(key, name, in_database, in_report, missing=""):
    shown_database, shown_report = shown(in_database), shown(in_report)
    if shown_database.casefold() == shown_report.casefold():
        return None
    return Difference(key, name, shown_database, shown_report, why_not="" if shown_report else missing)


def shown(value):
    if isinstance(value, datetime.date):
        return format_date(value)
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def label(choices, value):
    return choices(value).label if value in choices.values else (value or "")


# Applying differences --------------------------------------------------------------------------------------------

INSPECTION_FIELDS = ("framework", "event_type", "start_date", "end_date", "published_date", "lead_inspector")


def apply_differences(inspection, uploaded, keys, user=None):
    """Apply the differences named by `keys` (Difference.key) that still hold and can be applied; returns them.

    Everything in one transaction, each change recorded in the history with `user` and a reason naming the report;
    the report's Source is linked to the inspection. Raises ValidationError (nothing saved) when a change is
    refused. Differences not chosen, and keys that name none, are left alone.
    """
    chosen = [difference for difference in differences(inspection, uploaded) if difference.key in keys]
    chosen = [difference for difference in chosen if difference.can_apply]
    if not chosen:
        return []
    report, reason = uploaded.report, uploaded.change_reason
    chosen_keys = {difference.key for difference in chosen}
    with transaction.atomic():
        for name in INSPECTION_FIELDS:
            if name in chosen_keys:
                # The publication date as uploaded.published_date finds it: ILACS reports do not print theirs.
                setattr(inspection, name, getattr(uploaded if name == "published_date" else report, name))
        if chosen_keys & {"start_date", "end_date"}:
            inspection.date_precision = DatePrecision.DAY  # the report gives the days
        if "report_url" in chosen_keys:
            inspection.report_url = uploaded.report_url
        if "summary" in chosen_keys:
            inspection.summary = report.summary
        if chosen_keys & {*INSPECTION_FIELDS, "report_url", "summary"}:
            save_valid(inspection, user, reason=reason)
        source = report_source(uploaded, user)
        record_change(inspection, user, reason)  # the history of linking the source names the editor too
        inspection.sources.add(source)
        for area, grade in report.judgements:
            if f"judgement:{area}" in chosen_keys:
                judgement = inspection.judgements.filter(area=area).first() or Judgement(inspection=inspection, area=area)
                judgement.grade, judgement.source = grade, source
                judgement.copy_from_inspection()
                save_valid(judgement, user, about=Area(area).label, reason=reason)
        for kind, name in FINDING_KINDS:
            if f"findings:{kind}" in chosen_keys:
                for finding in inspection.findings.filter(kind=kind):
                    record_change(finding, user, reason)
                    finding.delete()
                save_findings(inspection, [point for point in report.findings if point.kind == kind], source, user, reason)
    return chosen


# Saving -----------------------------------------------------------------------------------------------------------


def save_draft(uploaded, user):
    report = uploaded.report
    inspection = Inspection(
        council=uploaded.council,
        event_type=report.event_type,
        framework=report.framework,
        start_date=report.start_date,
        end_date=report.end_date,
        date_precision=DatePrecision.DAY,
        published_date=uploaded.published_date,
        lead_inspector=report.lead_inspector,
        report_url=uploaded.report_url,
        summary=report.summary,
        status=Inspection.Status.DRAFT,
        origin=Origin.REPORT_PDF,
    )
    save_valid(inspection, user)
    source = report_source(uploaded, user)
    inspection.sources.add(source)
    for area, grade in report.judgements:
        judgement = Judgement(inspection=inspection, area=area, grade=grade, source=source)
        judgement.copy_from_inspection()
        save_valid(judgement, user, about=Area(area).label)
    for kind, _name in FINDING_KINDS:
        save_findings(inspection, [point for point in report.findings if point.kind == kind], source, user)
    return inspection


def save_findings(inspection, points, source, user, reason=""):
    for order, point in enumerate(points, start=1):
        finding = Finding(
            inspection=inspection,
            kind=point.kind,
            area=point.area,
            text=point.text,
            order=order,
            page=point.page,
            source=source,
        )
        save_valid(finding, user, about=f"{Finding.Kind(point.kind).label}, point {order}", reason=reason)


def report_source(uploaded, user):
    """The Source for this file: the archive's (same SHA-256), one an earlier import made, or a new one."""
    if uploaded.archived_source:
        return uploaded.archived_source
    council, report = uploaded.council, uploaded.report
    key = slugify(f"report-pdf-{council.slug}-{report.event_type}-{report.start_date}")[:120]
    source = Source.objects.filter(key=key).first()
    if source:
        return source
    name = uploaded.file_name
    source = Source(
        key=key,
        kind=Source.Kind.OFSTED_REPORT,
        title=(
            f"Ofsted report: {council.name}, {label(EventType, report.event_type).lower()} "
            f"from {shown(report.start_date)}"
        ),
        publisher="Ofsted",
        published_date=uploaded.published_date,
        url=uploaded.report_url,
        file_name=name[:300],
        sha256=uploaded.sha256,
        notes=f"Read from {name} by the report importer." if name else "Read by the report importer.",
    )
    save_valid(source, user)
    return source


def save_valid(instance, user, about="", reason=""):
    try:
        instance.full_clean()
    except ValidationError as error:
        if about:
            raise ValidationError(f"{about}: {validation_message(error)}") from None
        raise
    record_change(instance, user, reason)
    instance.save()


def record_change(instance, user, reason):
    """Tell django-simple-history who made the change and why."""
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason


def validation_message(error):
    messages = []
    for name, field_messages in getattr(error, "message_dict", {"": error.messages}).items():
        prefix = "" if name in ("", "__all__") else f"{name.replace('_', ' ')}: "
        messages.extend(prefix + message for message in field_messages)
    return " ".join(messages).replace("\n", " ")


def file_name(file):
    if isinstance(file, (str, Path)):
        return Path(file).name
    return Path(getattr(file, "name", "") or "").name
