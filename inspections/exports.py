"""CSV exports for analysts: the datasets, their data dictionary, and a streaming, spreadsheet-safe writer.

Each dataset is filtered by the same django-filter FilterSet as the page that shows it, reads only
published data, and is written row by row from a server-side cursor, so memory stays flat however
many rows there are. Columns are stable: add new ones at the end.
"""

import csv
import datetime
import functools
import io
import itertools
import operator
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from councils.models import Council

from . import grades, query_parameters, schedule
from .dates import DatePrecision
from .postgresql_copy import copy_csv
from .filtersets import CouncilFilterSet, FindingFilterSet, InspectionFilterSet, JudgementFilterSet, KeyFigureFilterSet
from .frameworks import Area, EventType, Framework, Grade
from .metrics import METRICS, Unit
from .models import (
    Finding,
    Inspection,
    Judgement,
    KeyFigure,
    MissingCode,
    Source,
)

# OWASP CSV injection: a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK_ROWS = 2000


# Every cell is shaped in the database (neutralised text, ISO dates, grades in words), so that a row
# goes from the database to the file untouched: on PostgreSQL its own COPY writes the CSV.


def safe_text(field):
    """The text column `field`, prefixed with ' where a spreadsheet would take it for a formula."""
    formula = functools.reduce(operator.or_, (Q(**{f"{field}__startswith": start}) for start in FORMULA_STARTS))
    return Case(When(formula, then=Concat(Value("'"), F(field))), default=F(field), output_field=TextField())


def safe_texts(*fields):
    return [safe_text(field) for field in fields]


def date_precision(date_field, precision_field=None):
    """How precise the date in `date_field` is (day, month or year, from `precision_field`); empty with no date.

    Without a precision field the date is one the app records to the day.
    """
    precision = safe_text(precision_field) if precision_field else Value(DatePrecision.DAY.value)
    return Case(When(**{f"{date_field}__isnull": True}, then=Value("")), default=precision, output_field=TextField())


class JoinedText(Func):
    """An aggregate for a subquery: the texts joined by "; ", in the order of `ordering` on PostgreSQL.

    SQLite (before 3.44) cannot order inside an aggregate, so there they come in the order read.
    """

    output_field = TextField()

    def __init__(self, text, ordering):
        super().__init__(text, ordering)

    def as_sql(self, compiler, connection, **extra_context):
        text, _ordering = self.get_source_expressions()
        joined = Func(text, function="GROUP_CONCAT", template="%(function)s(%(expressions)s, '; ')", output_field=TextField())
        return compiler.compile(joined)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", arg_joiner=", '; ' ORDER BY ", **extra_context)


def also_reported_by_titles():
    """The titles of a key figure's other sources, each neutralised, in one cell (empty where none)."""
    titles = (
        Source.objects.filter(key_figures_also_reported=OuterRef("pk"))
        .order_by()
        .annotate(titles=JoinedText(safe_text("title"), F("title")))
        .values("titles")
    )
    return Coalesce(Subquery(titles), Value(""), output_field=TextField())


class IsoDate(Func):
    """A date as YYYY-MM-DD text, whatever the server's DateStyle."""

    function = "CAST"
    template = "%(function)s(%(expressions)s AS TEXT)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="TO_CHAR", template="%(function)s(%(expressions)s, 'YYYY-MM-DD')")


class PlainNumber(Func):
    """A decimal as text without the column's trailing zeros: 33 and 12.5, not 33.0000 and 12.5000."""

    function = "CAST"
    template = "%(function)s(%(expressions)s AS TEXT)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="CAST(TRIM_SCALE(%(expressions)s) AS TEXT)")


