"""Chart builders: plain functions from model instances or query rows to a Chart.

A Chart carries a plotly figure as a plain dict in plotly's JSON schema (data + layout, drawn by
static/js/charts.js with plotly.js), plus what every chart on the site shows beside it: a title, a
one-sentence summary, and its data as a table (the page's content without JavaScript). Nothing here
touches a request or the database beyond iterating what it is given, so the builders are tested on
their own. Figures are dicts rather than plotly.graph_objects, which validate slowly; the tests
check that each one is a valid go.Figure.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from inspections.frameworks import (
    GRADE_SCORES,
    Area,
    EventType,
    Framework,
    Grade,
    area_wording,
    framework_words,
    grade_label,
)
from inspections.metrics import METRICS, Unit
from inspections.dates import format_date, iso
from inspections.grades import LINES, GradeChange, LatestStatus, grade_change

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#cecece"

# Each grade has a colour, and a fill pattern so that bars differ without colour too. Legends,
# hover labels and tables always give the grade in words. All colours reach 3:1 against white.
GRADE_ORDER = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE, Grade.INADEQUATE]
GRADE_COLOURS = {
    Grade.OUTSTANDING: "#0f7a52",
    Grade.GOOD: "#1d70b8",
    Grade.REQUIRES_IMPROVEMENT: "#806f00",
    Grade.ADEQUATE: "#7f65b7",
    Grade.INADEQUATE: "#ca3535",
}
GRADE_PATTERNS = {
    Grade.OUTSTANDING: "",
    Grade.GOOD: "/",
    Grade.REQUIRES_IMPROVEMENT: ".",
    Grade.ADEQUATE: "-",
    Grade.INADEQUATE: "x",
}
NOT_GRADED = "not_graded"
NOT_GRADED_LABEL = "No grade recorded"
NOT_GRADED_COLOUR = "#6f7070"
NOT_GRADED_PATTERN = "|"
# A line the latest full inspection's framework no longer judges (overall effectiveness from April 2026).
NOT_GIVEN = "not_given"
NOT_GIVEN_LABEL = "Not given (2026 framework)"
NOT_GIVEN_COLOUR = "#505a5f"
NOT_GIVEN_PATTERN = "\\"

# Lines for judgement areas: distinct colours, marker symbols and dashes, none of them a grade colour.
SERIES_STYLES = [
    ("#0b0c0c", "circle", "solid"),
    ("#ca357c", "square", "dash"),
    ("#158187", "diamond", "dot"),
    ("#54319f", "triangle-up", "dashdot"),
    ("#99704a", "triangle-down", "longdash"),
    ("#0f385c", "star", "solid"),
    ("#b7592a", "hexagon", "dash"),
    ("#484949", "cross", "dot"),
    ("#651b3e", "pentagon", "dashdot"),
    ("#0b4144", "hourglass", "longdash"),
    ("#3f2577", "bowtie", "solid"),
    ("#7a3c1c", "x", "dash"),
    ("#5694ca", "circle-open", "dot"),
]
EVENT_TYPE_COLOURS = {
    EventType.UNANNOUNCED_INSPECTION: "#99704a",
    EventType.FULL_INSPECTION: "#0b0c0c",
    EventType.STANDARD_INSPECTION: "#1d70b8",
    EventType.SHORT_INSPECTION: "#0f7a52",
    EventType.FOCUSED_VISIT: "#ca357c",
    EventType.MONITORING_VISIT: "#ca3535",
    EventType.JTAI: "#54319f",
    EventType.LOOKED_AFTER_INSPECTION: "#6b5300",
    EventType.LSCB_REVIEW: "#a34700",
}
EVENT_TYPE_PATTERNS = {
    EventType.UNANNOUNCED_INSPECTION: "+",
    EventType.FULL_INSPECTION: "",
    EventType.STANDARD_INSPECTION: "/",
    EventType.SHORT_INSPECTION: "",
    EventType.FOCUSED_VISIT: ".",
    EventType.MONITORING_VISIT: "x",
    EventType.JTAI: "\\",
    EventType.LOOKED_AFTER_INSPECTION: "-",
    EventType.LSCB_REVIEW: "|",
}
# Labels for the framework marks on the grade chart: short, to fit a phone's width.
FRAMEWORK_MARK = {
    Framework.UNANNOUNCED_2009: "2009-12",
    Framework.SAFEGUARDING_LAC_2009: "2009-12",
    Framework.LOOKED_AFTER_CHILDREN: "LAC",
    Framework.SIF: "SIF",
    Framework.ILACS: "ILACS",
    Framework.JTAI: "JTAI",
}
SCORE_TICKS = [1, 2, 3, 4]
SCORE_TICK_TEXT = ["1 Outstanding", "2 Good", "3 Requires<br>improvement<br>or adequate", "4 Inadequate"]
# The council page's two time charts share their left and right margins, so their time axes line up.
TIME_CHART_MARGIN = {"l": 120, "r": 20}
# Lines that share a grade would hide each other: each area's line sits a little above or below the
# grade it shows (hover text and the table give the grade itself).
OFFSET_STEP = 0.045

CONTEXT_METRICS = [
    "social_worker_turnover_rate",
    "agency_worker_rate",
    "average_caseload",
    "children_looked_after_rate",
]
UNIT_SUFFIX = {Unit.PERCENT: "%", Unit.RATE_PER_10000: " per 10,000", Unit.CASES_PER_WORKER: " cases", Unit.COUNT: ""}


@dataclass
class GradeCell:
    """A table cell shown as a grade tag (the grade in words)."""

    grade: str
    note: str = ""  # what was judged, where it is not the column's own area (a judgement of an earlier framework)

    @property
    def label(self):
        return grade_label(self.grade)

    def __str__(self):
        return self.label


@dataclass
class LinkCell:
    text: str
    url: str
    note: str = ""  # a second line under the link, in secondary text

    def __str__(self):
        return self.text


@dataclass
class Table:
    caption: str
    head: list
    rows: list = field(default_factory=list)
    numeric: set = field(default_factory=set)  # indexes of columns holding numbers (right-aligned)
    sources: list = field(default_factory=list)  # titles of the sources of the figures, listed below


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    figure: dict
    table: Table
    height: int = 420

    @property
    def data_id(self):
        return f"{self.id}-data"

    @property
    def is_empty(self):
        return not self.table.rows


def base_layout(title, height=420, **extra):
    # The title is the section heading on the page, not repeated inside the plot; `title` is kept in
    # layout.meta for anyone exporting the figure.
    layout = {
        "meta": {"title": title},
        "font": {"family": FONT, "color": TEXT_COLOUR, "size": 14},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    }
    layout.update(extra)
    return layout


def count_axis(top, **extra):
    """An axis for counts: whole-number ticks from zero (no "0.2 inspections")."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        step = candidate
        if top / candidate <= 8:
            break
    return {"gridcolor": GRID_COLOUR, "rangemode": "tozero", "tick0": 0, "dtick": step, **extra}


