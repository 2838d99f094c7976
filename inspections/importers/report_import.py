"""Make a draft inspection from an Ofsted report PDF, or say how the report differs from the one recorded.

Everything is saved in one transaction: a report that cannot be read, matched or validated saves nothing.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from councils.models import Council
from inspections.frameworks import GRADED_EVENT_TYPES, Area, EventType, Framework, Grade
from inspections.models import DatePrecision, Finding, Inspection, Judgement, Origin, Source

from .report_limits import parse_report_bounded
from .report_pdf import ParsedReport, ReportError


@dataclass(frozen=True)
class Difference:
    field: str
    in_database: str
    in_report: str

    def __str__(self):
        return f"{self.field}: {self.in_database or 'none'} in the database, {self.in_report or 'none'} in the report"


@dataclass
class ImportResult:
    inspection: Inspection
    report: ParsedReport
    created: bool
    differences: list = field(default_factory=list)

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
        found = f"already in the database as #{inspection.pk} ({inspection}, {inspection.get_status_display().lower()})"
        if not self.differences:
            return f"{found}; the report agrees with it"
        return f"{found}; differences: " + "; ".join(str(difference) for difference in self.differences)


def plural(count):
    return "" if count == 1 else "s"


def import_report(file, *, user=None):
    """Read a report PDF (path, bytes or file) and save it as a draft inspection unless it is already recorded.

    The PDF is read in a child process within the limits in settings (report_limits), so a crafted file
    cannot tie up the web worker or the command.
    """
    report = parse_report_bounded(file)
    council = find_council(report.council_name)
    existing = existing_inspection(council, report)
    if existing:
        return ImportResult(existing, report, created=False, differences=differences(existing, report))
    try:
        with transaction.atomic():
            inspection = save_draft(council, report, user, file_name(file))
    except ValidationError as error:
        raise ReportError(f"The report cannot be saved: {validation_message(error)}") from None
    except IntegrityError as error:
        raise ReportError(f"The report cannot be saved: {error}.") from None
    return ImportResult(inspection, report, created=True)


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


def existing_inspection(council, report):
    """The council's inspection of this type starting that day, or a graded one whose dates overlap the report's."""
    same = council.inspections.filter(event_type=report.event_type, start_date=report.start_date).first()
    if same:
        return same
    graded = council.inspections.filter(event_type__in=GRADED_EVENT_TYPES, start_date__isnull=False)
    for inspection in graded.order_by("start_date", "pk"):
        start, end = known_span(inspection)
        if start <= report.end_date and end >= report.start_date:
            return inspection
    return None


def known_span(inspection):
    """The days an inspection may have covered, as precisely as it is recorded (a month is stored as its 1st)."""
    start = inspection.start_date
    if inspection.date_precision == DatePrecision.YEAR:
        return datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31)
    if inspection.date_precision == DatePrecision.MONTH:
        last_day = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=1), (inspection.end_date or start).replace(day=last_day)
    return start, inspection.end_date or start


def differences(inspection, report):
    found = [
        compare("framework", label(Framework, inspection.framework), label(Framework, report.framework)),
        compare("event type", label(EventType, inspection.event_type), label(EventType, report.event_type)),
        compare("start date", inspection.start_date, report.start_date),
        compare("end date", inspection.end_date, report.end_date),
        compare("lead inspector", inspection.lead_inspector, report.lead_inspector),
    ]
    if report.published_date:
        found.append(compare("published date", inspection.published_date, report.published_date))
    recorded = dict(inspection.judgements.values_list("area", "grade"))
    read = dict(report.judgements)
    for area in [*read, *(area for area in recorded if area not in read)]:
        found.append(compare(Area(area).label, label(Grade, recorded.get(area)), label(Grade, read.get(area))))
    points = inspection.findings.filter(kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE).count()
    found.append(compare("number of points to improve", points, len(report.what_needs_to_improve)))
    return [difference for difference in found if difference]


def compare(name, in_database, in_report):
    shown_database, shown_report = shown(in_database), shown(in_report)
    if shown_database.casefold() == shown_report.casefold():
        return None
    return Difference(name, shown_database, shown_report)


def shown(value):
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def label(choices, value):
    return choices(value).label if value in choices.values else (value or "")


# Saving -----------------------------------------------------------------------------------------------------------


def save_draft(council, report, user, name):
    inspection = Inspection(
        council=council,
        event_type=report.event_type,
        framework=report.framework,
        start_date=report.start_date,
        end_date=report.end_date,
        date_precision=DatePrecision.DAY,
        published_date=report.published_date,
        lead_inspector=report.lead_inspector,
        status=Inspection.Status.DRAFT,
        origin=Origin.REPORT_PDF,
    )
    save_valid(inspection, user)
    source = report_source(council, report, user, name)
    inspection.sources.add(source)
    for area, grade in report.judgements:
        judgement = Judgement(inspection=inspection, area=area, grade=grade, source=source)
        judgement.copy_from_inspection()
        save_valid(judgement, user, about=Area(area).label)
    for order, point in enumerate(report.what_needs_to_improve, start=1):
        finding = Finding(
            inspection=inspection,
            kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE,
            area=point.area,
            text=point.text,
            order=order,
            source=source,
        )
        save_valid(finding, user, about=f"Point {order} to improve")
    return inspection


def report_source(council, report, user, name):
    key = slugify(f"report-pdf-{council.slug}-{report.event_type}-{report.start_date}")[:120]
    source = Source.objects.filter(key=key).first()
    if source:
        return source
    source = Source(
        key=key,
        kind=Source.Kind.OFSTED_REPORT,
        title=(
            f"Ofsted report: {council.name}, {label(EventType, report.event_type).lower()} "
            f"from {shown(report.start_date)}"
        ),
        publisher="Ofsted",
        published_date=report.published_date,
        notes=f"Read from {name} by the report importer." if name else "Read by the report importer.",
    )
    save_valid(source, user)
    return source


def save_valid(instance, user, about=""):
    try:
        instance.full_clean()
    except ValidationError as error:
        if about:
            raise ValidationError(f"{about}: {validation_message(error)}") from None
        raise
    if user is not None:
        instance._history_user = user  # django-simple-history records who made the change
    instance.save()


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