class ChoiceWords(Func):
    """What the value of `field` (a column or an annotation) stands for in `choices`, pairs of a value and its
    text or expression; `default` for any other value.

    A simple CASE, which reads `field` once: Case reads it once per choice, and an annotation that is a
    subquery is inlined, and run, wherever it is read.
    """

    output_field = CharField()

    def __init__(self, field, choices, default=None):
        texts = [item if hasattr(item, "resolve_expression") else Value(item) for pair in choices for item in pair]
        super().__init__(F(field), *texts, Value(default))

    def as_sql(self, compiler, connection, **extra_context):
        (field, field_params), *pairs, (default, default_params) = map(compiler.compile, self.get_source_expressions())
        whens = "".join(f" WHEN {value} THEN {text}" for (value, _), (text, _) in zip(pairs[::2], pairs[1::2]))
        params = [*field_params, *(param for _sql, sql_params in pairs for param in sql_params), *default_params]
        return f"CASE {field}{whens} ELSE {default} END", params


def grade_words(field):
    """The grade in `field` in Ofsted's words; None for no grade."""
    return ChoiceWords(field, Grade.choices)


GRADE_ALLOWED = ", ".join(label for _value, label in Grade.choices)
CHANGE_ALLOWED = "improved, declined, unchanged, first"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str = "text"
    allowed: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple
    filterset_class: type
    base_queryset: callable
    rows: callable

    @property
    def header(self):
        return [column.name for column in self.columns]

    def filterset(self, params):
        return self.filterset_class(params, queryset=self.base_queryset())


def choices_allowed(choices):
    return ", ".join(value for value, _label in choices)


# The council's identity, described alike in every dataset that carries it.
COUNCIL = Column("council", "The council's name")
COUNCIL_SLUG = Column("council_slug", "The council's identifier in this app's URLs and filters")
ONS_CODE = Column("ons_code", "The council's current ONS code", allowed="E06…, E08…, E09…, E10…")
LA_CODE = Column("la_code", "The council's DfE three-digit local authority code", allowed="three digits")
REGION = Column("region", "English region")

# A date known only to the month or year is written as the first day of it; a column beside it (at the
# end, as columns are stable) says how precise it is.
PRECISION_ALLOWED = choices_allowed(DatePrecision.choices)
DATE_PRECISION_MEANING = (
    "How precisely the sources give {date}: day; month (written as the 1st of the month); "
    "year (written as 1 January); empty where there is no date"
)


# -- councils ---------------------------------------------------------------------------------------

COUNCIL_LINES = grades.COUNCIL_LINES


def precision_column(name, of):
    return Column(name, DATE_PRECISION_MEANING.format(date=of), allowed=PRECISION_ALLOWED)


def _councils_queryset():
    # Text is neutralised inside each subquery: an annotation is inlined again wherever it is used, and
    # safe_text() uses its column once per formula start, so text neutralised outside would run a subquery
    # seven times.
    latest_event = Inspection.objects.published().filter(council=OuterRef("pk")).exclude(start_date=None)
    latest_event = latest_event.order_by("-start_date", "-pk")
    latest_event = latest_event.annotate(safe_type=safe_text("event_type"), safe_precision=safe_text("date_precision"))
    latest_full = grades.full_inspections_of("pk").annotate(
        safe_type=safe_text("event_type"), safe_precision=safe_text("date_precision"), safe_framework=safe_text("framework")
    )
    annotations = {
        "latest_inspection_safe_type": Subquery(latest_full.values("safe_type")[:1]),
        "latest_inspection_safe_framework": Subquery(latest_full.values("safe_framework")[:1]),
        # Words, not the database's own booleans (COPY writes PostgreSQL's t and f).
        "is_current_words": Case(When(is_current=True, then=Value("true")), default=Value("false"), output_field=CharField()),
        "latest_inspection_safe_precision": Subquery(latest_full.values("safe_precision")[:1]),
        "last_event_date": Subquery(latest_event.values("start_date")[:1]),
        "last_event_date_precision": Subquery(latest_event.values("safe_precision")[:1]),
        "last_event_type": Subquery(latest_event.values("safe_type")[:1]),
    }
    queryset = grades.with_latest_grades(Council.objects.select_related("region"), lines=COUNCIL_LINES)
    for line in COUNCIL_LINES:
        key = line.key
        in_line = grades.line_judgements(line).annotate(
            safe_area=safe_text("area"), safe_precision=safe_text("inspection__date_precision")
        )
        # The current grade in words, or why there is none: grades.py's status and grade (rule 5).
        annotations[f"{key}_at_latest"] = ChoiceWords(
            f"{key}_status",
            [
                (status, grade_words(f"{key}_grade") if status == grades.LatestStatus.GIVEN else label)
                for status, label in grades.LatestStatus.choices
            ],
            default="",
        )
        # The grade before the current one (none without a current grade), as grades.py finds it.
        annotations[f"{key}_previous_words"] = grade_words(f"{key}_previous_grade")
        # History: the most recent grade given in the line, whichever inspection gave it.
        annotations[f"{key}_last_words"] = grade_words(f"{key}_last_grade")
        annotations[f"{key}_last_safe_area"] = Subquery(in_line.values("safe_area")[:1])
        annotations[f"{key}_last_safe_precision"] = Subquery(in_line.values("safe_precision")[:1])
    return queryset.annotate(**annotations)