def number(value):
    """A JSON-friendly number from a Decimal or float (None stays None)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    return round(value, 2)


def padded_range(dates, months=6):
    """[start, end] ISO dates around the given dates, a few months' margin each side; None if no dates."""
    dates = [d for d in dates if d]
    if not dates:
        return None
    pad = datetime.timedelta(days=int(months * 30.5))
    return [iso(min(dates) - pad), iso(max(dates) + pad)]


def time_axis_range(inspections, key_figures=()):
    """The one time range the council page's grade and indicator charts share."""
    return padded_range([i.placed_on for i in inspections] + [k.date for k in key_figures])


# -- Council page ------------------------------------------------------------------------------------


def grade_history_chart(inspections, x_range=None, chart_id="grade-history"):
    """One line per judgement line (grades.LINES) across a council's graded inspections, on Ofsted's 1-4 scale.

    inspections: the council's published inspections, oldest first, with judgements prefetched (visits
    are skipped). A line follows an area across frameworks as grades.py compares it (e.g. "children in
    care" through SIF's "looked after and achieving permanence"); a gap is an inspection that judged no
    area of the line; framework changes are marked by a vertical line. "Adequate" (2009-12) and
    "requires improvement" share score 3 but differ in marker (hollow for adequate), hover text and table.
    """
    graded = [i for i in inspections if i.start_date and i.is_graded and list(i.judgements.all())]

    def judgement_in(inspection, line):
        found = [j for j in inspection.judgements.all() if j.area in line.areas]
        return min(found, key=lambda j: line.areas.index(j.area), default=None)

    lines = [
        line
        for line in LINES
        if any(j.area in line.home for inspection in graded for j in inspection.judgements.all())
    ]
    traces = []
    for index, line in enumerate(lines):
        colour, symbol, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        offset = round((index - (len(lines) - 1) / 2) * OFFSET_STEP, 3)
        xs, ys, texts, symbols = [], [], [], []
        for inspection in graded:
            judgement = judgement_in(inspection, line)
            grade = judgement.grade if judgement else None
            score = GRADE_SCORES.get(grade)
            xs.append(iso(inspection.start_date))
            ys.append(score + offset if score else None)
            framework = framework_words(inspection.framework, inspection.start_date)
            texts.append(
                f"{area_wording(inspection.framework, judgement.area)}<br>{grade_label(grade)} ({framework}, "
                f"{format_date(inspection.start_date, inspection.date_precision)})"
                if judgement
                else ""
            )
            symbols.append(symbol.replace("-open", "") + "-open" if grade == Grade.ADEQUATE else symbol)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": line.label,
                "x": xs,
                "y": ys,
                "text": texts,
                "hovertemplate": "%{text}<extra></extra>",
                "connectgaps": False,
                "line": {"color": colour, "dash": dash, "width": 2},
                "marker": {"color": colour, "symbol": symbols, "size": 10, "line": {"color": colour, "width": 2}},
            }
        )

    shapes, annotations = framework_markers(graded)
    legend_rows = (len(lines) + 1) // 2
    height = 400 + 22 * legend_rows
    layout = base_layout(
        "Grades at each inspection",
        height=height,
        xaxis={"type": "date", "gridcolor": GRID_COLOUR},
        yaxis={
            "range": [4.45, 0.55],
            "tickvals": SCORE_TICKS,
            "ticktext": SCORE_TICK_TEXT,
            "gridcolor": GRID_COLOUR,
            "zeroline": False,
        },
        shapes=shapes,
        annotations=annotations,
    )
    layout["margin"] = {**TIME_CHART_MARGIN, "t": 30, "b": 40}
    # Two entries a row: three cut the longest ("Local Safeguarding Children Board") on a laptop's screen.
    layout["legend"] = {
        "orientation": "h",
        "x": 0,
        "y": -0.1,
        "yanchor": "top",
        "entrywidth": 0.5,
        "entrywidthmode": "fraction",
    }
    if x_range:
        layout["xaxis"]["range"] = x_range

    table = Table(
        caption="Grades at each graded inspection",
        # The framework goes under the inspection rather than in a column of its own, so that all the
        # areas fit a desktop screen beside it.
        head=["Inspection", *(line.label for line in lines)],
    )
    for inspection in graded:
        cells = []
        for line in lines:
            judgement = judgement_in(inspection, line)
            if judgement is None:
                cells.append("Not judged")
                continue
            # A judgement in a line that is not the line's own area says what it judged: 2009-12's looked
            # after children services under children in care; ILACS's joint judgement under both columns.
            note = "" if judgement.area == line.areas[0] else f"As {Area(judgement.area).label.lower()}"
            if note and sum(judgement.area in other.areas for other in lines) > 1:
                note += " (one judgement)"
            cells.append(GradeCell(judgement.grade, note))
        table.rows.append(
            [
                LinkCell(
                    f"{inspection.get_event_type_display()}, {inspection.dates_display}",
                    inspection.get_absolute_url(),
                    note=framework_words(inspection.framework, inspection.start_date),
                ),
                *cells,
            ]
        )

    if graded:
        first, last = graded[0], graded[-1]
        summary = (
            f"Ofsted's grades for each judgement area at the council's {len(graded)} graded "
            f"inspection{'s' if len(graded) != 1 else ''} from {first.start_date.year} to {last.start_date.year}, "
            "on Ofsted's 1 (outstanding) to 4 (inadequate) scale; each line follows an area through the "
            "frameworks' changes of wording (hover for the area as judged); gaps are areas not judged, dashed lines "
            "mark changes of inspection framework, lines sharing a grade are drawn just apart, and hollow "
            "markers are \u201cadequate\u201d (2009-12), not \u201crequires improvement\u201d."
        )
    else:
        summary = "The council has no published graded inspection yet, so there are no grades to chart."
    return Chart(
        chart_id, "How the council's grades changed", summary, {"data": traces, "layout": layout}, table, height
    )


