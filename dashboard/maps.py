"""The map of England's councils coloured by their current grade in one judgement area.

An inline SVG drawn on the server from the shipped boundaries (councils/boundaries.py): no script, no
map tiles, nothing fetched. Each council is a link to its page, named in words by its <title>; grades
have the charts' colours and fill patterns (dashboard/charts.py), so they differ without colour too; a
table holds the same data. Like the chart builders, grade_map() is a plain function of what it is given.
"""

import re
from dataclasses import dataclass, field

from django import forms

from inspections.query_parameters import INVALID_CHOICE
from inspections.frameworks import Grade
from inspections.grades import COUNCIL_LINES, OVERALL, annotated_latest_grades
from inspections.dates import format_date

from .charts import (
    GRADE_COLOURS,
    GRADE_ORDER,
    GRADE_PATTERNS,
    NOT_GIVEN,
    NOT_GIVEN_COLOUR,
    NOT_GIVEN_LABEL,
    NOT_GIVEN_PATTERN,
    NOT_GRADED,
    NOT_GRADED_COLOUR,
    NOT_GRADED_PATTERN,
    current_grade_key,
)

MAP_LINES = {line.key: line for line in COUNCIL_LINES}
PATTERN_SIZE = 8  # SVG units (about 5 px on a desktop screen): the patterns' repeat
# What each of plotly's pattern shapes draws in one repeat, in white over the grade's colour; the
# stroke is a quarter of the repeat, as the charts' patterns' "solidity" of 0.25.
PATTERN_MARKS = {
    "": "",
    "/": "M-2 2L2-2M0 8L8 0M6 10L10 6",
    "\\": "M-2 6L2 10M0 0L8 8M6-2L10 2",
    "-": "M0 4H8",
    "|": "M4 0V8",
    "x": "M0 0L8 8M8 0L0 8",
    "+": "M0 4H8M4 0V8",
}
DOT = ".", 1.6  # a dot in the middle of the repeat, its radius