def _council_rows(queryset):
    per_line = []
    for line in COUNCIL_LINES:
        key = line.key
        per_line += [
            f"{key}_at_latest",
            f"{key}_last_words",
            f"{key}_last_safe_area",
            f"{key}_last_inspection_id",
            IsoDate(f"{key}_last_date"),
            f"{key}_last_safe_precision",
            f"{key}_previous_words",
            f"{key}_change",
        ]
    return queryset.values_list(
        *map(safe_text, ["name", "slug", "ons_code", "la_code", "ofsted_urn", "region__name", "la_type"]),
        "latest_inspection_id",
        "latest_inspection_safe_type",
        IsoDate("latest_inspection_date"),
        "latest_inspection_safe_precision",
        schedule.months_since_last_full_inspection_expression(datetime.date.today()),
        IsoDate("last_event_date"),
        "last_event_date_precision",
        "last_event_type",
        *per_line,
        # Added after the others, so that the columns before them keep their places.
        "is_current_words",
        "latest_inspection_safe_framework",
    )


def _line_columns(line):
    key, label = line.key, line.label.lower()
    areas = choices_allowed([(area, "") for area in line.areas])
    return (
        Column(
            key,
            f"Current grade for {label}: the one the latest full inspection gave, in Ofsted's words; “Not given” "
            "where that inspection's framework gives none in this area (from April 2026 Ofsted gives no overall "
            "grade), “Not recorded” where it does but the grade is not in our sources; empty for a council with "
            "no full inspection",
            allowed=f"{GRADE_ALLOWED}, Not given, Not recorded",
        ),
        Column(f"{key}_last_given", f"History: the most recent grade given for {label}, whichever inspection gave it (the current grade where there is one)", allowed=GRADE_ALLOWED),
        Column(f"{key}_last_given_area", "The judgement area as Ofsted named it then (frameworks renamed and regrouped areas)", allowed=areas),
        Column(f"{key}_last_given_inspection_id", "The inspection that gave it (its page is /inspections/<id>/)", "integer"),
        Column(f"{key}_last_given_date", "That inspection's start date (first of the month or year where only that is known)", "date (YYYY-MM-DD)"),
        precision_column(f"{key}_last_given_date_precision", "that date"),
        Column(f"{key}_previous", f"The council's grade for {label} before the current one; empty where there is no current grade", allowed=GRADE_ALLOWED),
        Column(f"{key}_change", "How the score moved from the previous grade to the current one (“first” where there was none); empty where there is no current grade", allowed=CHANGE_ALLOWED),
    )