def framework_markers(graded):
    """Vertical lines and labels where the framework of consecutive graded inspections changes."""
    shapes, annotations = [], []
    previous = None
    for inspection in graded:
        if inspection.framework and inspection.framework != previous:
            if previous is not None:
                shapes.append(
                    {
                        "type": "line",
                        "xref": "x",
                        "yref": "paper",
                        "x0": iso(inspection.start_date),
                        "x1": iso(inspection.start_date),
                        "y0": 0,
                        "y1": 1,
                        "line": {"color": "#505a5f", "width": 1, "dash": "dash"},
                    }
                )
            annotations.append(
                {
                    "x": iso(inspection.start_date),
                    "xref": "x",
                    "y": 1.0,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "xanchor": "left",
                    "xshift": 3,
                    "text": FRAMEWORK_MARK.get(inspection.framework, inspection.framework),
                    "showarrow": False,
                    "font": {"size": 12, "color": "#505a5f"},
                }
            )
            previous = inspection.framework
    return shapes, annotations


def pick_key_figures(key_figures):
    """{metric: [figure, ...]} of the context metrics, oldest first.

    A council has one figure per metric and date, however many sources give it (see KeyFigure), so
    each date is one point.
    """
    series = defaultdict(list)
    for figure in sorted(key_figures, key=lambda figure: figure.date):
        if figure.metric in CONTEXT_METRICS:
            series[figure.metric].append(figure)
    return dict(series)