class MapAreaForm(forms.Form):
    """Which judgement area the map shows: one of the council list's lines (the pages choose the default:
    the area every current council has a current grade in)."""

    map = forms.ChoiceField(
        choices=[(key, line.label) for key, line in MAP_LINES.items()],
        required=False,
        label="Judgement area",
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def line(self):
        """The chosen line (call after is_valid())."""
        return MAP_LINES.get(self.cleaned_data.get("map") or OVERALL.key, OVERALL)


@dataclass
class Fill:
    """A grade's (or no grade's) colour and pattern, as an SVG <pattern> the shapes and legend use."""

    key: str
    label: str
    colour: str
    pattern: str
    count: int = 0

    @property
    def id(self):
        return f"map-fill-{self.key}"

    @property
    def paint(self):
        return f"url(#{self.id})"

    @property
    def marks(self):
        return PATTERN_MARKS.get(self.pattern, "")

    @property
    def dot(self):
        return self.pattern == DOT[0]

    dot_radius = DOT[1]
    size = PATTERN_SIZE
    centre = PATTERN_SIZE / 2
    stroke = PATTERN_SIZE / 4


# The smallest target a finger or a pointer is given, in screen pixels (WCAG 2.2's 24 px), and the narrowest
# the map is drawn (a phone), from which it is turned into the map's own units.
TARGET_PX, NARROWEST_MAP_PX = 24, 340


def path_extent(d):
    """(min x, min y, max x, max y) of an SVG path of absolute moves and relative lines ("M462 651l3 2-2 3z"),
    the commands the shipped boundaries use."""
    xs, ys = [], []
    for command, numbers in re.findall(r"([MmLlZz])([^MmLlZz]*)", d):
        values = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        for index in range(0, len(values) - 1, 2):
            if command == "M" or not xs:
                x, y = values[index], values[index + 1]
            else:
                x, y = xs[-1] + values[index], ys[-1] + values[index + 1]
            xs.append(x)
            ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def target_circle(d, view_width):
    """(cx, cy, r) of an invisible circle that makes a shape smaller than TARGET_PX on the narrowest map big
    enough to select (the City of London, the Isles of Scilly), or None for a shape that is big enough."""
    extent = path_extent(d)
    if extent is None:
        return None
    radius = TARGET_PX / 2 * view_width / NARROWEST_MAP_PX
    left, top, right, bottom = extent
    if max(right - left, bottom - top) >= 2 * radius:
        return None
    return round((left + right) / 2, 1), round((top + bottom) / 2, 1), round(radius, 1)


@dataclass
class MapArea:
    """One council on the map and in the table."""

    name: str
    url: str
    region: str
    grade: str | None
    grade_words: str
    date: str  # when the grade was given, as precisely as known
    note: str  # why the grade is not from the latest full inspection, if it is not
    fill: Fill
    d: str = ""
    inset_d: str = ""
    target: tuple | None = None  # target_circle() of the shape drawn (the inset's, where it has one)

    @property
    def title(self):
        """The shape's name for readers and screen readers: council, grade in words, its date."""
        detail = "; ".join(part for part in (self.date and f"given {self.date}", self.note) if part)
        return f"{self.name}: {self.grade_words}" + (f" ({detail})" if detail else "")


@dataclass
class GradeMap:
    line_label: str
    view_box: str
    inset: dict | None
    areas: list  # every current council, by name
    fills: list  # the legend: grades present, in the charts' order, then no grade
    citation: str
    summary: str
    unmapped: list = field(default_factory=list)  # councils with no boundary: in the table only

    @property
    def shapes(self):
        return [area for area in self.areas if area.d]

    @property
    def inset_shapes(self):
        return [area for area in self.areas if area.inset_d]


def citation(source):
    boundaries, lookup = source["boundaries"], source["lookup"]
    return (
        f"Boundaries: {boundaries['publisher']}, Local Authority Districts ({boundaries['year']}) and "
        f"Lower Tier to Upper Tier Local Authority lookup ({lookup['year']}), {boundaries['licence']}. "
        f"{boundaries['notice']}."
    )


def grade_map(councils, line, boundaries):
    """A GradeMap of current councils annotated by grades.with_latest_grades(..., (line,)) and
    councils.boundaries.with_boundary_code(), drawn with `boundaries` (the shipped file's content).

    Each council is coloured by its current grade in `line` (grades.py, rule 5): the grade its latest full
    inspection gave. A council whose latest inspection gave none has a fill of its own; the last grade
    given is history, named in words beside it, never its colour.
    """
    fills = {grade: Fill(grade, Grade(grade).label, GRADE_COLOURS[grade], GRADE_PATTERNS[grade]) for grade in GRADE_ORDER}
    fills[NOT_GIVEN] = Fill(NOT_GIVEN, NOT_GIVEN_LABEL, NOT_GIVEN_COLOUR, NOT_GIVEN_PATTERN)
    fills[NOT_GRADED] = Fill(NOT_GRADED, "No grade recorded", NOT_GRADED_COLOUR, NOT_GRADED_PATTERN)
    area_shapes = boundaries["areas"]
    view_width = float(boundaries["viewBox"].split()[2])
    areas, unmapped = [], []
    for council in sorted(councils, key=lambda c: (c.name, c.pk)):
        [entry] = annotated_latest_grades(council, (line,))
        fill = fills[current_grade_key(entry)]
        fill.count += 1
        date, note = "", ""
        if entry.grade:
            words = Grade(entry.grade).label
            date = format_date(entry.date, entry.date_precision)
        elif entry.status:
            words = entry.status_words
            if entry.last_grade:
                last_date = format_date(entry.last_date, entry.last_date_precision)
                note = f"last given: {Grade(entry.last_grade).label.lower()}, {last_date}"
        else:
            words = "no full inspection recorded"
        shape = area_shapes.get(council.boundary_code or "")
        area = MapArea(
            name=council.name,
            url=council.get_absolute_url(),
            region=council.region.name if council.region else "",
            grade=entry.grade,
            grade_words=words,
            date=date,
            note=note,
            fill=fill,
            d=shape["d"] if shape else "",
            inset_d=shape.get("inset_d", "") if shape else "",
            target=target_circle(shape.get("inset_d") or shape["d"], view_width) if shape else None,
        )
        areas.append(area)
        if not shape:
            unmapped.append(area)
    legend = [fills[key] for key in (*GRADE_ORDER, NOT_GIVEN, NOT_GRADED) if fills[key].count]
    inset = boundaries.get("inset")
    summary = (
        f"England's {len(areas)} current councils, each coloured by the {line.label.lower()} grade its latest "
        "full inspection gave."
        + (
            f" {fills[NOT_GIVEN].count} were last inspected under the 2026 framework, which gives no grade in this "
            "area: they have a pattern of their own, and the table gives the last grade given, as history."
            if fills[NOT_GIVEN].count
            else ""
        )
        + " Patterns tell the grades apart without colour."
        + (f" {inset['label']}'s boroughs are drawn again, larger, in a box of their own." if inset else "")
        + " Select a council to open its page."
    )
    return GradeMap(
        line_label=line.label,
        view_box=boundaries["viewBox"],
        inset=inset,
        areas=areas,
        fills=legend,
        citation=citation(boundaries["source"]),
        summary=summary,
        unmapped=unmapped,
    )