COUNCIL_COLUMNS = (
    COUNCIL,
    COUNCIL_SLUG,
    ONS_CODE,
    LA_CODE,
    Column("ofsted_urn", "Ofsted's unique reference number for the council"),
    REGION,
    Column("la_type", "Type of local authority", allowed=choices_allowed(Council.LAType.choices)),
    Column("latest_inspection_id", "The council's latest published full (graded) inspection: it gives the current grades", "integer"),
    Column("latest_inspection_type", "Kind of that inspection", allowed=choices_allowed(EventType.choices)),
    Column("latest_inspection_date", "Its start date, or its publication date where the start is not recorded", "date (YYYY-MM-DD)"),
    precision_column("latest_inspection_date_precision", "latest_inspection_date"),
    Column("months_since_latest_inspection", "Whole months from the last day of that inspection (its end date, else latest_inspection_date) to the export date, as the council's page counts them; empty for a former council", "integer"),
    Column("last_event_date", "Start of the most recent published inspection or visit of any kind", "date (YYYY-MM-DD)"),
    precision_column("last_event_date_precision", "last_event_date"),
    Column("last_event_type", "Kind of that inspection or visit", allowed=choices_allowed(EventType.choices)),
    *(column for line in COUNCIL_LINES for column in _line_columns(line)),
    Column("is_current", "true for a council that exists today; false for one replaced by its successors (listed only with status=former or status=all)", "true or false"),
    Column("latest_inspection_framework", "The framework of the latest full inspection", allowed=choices_allowed(Framework.choices)),
)  # fmt: skip


# -- inspections ------------------------------------------------------------------------------------


def _inspections_queryset():
    overall = Judgement.objects.filter(inspection=OuterRef("pk"), area=Area.OVERALL_EFFECTIVENESS)
    return (
        Inspection.objects.published()
        .select_related("council__region")
        .annotate(overall_effectiveness=Subquery(overall.values("grade")[:1]))
        .order_by(F("start_date").asc(nulls_last=True), "pk")
    )


def _inspection_rows(queryset):
    return queryset.values_list(
        "pk",
        *map(safe_text, ["council__name", "council__slug", "council__ons_code", "council__la_code"]),
        safe_text("council__region__name"),
        *safe_texts("event_type", "framework"),
        *map(IsoDate, ["start_date", "end_date", "published_date"]),
        safe_text("lead_inspector"),
        grade_words("overall_effectiveness"),
        safe_text("report_url"),
        date_precision("start_date", "date_precision"),
        date_precision("end_date", "date_precision"),
        date_precision("published_date"),
    )


INSPECTION_COLUMNS = (
    Column("inspection_id", "This app's identifier of the inspection (its page is /inspections/<id>/)", "integer"),
    COUNCIL,
    COUNCIL_SLUG,
    ONS_CODE,
    LA_CODE,
    REGION,
    Column("event_type", "Kind of inspection or visit", allowed=choices_allowed(EventType.choices)),
    Column("framework", "Ofsted framework (empty where no source says)", allowed=choices_allowed(Framework.choices)),
    Column("start_date", "First day on site (see start_date_precision: a month or year is given as its first day)", "date (YYYY-MM-DD)"),
    Column("end_date", "Last day on site (see end_date_precision)", "date (YYYY-MM-DD)"),
    Column("published_date", "Date the report was published (see published_date_precision)", "date (YYYY-MM-DD)"),
    Column("lead_inspector", "Lead inspector named in the report"),
    Column("overall_effectiveness", "Overall effectiveness grade, in Ofsted's words", allowed=GRADE_ALLOWED),
    Column("report_url", "Link to the report on Ofsted's site"),
    precision_column("start_date_precision", "start_date"),
    precision_column("end_date_precision", "end_date"),
    Column(
        "published_date_precision",
        DATE_PRECISION_MEANING.format(date="published_date") + "; publication dates are recorded to the day",
        allowed=PRECISION_ALLOWED,
    ),
)


# -- judgements -------------------------------------------------------------------------------------


def _judgements_queryset():
    # The previous grade is the council's previous judgement in the same line (grades.py), whatever the
    # export's filters (a window function would only see the filtered rows). Its words and the change are
    # each made inside one subquery, read once a row.
    return (
        Judgement.objects.published()
        .annotate(grade_score=grades.grade_score_expression("grade"))
        .annotate(
            previous_grade=grades.previous_value(grade_words("grade")),
            previous_area=grades.previous_value(safe_text("area")),
            previous_inspection_id=grades.previous_value("inspection_id"),
            change=grades.change_since_previous(),
        )
        .order_by("inspection_start_date", "inspection_id", "pk")
    )


