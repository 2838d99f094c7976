"""Import DfE's indicator files as key figures per council per year.

All three files share DfE's layout: `time_period`, `geographic_level` (National, Regional, Local
authority), `old_la_code` (DfE code), `new_la_code` (ONS code), `la_name`, then measures. Which file it
is shows from its measure columns:

* children's social work workforce (at 30 September): turnover, agency and vacancy rates (FTE),
  average caseload (FTE) and headcount;
* children looked after on 31 March: number and rate per 10,000 (the file's other rows, children
  starting and ceasing to be looked after, are not kept);
* children on child protection plans at 31 March.

Suppressed or missing values (the official codes `c`, `k`, `low`, `u`, `x`, `z`) are stored as absent with
their code, never as zero. A figure another source already gives (the same council, measure and date) is
merged into that one rather than added: both sources are kept and the official statistic's value stands.
Councils are found by DfE code, then ONS code (current or former), then name; rows for two councils
together ("314 / 318", Kingston and Richmond's shared service) and for councils the database
does not know (Dorset's former county, 835) are skipped and counted.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from councils.lookup import CouncilIndex
from importing.files import ImportFileError, ImportSummary, Progress, one_line, read_csv_table

from .. import national_cache
from ..dates import DatePrecision
from ..metrics import METRICS, metric_unit
from ..models import KeyFigure, MissingCode, Origin, Source
from .provenance import edited_by_hand, source_for_file

CHANGE_REASON = "import_indicators"
BASE_COLUMNS = ("time_period", "geographic_level", "old_la_code", "new_la_code", "la_name")
FOUR_PLACES = Decimal("0.0001")
MAX_VALUE = Decimal("9999999999")

# Only the official codes: the database refuses any other (see MissingCode).
MISSING_CODES = set(MissingCode.values)


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


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    detect: tuple  # columns that identify the file
    measures: tuple  # (column, metric); a column missing from the file is left out
    month: int
    day: int
    when: str
    row_filter: tuple | None = None  # (column, value kept), compared case-insensitively


LAYOUTS = (
    Layout(
        key="dfe-social-work-workforce",
        title="Children's social work workforce",
        detect=("turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte"),
        measures=(
            ("turnover_rate_fte", "social_worker_turnover_rate"),
            ("agency_rate_fte", "agency_worker_rate"),
            ("vacancy_rate_fte", "vacancy_rate"),
            ("caseload_fte", "average_caseload"),
            ("inpost_headcount", "social_worker_headcount"),
        ),
        month=9,
        day=30,
        when="at 30 September",
    ),
    Layout(
        key="dfe-children-looked-after",
        title="Children looked after",
        detect=("population_type", "children_count", "rate_per_10000"),
        measures=(("children_count", "children_looked_after"), ("rate_per_10000", "children_looked_after_rate")),
        month=3,
        day=31,
        when="on 31 March",
        row_filter=("population_type", "children looked after on 31 march each year"),
    ),
    Layout(
        key="dfe-child-protection-plans",
        title="Children on child protection plans",
        detect=("CPP_At31",),
        measures=(("CPP_At31", "child_protection_plans"),),
        month=3,
        day=31,
        when="at 31 March",
    ),
)


def detect_layout(header, path):
    for layout in LAYOUTS:
        if all(column in header for column in layout.detect):
            return layout
    raise ImportFileError(
        "wrong columns: not DfE's workforce, children looked after or child protection plans file "
        "(no turnover_rate_fte, children_count or CPP_At31)",
        path,
    )


def parse_year(text):
    text = str(text or "").strip()
    if re.fullmatch(r"(19|20)\d\d", text):
        return int(text)
    if re.fullmatch(r"(19|20)\d\d\d\d", text):  # a financial or academic year, 202324: ends in 2024
        return int(text[:4]) + 1
    return None


def _text(value):
    return " ".join(str(value or "").split())


def import_indicators_csv(path, *, progress_stream=None, show_progress=None):
    """Create or update key figures from one DfE indicator file."""
    table = read_csv_table(path, BASE_COLUMNS, "a DfE indicator file")
    layout = detect_layout(table.header, path)
    measures = [(column, metric) for column, metric in layout.measures if column in table.header]
    unknown = [metric for _column, metric in measures if metric not in METRICS]
    if unknown:  # a programming error, but say it in one line
        raise ImportFileError(f"metrics not in the registry: {', '.join(unknown)}", path)
    summary = ImportSummary(path)
    progress = Progress(len(table.rows), f"Figures from {summary.name}", progress_stream, show_progress)
    years = sorted({year for _line, row in table.rows if (year := parse_year(row.get("time_period")))})
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    stem = str(path).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    with transaction.atomic():
        # The bulk writes below send no signals; the councils they write to are known only as the file is
        # read, after this lock (national_cache.py), and a file of DfE's holds every council: all of them.
        national_cache.invalidate()
        councils = CouncilIndex()
        if not len(councils):
            raise ImportFileError("no councils in the database: run import_councils first", path)
        source = source_for_file(
            path,
            summary,
            key=slugify(f"dfe-{stem}".replace("_", "-"))[:120],
            kind=Source.Kind.DATASET,
            title=f"{layout.title} ({layout.when}), by local authority, {span}".strip(", "),
            publisher="Department for Education",
            notes=(
                "DfE official statistics, Open Government Licence v3.0; copy from the public repository "
                "dfe-analytical-services/CSC_outcomes_and_enablers."
            ),
        )
        _Writer(source, summary, layout, measures, councils, progress).run(table.rows)
    progress.done()
    return summary


class _Writer:
    def __init__(self, source, summary, layout, measures, councils, progress):
        self.source = source
        self.summary = summary
        self.layout = layout
        self.measures = measures
        self.councils = councils
        self.progress = progress
        self.existing = {
            (figure.council_id, figure.metric, figure.date): figure
            for figure in KeyFigure.objects.filter(source=source)
        }
        # The same figures as other sources give them: the file's are merged into those, not added.
        self.elsewhere = {
            (figure.council_id, figure.metric, figure.date): figure
            for figure in KeyFigure.objects.filter(metric__in=[metric for _column, metric in measures])
            .exclude(source=source)
            .select_related("source", "council")
        }
        self.hand_edited = edited_by_hand(
            KeyFigure, CHANGE_REASON, [figure.pk for figure in self.existing.values() if figure.origin == Origin.OFSTED_OUTCOMES]
        )

    def run(self, rows):
        to_create, to_update, seen = [], [], set()
        for line, row in rows:
            self.progress.advance()
            where = f"line {line}"
            level = _text(row.get("geographic_level")).lower()
            if level not in ("local authority", "la"):
                self.summary.skip("national or regional row (not a council)")
                continue
            if self.layout.row_filter:
                column, wanted = self.layout.row_filter
                if _text(row.get(column)).lower() != wanted:
                    self.summary.skip(f"not kept: {_text(row.get(column)) or 'blank ' + column}")
                    continue
            year = parse_year(row.get("time_period"))
            if year is None:
                self.summary.skip("time period not a year", f"{where}: {_text(row.get('time_period'))}")
                continue
            la_code, ons_code, name = (_text(row.get(c)) for c in ("old_la_code", "new_la_code", "la_name"))
            if "/" in la_code or "/" in ons_code:
                self.summary.skip("figures for several councils together", f"{where}: {name}")
                continue
            council, problem = self.councils.find(la_code=la_code, ons_code=ons_code, name=name)
            if council is None:
                self.summary.skip(problem[0], f"{where}: {problem[1]}")
                continue
            date = datetime.date(year, self.layout.month, self.layout.day)
            for column, metric in self.measures:
                raw = _text(row.get(column))
                value, code = parse_decimal(raw)
                if value is None and code is None:
                    self.summary.skip(
                        "blank value" if not raw else "value not a number or DfE code",
                        None if not raw else f"{where}: {column}={raw}",
                    )
                    continue
                if value is not None:
                    value = value.quantize(FOUR_PLACES)
                    if abs(value) > MAX_VALUE:
                        self.summary.skip("value too large", f"{where}: {column}={raw}")
                        continue
                key = (council.pk, metric, date)
                if key in seen:
                    self.summary.skip("council and year given twice (first kept)", f"{where}: {council.name} {year}")
                    continue
                seen.add(key)
                self.apply(key, council, metric, date, value, code, to_create, to_update)
        if to_create:
            bulk_create_with_history(to_create, KeyFigure, default_change_reason=CHANGE_REASON)
            self.summary.count_created("key figures", len(to_create))
        if to_update:
            bulk_update_with_history(
                to_update, KeyFigure, ["value", "missing_code", "unit"], default_change_reason=CHANGE_REASON
            )
            self.summary.count_updated("key figures", len(to_update))

    def apply(self, key, council, metric, date, value, code, to_create, to_update):
        figure = self.existing.get(key)
        unit = metric_unit(metric)
        read = KeyFigure(
            council=council,
            metric=metric,
            value=value,
            missing_code=code,
            unit=unit,
            date=date,
            date_precision=DatePrecision.DAY,
            source=self.source,
            origin=Origin.OFSTED_OUTCOMES,
        )
        if figure is None and key in self.elsewhere:
            self.merge(self.elsewhere[key], read)
            return
        if figure is None:
            to_create.append(read)
            return
        if figure.same_value(read) and figure.unit == unit:
            self.summary.count_unchanged("key figures")
            return
        if figure.origin != Origin.OFSTED_OUTCOMES or figure.pk in self.hand_edited:
            self.summary.conflict(
                one_line(
                    f"{council.name}, {METRICS[metric][0]} {date:%-d %b %Y}: {figure.shown_value} in the database "
                    f"(entered by hand), {read.shown_value} in the file; kept the database's."
                )
            )
            self.summary.skip("figure entered by hand: left as it is")
            return
        figure.value = value
        figure.missing_code = code
        figure.unit = unit
        to_update.append(figure)

    def merge(self, figure, read):
        """The file gives a figure another source gave first: one figure, both sources (see KeyFigure.merge)."""
        other_source, other_value, agree = figure.source, figure.shown_value, figure.same_value(read)
        figure._change_reason = CHANGE_REASON
        if not figure.merge(read):
            self.summary.count_unchanged("key figures")
            return
        self.summary.count_updated("key figures also given by another source (merged)")
        if not agree:
            self.summary.conflict(
                f"{figure.council.name}, {METRICS[read.metric][0]} {read.date:%-d %b %Y}: {read.shown_value} in the "
                f"file, {other_value} from {other_source}; kept {figure.shown_value} from {figure.source}."
            )