def context_indicators_chart(key_figures, inspections, x_range=None, chart_id="context-indicators"):
    """Social worker turnover, agency rate, caseload and looked-after rate over time, one panel each.

    Shares the time axis (x_range) of the grade chart; vertical lines mark inspections (solid) and
    visits (dotted). A value a source withholds is a gap, never zero.
    """
    series = pick_key_figures(key_figures)
    metrics = [m for m in CONTEXT_METRICS if m in series]
    rows = max(len(metrics), 1)
    gap = 0.07
    panel = (1 - gap * (rows - 1)) / rows
    traces, annotations = [], []
    layout_axes = {}
    for index, metric in enumerate(metrics):
        label, unit = METRICS[metric]
        n = index + 1
        suffix = "" if n == 1 else str(n)
        colour, symbol, dash = SERIES_STYLES[index]
        figures = series[metric]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "x": [iso(f.date) for f in figures],
                "y": [number(f.value) for f in figures],
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "connectgaps": False,
                "line": {"color": colour, "width": 2},
                "marker": {"color": colour, "symbol": symbol, "size": 8},
                "hovertemplate": f"{label}<br>%{{x|%B %Y}}: %{{y}}{UNIT_SUFFIX.get(unit, '')}<extra></extra>",
                "showlegend": False,
            }
        )
        top = 1 - index * (panel + gap)
        layout_axes[f"yaxis{suffix}"] = {
            "domain": [max(top - panel, 0), top],
            "anchor": f"x{suffix}",
            "gridcolor": GRID_COLOUR,
            "rangemode": "tozero",
            "ticksuffix": "%" if unit == Unit.PERCENT else "",
        }
        layout_axes[f"xaxis{suffix}"] = {
            "type": "date",
            "anchor": f"y{suffix}",
            "gridcolor": GRID_COLOUR,
            "showticklabels": index == len(metrics) - 1,
            **({"matches": "x"} if n > 1 else {}),
            **({"range": x_range} if x_range else {}),
        }
        annotations.append(
            {
                # Bold through the font, not <b>: plotly would write <b> as a style attribute, which the
                # Content Security Policy refuses.
                "text": f"{label} ({Unit(unit).label})",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": top,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13, "weight": "bold"},
            }
        )

    shapes = []
    legend_shown = set()
    for inspection in inspections:
        when = inspection.placed_on
        if not when:
            continue
        kind = "Full inspection" if inspection.is_graded else "Visit or other inspection"
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": iso(when),
                "x1": iso(when),
                "y0": 0,
                "y1": 1,
                "layer": "below",
                "line": {
                    "color": "#505a5f" if inspection.is_graded else "#858686",
                    "width": 1.5 if inspection.is_graded else 1,
                    "dash": "solid" if inspection.is_graded else "dot",
                },
                "name": kind,
                "legendgroup": kind,
                "showlegend": kind not in legend_shown,
            }
        )
        legend_shown.add(kind)

    height = 160 + 170 * rows
    layout = base_layout("Context indicators", height=height, shapes=shapes, annotations=annotations, **layout_axes)
    layout["margin"] = {**TIME_CHART_MARGIN, "t": 50, "b": 40}
    layout["legend"] = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"}
    if not metrics:
        layout["xaxis"] = {"type": "date", **({"range": x_range} if x_range else {})}
        layout["yaxis"] = {"visible": False}

    table = Table(
        caption="Context indicators by year of the figure's date",
        head=["Year", *(f"{METRICS[m][0]} ({Unit(METRICS[m][1]).label})" for m in metrics)],
        numeric=set(range(1, len(metrics) + 1)),
    )
    by_year = defaultdict(dict)
    for metric in metrics:
        for figure in series[metric]:
            by_year[figure.date.year][metric] = figure  # the latest figure of the year
    for year in sorted(by_year):
        cells = [str(year)]
        for metric in metrics:
            figure = by_year[year].get(metric)
            if figure is None:
                cells.append("")
            elif figure.value is None:
                cells.append(f"Withheld ({figure.missing_code})")
            else:
                cells.append(f"{number(figure.value):g}")
        table.rows.append(cells)
    table.sources = sorted({f.source.title for m in metrics for f in series[m]})

    if metrics:
        years = [f.date.year for m in metrics for f in series[m]]
        names = ", ".join(METRICS[m][0].lower() for m in metrics)
        summary = (
            f"The council's {names} from {min(years)} to {max(years)}, on the same time axis as the grades, "
            "with a solid line at each full inspection and a dotted line at each visit."
        )
    else:
        summary = "No context indicators are recorded for this council."
    return Chart(chart_id, "Context indicators over time", summary, {"data": traces, "layout": layout}, table, height)