def _judgement_rows(queryset):
    return queryset.values_list(
        "inspection_id",
        *map(safe_text, ["inspection__council__name", "inspection__council__slug", "inspection__council__ons_code"]),
        safe_text("inspection__council__region__name"),
        *map(safe_text, ["inspection__event_type", "framework"]),
        IsoDate("inspection_start_date"),
        safe_text("area"),
        grade_words("grade"),
        "grade_score",
        "previous_grade",
        "change",
        safe_text("inspection__date_precision"),
        "previous_area",
        "previous_inspection_id",
    )


JUDGEMENT_COLUMNS = (
    Column("inspection_id", "The inspection the judgement belongs to", "integer"),
    COUNCIL,
    COUNCIL_SLUG,
    ONS_CODE,
    REGION,
    Column("event_type", "Kind of inspection", allowed=choices_allowed(EventType.choices)),
    Column("framework", "Ofsted framework", allowed=choices_allowed(Framework.choices)),
    Column("start_date", "First day of the inspection (first of the month or year where only that is known)", "date (YYYY-MM-DD)"),
    Column("area", "Judgement area", allowed=choices_allowed(Area.choices)),
    Column("grade", "The grade, in Ofsted's words", allowed=GRADE_ALLOWED),
    Column("grade_score", "Ofsted's 1-4 score (1 outstanding, 4 inadequate; adequate and requires improvement are 3)", "integer", "1, 2, 3, 4"),
    Column("previous_grade", "The council's previous grade in this area, or in the area it replaced when Ofsted changed its framework (previous_area says which)", allowed=GRADE_ALLOWED),
    Column("change", "How the score moved since previous_grade; “first” where there is none", allowed=CHANGE_ALLOWED),
    precision_column("start_date_precision", "start_date"),
    Column("previous_area", "The judgement area of previous_grade", allowed=choices_allowed(Area.choices)),
    Column("previous_inspection_id", "The inspection that gave previous_grade", "integer"),
)  # fmt: skip


# -- findings ---------------------------------------------------------------------------------------


def _findings_queryset():
    return Finding.objects.published().order_by("inspection_id", "kind", "order")


def _finding_rows(queryset):
    return queryset.values_list(
        "pk",
        "inspection_id",
        safe_text("inspection__council__name"),
        safe_text("inspection__council__slug"),
        IsoDate("inspection__start_date"),
        *safe_texts("inspection__event_type", "kind", "area", "text", "source__title"),
        date_precision("inspection__start_date", "inspection__date_precision"),
        Case(
            When(kind=Finding.Kind.PRESS_REPORT, then=Value("press")), default=Value("ofsted"), output_field=CharField()
        ),
        "page",
    )


FINDING_COLUMNS = (
    Column("finding_id", "This app's identifier of the finding", "integer"),
    Column("inspection_id", "The inspection it comes from", "integer"),
    COUNCIL,
    COUNCIL_SLUG,
    Column("start_date", "First day of the inspection (see start_date_precision)", "date (YYYY-MM-DD)"),
    Column("event_type", "Kind of inspection or visit", allowed=choices_allowed(EventType.choices)),
    Column("kind", "The report's heading it stands under", allowed=choices_allowed(Finding.Kind.choices)),
    Column("area", "Judgement area, where the report ties it to one", allowed=choices_allowed(Area.choices)),
    Column("text", "The statement, as the report words it"),
    Column("source", "Title of the document it comes from"),
    precision_column("start_date_precision", "start_date"),
    Column(
        "said_by",
        "Whose words: Ofsted's finding, or a statement a news article reported (the source column names the "
        "article). The file holds Ofsted's findings unless asked for said_by=press",
        allowed="ofsted, press",
    ),
    Column("page", "The page of the source document it was read from, where known", "integer"),
)


# -- key figures ------------------------------------------------------------------------------------