# -- National overview -------------------------------------------------------------------------------


NO_GRADE_STYLES = {
    NOT_GRADED: (NOT_GRADED_LABEL, NOT_GRADED_COLOUR, NOT_GRADED_PATTERN),
    NOT_GIVEN: (NOT_GIVEN_LABEL, NOT_GIVEN_COLOUR, NOT_GIVEN_PATTERN),
}


def grade_key_label(key):
    return NO_GRADE_STYLES[key][0] if key in NO_GRADE_STYLES else Grade(key).label


def grade_bar_trace(grade, x, y, orientation="v", text=None):
    value_axis, category_axis = ("x", "y") if orientation == "h" else ("y", "x")
    if grade in NO_GRADE_STYLES:
        label, colour, pattern = NO_GRADE_STYLES[grade]
    else:
        label, colour, pattern = Grade(grade).label, GRADE_COLOURS[grade], GRADE_PATTERNS[grade]
    trace = {
        "type": "bar",
        "name": label,
        "x": x,
        "y": y,
        "orientation": orientation,
        "marker": {
            "color": colour,
            "line": {"color": colour, "width": 1},
            "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff", "solidity": 0.25},
        },
        "hovertemplate": f"{label}: %{{{value_axis}}}<extra>%{{{category_axis}}}</extra>",
    }
    if text is not None:
        trace["text"] = text
        trace["textposition"] = "outside" if orientation == "v" else "inside"
        trace["cliponaxis"] = False
    return trace


def grades_present(counts):
    """Grade keys in display order, keeping only those with a count (then not given, then no grade)."""
    keys = [g for g in GRADE_ORDER if counts.get(g)]
    keys += [key for key in (NOT_GIVEN, NOT_GRADED) if counts.get(key)]
    return keys


def current_grade_key(entry):
    """A council's current grade in a line (grades.LatestGrade or LatestGradeFigures) as a chart key."""
    if entry.grade:
        return entry.grade
    return NOT_GIVEN if entry.status == LatestStatus.NOT_GIVEN else NOT_GRADED


def current_grades_chart(latest_by_council, lines, chart_id="latest-grades"):
    """Current councils by the grade their latest full inspection gave, in each of `lines`.

    latest_by_council: for each current council, its [LatestGrade] (or LatestGradeFigures) per line.
    A line the latest inspection did not judge counts as not given, never as an earlier grade.
    """
    latest_by_council = [latest for latest in latest_by_council if any(entry.status for entry in latest)]
    counts = {line.key: Counter() for line in lines}
    for latest in latest_by_council:
        for entry in latest:
            if entry.line.key in counts:
                counts[entry.line.key][current_grade_key(entry)] += 1
    all_counts = sum(counts.values(), Counter())
    keys = grades_present(all_counts)
    labels = [line.label for line in lines]
    traces = [grade_bar_trace(key, [counts[line.key][key] for line in lines], labels, orientation="h") for key in keys]
    total = len(latest_by_council)
    height = 160 + 46 * max(len(lines), 1)
    layout = base_layout(
        "Current grades in each judgement area",
        height=height,
        barmode="stack",
        xaxis=count_axis(max(total, 1), title={"text": "Councils"}),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    layout["margin"] = {"l": 20, "r": 20, "t": 40, "b": 60}
    layout["legend"]["traceorder"] = "normal"
    head = ["Judgement area", *(grade_key_label(key) for key in keys), "Councils"]
    table = Table(caption="Current grades in each judgement area", head=head, numeric=set(range(1, len(head))))
    for line in lines if latest_by_council else ():
        table.rows.append([line.label, *(counts[line.key][key] for key in keys), sum(counts[line.key].values())])
    not_given = counts[lines[0].key][NOT_GIVEN] if lines else 0
    if total:
        summary = (
            f"How many of the {total} current councils with a full inspection had each grade in each judgement area, "
            "at their latest full inspection."
        )
        if not_given:
            summary += (
                f" {not_given} of them were last inspected under the 2026 framework, which gives no "
                f"{lines[0].label.lower()} grade: they count as not given, not by an earlier grade."
            )
    else:
        summary = "No councils are recorded yet."
    return Chart(chart_id, "Current grades by judgement area", summary, {"data": traces, "layout": layout}, table, height)


def region_grades_chart(rows, line, chart_id="region-grades"):
    """Current councils' grades in `line`, stacked by region.

    rows: (region name or None, the council's LatestGrade in `line`) per current council.
    """
    by_region = defaultdict(Counter)
    for region, entry in rows:
        by_region[region or "Region not recorded"][current_grade_key(entry)] += 1
    regions = sorted(by_region)
    all_counts = Counter()
    for counts in by_region.values():
        all_counts.update(counts)
    keys = grades_present(all_counts)
    traces = [grade_bar_trace(key, [by_region[r][key] for r in regions], regions, orientation="h") for key in keys]
    height = 140 + 34 * max(len(regions), 1)
    title = f"{line.label}: current grades by region"
    layout = base_layout(
        title,
        height=height,
        barmode="stack",
        xaxis=count_axis(max((sum(c.values()) for c in by_region.values()), default=1), title={"text": "Councils"}),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    layout["margin"] = {"l": 20, "r": 20, "t": 40, "b": 60}
    layout["legend"]["traceorder"] = "normal"
    head = ["Region", *(grade_key_label(k) for k in keys), "Councils"]
    table = Table(caption=title, head=head, numeric=set(range(1, len(head))))
    for region in regions:
        counts = by_region[region]
        table.rows.append([region, *(counts[k] for k in keys), sum(counts.values())])
    summary = (
        f"For each of {len(regions)} regions, how many current councils had each {line.label.lower()} grade at "
        "their latest full inspection."
        if regions
        else "No councils are recorded yet."
    )
    return Chart(chart_id, "Grades by region", summary, {"data": traces, "layout": layout}, table, height)


def grade_transitions_chart(pairs, chart_id="grade-transitions"):
    """How overall grades moved from one full inspection of a council to its next.

    pairs: (previous overall grade, next overall grade) for each pair of consecutive graded
    inspections of the same council.
    """
    counts = Counter((before, after) for before, after in pairs if before and after)
    befores = [g for g in GRADE_ORDER if any(b == g for b, _ in counts)]
    afters = [g for g in GRADE_ORDER if any(a == g for _, a in counts)]
    traces = []
    for after in afters:
        trace = grade_bar_trace(after, [Grade(b).label for b in befores], [counts[(b, after)] for b in befores])
        trace["hovertemplate"] = f"From %{{x}} to {Grade(after).label}: %{{y}}<extra></extra>"
        traces.append(trace)
    layout = base_layout(
        "Overall grade at the next inspection, by grade before",
        height=420,
        barmode="stack",
        xaxis={"title": {"text": "Overall grade at the earlier inspection"}},
        yaxis=count_axis(
            max((sum(counts[(b, a)] for a in afters) for b in befores), default=1),
            title={"text": "Pairs of consecutive inspections"},
        ),
    )
    layout["legend"]["title"] = {"text": "Grade at the next inspection:"}
    table = Table(
        caption="Overall grade at consecutive full inspections of the same council",
        head=["Grade before", "Grade after", "Times", "Change"],
        numeric={2},
    )
    for before in befores:
        for after in afters:
            if counts[(before, after)]:
                table.rows.append(
                    [GradeCell(before), GradeCell(after), counts[(before, after)], grade_change(before, after).label]
                )
    total = sum(counts.values())
    moved = Counter(grade_change(b, a) for (b, a), n in counts.items() for _ in range(n)) if total else Counter()
    if total:
        summary = (
            f"Across {total} pairs of consecutive full inspections of the same council, the overall grade "
            f"improved {moved[GradeChange.IMPROVED]} times, declined {moved[GradeChange.DECLINED]} times "
            f"and stayed the same {moved[GradeChange.UNCHANGED]} times; each bar is the grade before, split "
            "by the grade after."
        )
    else:
        summary = "No council has two graded inspections with overall grades yet."
    return Chart(
        chart_id, "How grades moved between inspections", summary, {"data": traces, "layout": layout}, table, 420
    )


def activity_by_year_chart(rows, chart_id="activity-by-year"):
    """Inspections and visits per year, stacked by kind. rows: dicts with year, event_type and n."""
    counts = defaultdict(Counter)
    for row in rows:
        counts[row["year"]][row["event_type"]] += row["n"]
    years = sorted(y for y in counts if y is not None)
    types = [t for t in EventType.values if any(counts[y][t] for y in years)]
    traces = [
        {
            "type": "bar",
            "name": EventType(t).label,
            "x": [str(y) for y in years],
            "y": [counts[y][t] for y in years],
            "marker": {
                "color": EVENT_TYPE_COLOURS[t],
                "pattern": {
                    "shape": EVENT_TYPE_PATTERNS[t],
                    "fillmode": "overlay",
                    "fgcolor": "#ffffff",
                    "solidity": 0.25,
                },
            },
            "hovertemplate": f"{EventType(t).label}s in %{{x}}: %{{y}}<extra></extra>",
        }
        for t in types
    ]
    layout = base_layout(
        "Inspections and visits per year",
        height=440,
        barmode="stack",
        xaxis={"title": {"text": "Year the inspection or visit started"}, "type": "category"},
        yaxis=count_axis(
            max((sum(counts[y].values()) for y in years), default=1), title={"text": "Inspections and visits"}
        ),
    )
    head = ["Year", *(EventType(t).label for t in types), "All"]
    table = Table(caption="Inspections and visits per year, by kind", head=head, numeric=set(range(1, len(head))))
    for year in years:
        table.rows.append([str(year), *(counts[year][t] for t in types), sum(counts[year].values())])
    total = sum(sum(c.values()) for y, c in counts.items() if y is not None)
    summary = (
        f"The {total} published inspections and visits from {years[0]} to {years[-1]}, counted by the year "
        "they started (or were published, where the start is not recorded) and stacked by kind."
        if years
        else "No dated inspections or visits are published yet."
    )
    return Chart(chart_id, "Inspections and visits per year", summary, {"data": traces, "layout": layout}, table, 440)


# -- Findings search ---------------------------------------------------------------------------------


def findings_per_year_chart(rows, description="matching findings", chart_id="findings-per-year"):
    """How many matching findings (and inspections with one) there are per year.

    rows: dicts with year (None when undated), findings and inspections.
    """
    rows = list(rows)
    dated = [r for r in rows if r["year"] is not None]
    traces = [
        {
            "type": "bar",
            "name": "Findings",
            "x": [str(r["year"]) for r in dated],
            "y": [r["findings"] for r in dated],
            "marker": {"color": "#1d70b8"},
            "hovertemplate": "%{y} findings in %{x}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Inspections and visits with a matching finding",
            "x": [str(r["year"]) for r in dated],
            "y": [r["inspections"] for r in dated],
            "line": {"color": "#0b0c0c", "dash": "dot"},
            "marker": {"color": "#0b0c0c", "symbol": "diamond", "size": 9},
            "hovertemplate": "%{y} inspections or visits in %{x}<extra></extra>",
        },
    ]
    layout = base_layout(
        "Matching findings per year",
        height=380,
        xaxis={"title": {"text": "Year of the inspection or visit"}, "type": "category"},
        yaxis=count_axis(max((r["findings"] for r in dated), default=1), title={"text": "Count"}),
    )
    table = Table(
        caption="Matching findings per year",
        head=["Year", "Findings", "Inspections and visits with one"],
        numeric={1, 2},
    )
    for row in rows:
        table.rows.append(
            ["Date not known" if row["year"] is None else str(row["year"]), row["findings"], row["inspections"]]
        )
    total = sum(r["findings"] for r in rows)
    if dated:
        summary = (
            f"How often the {total} {description} occur in each year's reports: the bars count findings, "
            "the line counts the inspections and visits with at least one."
        )
    else:
        summary = f"There are no {description} with a dated inspection to count by year."
    return Chart(
        chart_id, "How often these findings occur per year", summary, {"data": traces, "layout": layout}, table, 380
    )