def _key_figures_queryset():
    return KeyFigure.objects.order_by("council__name", "metric", "date", "pk")


def _key_figure_rows(queryset):
    return queryset.values_list(
        *map(safe_text, ["council__name", "council__slug", "council__ons_code"]),
        safe_text("metric"),
        PlainNumber("value"),
        safe_text("unit"),
        IsoDate("date"),
        safe_text("source__title"),
        safe_text("missing_code"),
        Case(
            *[When(missing_code=code, then=Value(meaning)) for code, meaning in MissingCode.choices],
            default=Value(""),
            output_field=TextField(),
        ),
        date_precision("date", "date_precision"),
        also_reported_by_titles(),
    )


KEY_FIGURE_COLUMNS = (
    COUNCIL,
    COUNCIL_SLUG,
    ONS_CODE,
    Column("metric", "What is counted or measured", allowed=", ".join(METRICS)),
    Column("value", "The number; empty where the source gives none (status says why)", "number"),
    Column("unit", "Unit of value", allowed=choices_allowed(Unit.choices)),
    Column("date", "The date the figure is for (see date_precision)", "date (YYYY-MM-DD)"),
    Column("source", "Title of the document the value comes from (official statistics where any source is)"),
    Column(
        "status",
        "Empty where value is given; otherwise the source's official code for why there is no number: "
        + "; ".join(f"{code} = {meaning}" for code, meaning in MissingCode.choices),
        allowed=choices_allowed(MissingCode.choices),
    ),
    Column("status_meaning", "The meaning of status, in the statisticians' words"),
    precision_column("date_precision", "date"),
    Column(
        "also_reported_by",
        "Titles of the other documents that give the same figure, separated by “; ”; where their number "
        "differs, value is the official statistics' (between two sources of a kind, the one recorded first)",
    ),
)


DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset("councils", "Councils", "One row per council with its latest grade in each judgement area.",
                COUNCIL_COLUMNS, CouncilFilterSet, _councils_queryset, _council_rows),
        Dataset("inspections", "Inspections and visits", "One row per published inspection or visit.",
                INSPECTION_COLUMNS, InspectionFilterSet, _inspections_queryset, _inspection_rows),
        Dataset("judgements", "Judgements", "One row per grade given, with the change since the council's previous one.",
                JUDGEMENT_COLUMNS, JudgementFilterSet, _judgements_queryset, _judgement_rows),
        Dataset("findings", "Findings", "One row per statement from a published report.",
                FINDING_COLUMNS, FindingFilterSet, _findings_queryset, _finding_rows),
        Dataset("key_figures", "Key figures", "One row per dated figure about a council (workforce, children in care, ...).",
                KEY_FIGURE_COLUMNS, KeyFigureFilterSet, _key_figures_queryset, _key_figure_rows),
    )
}  # fmt: skip


def filtered_queryset(dataset, params):
    """The dataset's rows for these query parameters, or query_parameters.BadQuery with each problem in words."""
    return query_parameters.filtered(params, dataset.filterset(params), query_parameters.EXPORT)


def csv_lines(dataset, queryset, *, bom=False):
    """The dataset as CSV text, header first, yielded in chunks as the database produces the rows."""
    rows = dataset.rows(queryset)
    use_copy = connections[rows.db].vendor == "postgresql"
    buffer = io.StringIO()
    # COPY ends lines with \n; elsewhere the csv module writes RFC 4180's \r\n. Readers take either.
    writer = csv.writer(buffer, lineterminator="\n" if use_copy else "\r\n")
    writer.writerow(dataset.header)
    yield ("\ufeff" if bom else "") + buffer.getvalue()
    if use_copy:
        yield from copy_csv(rows)
        return
    rows = rows.iterator(chunk_size=CHUNK_ROWS)
    while True:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(itertools.islice(rows, CHUNK_ROWS))
        if not buffer.tell():
            return
        yield buffer.getvalue()


def filename(dataset, today=None):
    return f"{dataset.name}-{(today or datetime.date.today()).isoformat()}.csv"

