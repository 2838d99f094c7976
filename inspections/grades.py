"""A council's grade history: which judgements count, how areas carry across frameworks, and what
"latest", "previous" and "change" mean.

This module is the one statement of those rules. The council page, the inspection page, the council
list, the overview, the CSV exports and the admin all read them from here: in Python over one council's
prefetched inspections, and as SQL annotations where a list of councils or judgements must scale (the
two are held equal by tests/inspections/test_grades_agree.py).

The rules
1. What counts. Judgements of published graded events: full inspections (standard, short or full),
   and the events that judge some areas only (an inspection of looked after children's services alone,
   2013; a review of the Local Safeguarding Children Board alone); visits are never graded. Judgements
   need a start date, so they are placed by their inspection's start date; a judgement is earlier than
   another when its inspection started on an earlier day. The council's latest full inspection is
   placed by its start date, else by its publication date; a full inspection with neither is not placed
   and does not count.
2. Areas across frameworks. Ofsted has renamed and regrouped its judgement areas; LINES says which
   areas continue one another, and so can be compared: SIF "help and protection" (and 2009-12
   "safeguarding services") continue as ILACS "help and protection"; SIF "looked after and achieving
   permanence" (and 2009-12 "looked after children services") as ILACS "children in care (and care
   leavers)", then "children in care" from 2023; care leavers, judged separately by SIF and from 2023 by
   ILACS, were part of the joint ILACS judgement in between, which therefore stands in both lines as one
   judgement; SIF "leadership, management and governance" as ILACS "impact of leaders"; overall
   effectiveness as itself (2009-12 inspections gave none, and ILACS gives none from April 2026). A
   judgement stands only in lines that hold its own area: 2009-12's judgement on looked after children
   services is never an adoption or a care leavers grade.
3. Previous. For a judgement, the council's most recent earlier judgement in the same line (its
   "home" line, see Line.home), whichever framework gave it.
4. Change. Compared on Ofsted's shared 1-4 score: improved, declined or unchanged; "first" when the
   line has no earlier grade. "Adequate" (2009-12) and "requires improvement" (2013 on) share score 3
   but are not the same judgement: CHANGE_WORDS and the pages say so where they meet.
5. Current. A council's current grades are the grades its latest full inspection gave, in each line it
   judged, each with its change from the previous grade in that line. An event that judges some areas
   only (a board reviewed on its own) never gives a current grade, even after that inspection: its grade
   is history. Where the latest full inspection gave none in a line, the line has no current grade, and
   says why: "not given" when the framework does not judge it
   then (from April 2026 ILACS gives no overall grade: frameworks.not_judged_words), "not recorded" when
   it does and our sources lack the grade. The most recent grade ever given in the line ("last given",
   with its date) is history: it is shown as such, and is never the basis of a current grade, a change,
   a filter, a sort, a map colour or a chart bar.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan

from .frameworks import (
    FULL_INSPECTION_TYPES,
    GRADE_SCORES,
    GRADED_EVENT_TYPES,
    Area,
    Grade,
    judged_condition,
    not_judged_words,
)
from .models import Inspection, Judgement, placed_on_expression


class GradeChange(models.TextChoices):
    """How a judgement moved since the council's previous grade in the same line."""

    IMPROVED = "improved", "Improved"
    DECLINED = "declined", "Declined"
    UNCHANGED = "unchanged", "Unchanged"
    FIRST = "first", "First grade"


class LatestStatus(models.TextChoices):
    """Whether the council's latest full inspection gave a grade in a line (rule 5)."""

    GIVEN = "given", "Given"
    # The framework did not judge the line then (overall effectiveness from April 2026).
    NOT_GIVEN = "not_given", "Not given"
    # The framework judged it, but our sources do not give the grade.
    NOT_RECORDED = "not_recorded", "Not recorded"


@dataclass(frozen=True)
class Line:
    """Judgement areas that continue one another across frameworks, most recent wording first.

    The framework table gives an inspection at most one area of a line, so a line holds one grade per
    inspection (tests/inspections/test_grades.py holds the table to it). `home` are the areas whose own
    previous grade is looked for along this line: an area has one home, though the joint ILACS judgement
    on children in care and care leavers (2018-22) is at home in "children in care" and also stands in
    the "care leavers" line, one judgement across both.
    """

    key: str
    label: str
    areas: tuple
    home: tuple


LINES = (
    Line("overall_effectiveness", "Overall effectiveness", (Area.OVERALL_EFFECTIVENESS,), (Area.OVERALL_EFFECTIVENESS,)),
    Line("leaders", "Leaders", (Area.LEADERSHIP,), (Area.LEADERSHIP,)),
    Line(
        "help_and_protection",
        "Help and protection",
        (Area.HELP_AND_PROTECTION, Area.SAFEGUARDING_OVERALL),
        (Area.HELP_AND_PROTECTION, Area.SAFEGUARDING_OVERALL),
    ),
    Line(
        "children_in_care",
        "Children in care",
        (
            Area.CHILDREN_IN_CARE,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
            Area.LOOKED_AFTER_AND_PERMANENCE,
            Area.LOOKED_AFTER_OVERALL,
        ),
        (
            Area.CHILDREN_IN_CARE,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
            Area.LOOKED_AFTER_AND_PERMANENCE,
            Area.LOOKED_AFTER_OVERALL,
        ),
    ),
    Line("care_leavers", "Care leavers", (Area.CARE_LEAVERS, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS), (Area.CARE_LEAVERS,)),
    Line("adoption", "Adoption", (Area.ADOPTION,), (Area.ADOPTION,)),
    Line("lscb", "Local Safeguarding Children Board", (Area.LSCB,), (Area.LSCB,)),
    Line(
        "safeguarding_capacity",
        "Safeguarding: capacity for improvement",
        (Area.SAFEGUARDING_CAPACITY,),
        (Area.SAFEGUARDING_CAPACITY,),
    ),
    Line(
        "looked_after_capacity",
        "Looked after children: capacity for improvement",
        (Area.LOOKED_AFTER_CAPACITY,),
        (Area.LOOKED_AFTER_CAPACITY,),
    ),
)
LINES_BY_KEY = {line.key: line for line in LINES}
HOME_LINE = {area: line for line in LINES for area in line.home}
# The lines the council list, the comparison tables and councils.csv show: what ILACS judges today,
# and the SIF-only judgements, which are many councils' only grades before 2018.
COUNCIL_LINES = tuple(LINES_BY_KEY[key] for key in (
    "overall_effectiveness", "leaders", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb",
))  # fmt: skip
OVERALL = LINES_BY_KEY["overall_effectiveness"]

CHANGE_WORDS = (
    "Change compares a grade with the council's previous grade in the same judgement area, or in the area "
    "it replaced when Ofsted changed its framework, on Ofsted's 1 (outstanding) to 4 (inadequate) score. "
    "“Adequate” (2009-12) and “requires improvement to be good” (from 2013) share the score 3 but are not "
    "the same judgement, so a move between them is shown as unchanged on the score, with a note."
)


def home_line(area):
    return HOME_LINE[area]


def grade_change(previous_grade, grade):
    """The change from one grade to another on the 1-4 score; FIRST when there is no previous grade."""
    if not previous_grade:
        return GradeChange.FIRST
    before, after = GRADE_SCORES.get(previous_grade), GRADE_SCORES.get(grade)
    if after < before:
        return GradeChange.IMPROVED
    if after > before:
        return GradeChange.DECLINED
    return GradeChange.UNCHANGED


def different_scale(previous_grade, grade):
    """True where "adequate" meets "requires improvement": the same score, not the same judgement."""
    return {previous_grade, grade} == {Grade.ADEQUATE, Grade.REQUIRES_IMPROVEMENT}


# -- Python: one council's inspections, already fetched with their judgements -------------------------


def counts(inspection):
    """Whether an event's judgements count (rule 1)."""
    return inspection.status == Inspection.Status.PUBLISHED and inspection.event_type in GRADED_EVENT_TYPES


def is_full_inspection(inspection):
    return inspection.status == Inspection.Status.PUBLISHED and inspection.event_type in FULL_INSPECTION_TYPES


def full_inspections(inspections):
    """The council's counted full inspections, oldest first."""
    placed = [i for i in inspections if is_full_inspection(i) and i.placed_on]
    return sorted(placed, key=lambda i: (i.placed_on, i.pk or 0))


def latest_full_inspection(inspections):
    full = full_inspections(inspections)
    return full[-1] if full else None


def _judgement_order(judgement):
    return (judgement.inspection_start_date, judgement.inspection_id)


def _counted_judgements(inspections):
    return sorted(
        (j for i in inspections if counts(i) and i.start_date for j in i.judgements.all()),
        key=lambda j: (_judgement_order(j), j.pk or 0),
    )


@dataclass(frozen=True)
class GradeStep:
    """A judgement with the council's previous grade in its line and the change since."""

    judgement: Judgement
    previous: Judgement | None
    change: str

    @property
    def different_scale(self):
        return bool(self.previous) and different_scale(self.previous.grade, self.judgement.grade)

    @property
    def compared_with_other_area(self):
        return bool(self.previous) and self.previous.area != self.judgement.area


def previous_judgement(judgement, judgements, line=None):
    """The most recent judgement before `judgement` in `line` (by default its home line, rule 3)."""
    line = line or home_line(judgement.area)
    earlier = [
        j for j in judgements if j.area in line.areas and j.inspection_start_date < judgement.inspection_start_date
    ]
    return max(earlier, key=_judgement_order, default=None)


def grade_steps(inspections):
    """{judgement id: GradeStep} for every counted judgement of one council's inspections."""
    judgements = _counted_judgements(inspections)
    steps = {}
    for judgement in judgements:
        previous = previous_judgement(judgement, judgements)
        steps[judgement.pk] = GradeStep(judgement, previous, grade_change(previous and previous.grade, judgement.grade))
    return steps


@dataclass(frozen=True)
class LatestGrade:
    """A line's current grade (rule 5): what the council's latest full inspection gave in it, and the
    most recent grade ever given in it, which is history when that inspection gave none.

    `last_given` is a GradeStep whose previous grade and change are taken along this line (for the joint
    ILACS judgement in the "care leavers" line, the care leavers grade before it).
    """

    line: Line
    status: str | None  # LatestStatus; None when the council has no full inspection
    latest_inspection: Inspection | None
    last_given: GradeStep | None
    # The grade the latest full inspection gave in this line: last_given, unless an event that judges some
    # areas only (a board's review) gave one after it.
    current_step: GradeStep | None = None

    @property
    def current(self):
        """The GradeStep of the grade the latest full inspection gave in this line, or None."""
        return self.current_step

    @property
    def grade(self):
        return self.current.judgement.grade if self.current else None

    @property
    def change(self):
        return self.current.change if self.current else None

    # The same figures as LatestGradeFigures's, so that pages, the API and charts read either alike.
    @property
    def area(self):
        return self.current.judgement.area if self.current else None

    @property
    def inspection_id(self):
        return self.current.judgement.inspection_id if self.current else None

    @property
    def date(self):
        """The start date of the inspection that gave the current grade."""
        return self.current.judgement.inspection_start_date if self.current else None

    @property
    def date_precision(self):
        return self.current.judgement.inspection.date_precision if self.current else None

    @property
    def previous_grade(self):
        """The grade before the current one in this line; None without a current grade."""
        return self.current.previous.grade if self.current and self.current.previous else None

    @property
    def previous_date(self):
        return self.current.previous.inspection_start_date if self.current and self.current.previous else None

    @property
    def last_grade(self):
        return self.last_given.judgement.grade if self.last_given else None

    @property
    def last_area(self):
        return self.last_given.judgement.area if self.last_given else None

    @property
    def last_inspection_id(self):
        return self.last_given.judgement.inspection_id if self.last_given else None

    @property
    def last_date(self):
        return self.last_given.judgement.inspection_start_date if self.last_given else None

    @property
    def last_date_precision(self):
        return self.last_given.judgement.inspection.date_precision if self.last_given else None

    @property
    def status_words(self):
        """Why there is no current grade, in a reader's words; "" when there is one or no full inspection."""
        latest = self.latest_inspection
        return status_words(self.status, latest and latest.framework, latest and latest.placed_on, self.line)


def status_words(status, framework, date, line):
    """Why a line has no current grade (rule 5), given the latest full inspection's framework and date."""
    if status == LatestStatus.NOT_GIVEN:
        return not_judged_words(framework, line.areas, date)
    if status == LatestStatus.NOT_RECORDED:
        return "Not recorded"
    return ""


def line_status(latest, given, line):
    """Rule 5's LatestStatus of `line` for the latest full inspection `latest` (None: no full inspection);
    `given`: that inspection gave a grade in the line."""
    if latest is None:
        return None
    if given:
        return LatestStatus.GIVEN
    if not_judged_words(latest.framework, line.areas, latest.placed_on):
        return LatestStatus.NOT_GIVEN
    return LatestStatus.NOT_RECORDED


def _step(judgement, judgements, line):
    previous = previous_judgement(judgement, judgements, line)
    return GradeStep(judgement, previous, grade_change(previous and previous.grade, judgement.grade))


def latest_grades(inspections, lines=LINES):
    """[LatestGrade] for each of `lines`, from one council's inspections with their judgements."""
    latest = latest_full_inspection(inspections)
    judgements = _counted_judgements(inspections)
    result = []
    for line in lines:
        in_line = [j for j in judgements if j.area in line.areas]
        last = max(in_line, key=_judgement_order, default=None)
        given = latest and next((j for j in in_line if j.inspection_id == latest.pk), None)
        last_given, current = (_step(last, judgements, line) if last else None), None
        if given:
            current = last_given if given is last else _step(given, judgements, line)
        result.append(LatestGrade(line, line_status(latest, given is not None, line), latest, last_given, current))
    return result


def latest_grades_of(councils, lines=COUNCIL_LINES):
    """{council id: [LatestGrade] per line} for `councils`, in two queries (their full inspections and those
    inspections' judgements): the rules above, run as over each council's own page."""
    full = (
        Inspection.objects.filter(status=Inspection.Status.PUBLISHED, event_type__in=GRADED_EVENT_TYPES)
        .filter(council__in=[council.pk for council in councils])
        .prefetch_related("judgements")
    )
    by_council = {council.pk: [] for council in councils}
    for inspection in full:
        by_council[inspection.council_id].append(inspection)
    return {pk: latest_grades(inspections, lines) for pk, inspections in by_council.items()}


def fullest_line(latest_by_council, lines):
    """The first of `lines` in which every council with a full inspection has a current grade; else the
    one in which most do. latest_by_council: each council's [LatestGrade or LatestGradeFigures] per line."""
    given = {line.key: 0 for line in lines}
    inspected = 0
    for latest in latest_by_council:
        if not any(entry.status for entry in latest):
            continue
        inspected += 1
        for entry in latest:
            if entry.line.key in given and entry.status == LatestStatus.GIVEN:
                given[entry.line.key] += 1
    return next((line for line in lines if given[line.key] == inspected), max(lines, key=lambda line: given[line.key]))


# -- SQL: lists of councils or judgements, a fixed number of queries however many rows -----------------


def grade_score_expression(field):
    """A database expression for Ofsted's 1-4 score of the grade in `field` (an annotation or a column)."""
    return Case(
        *[When(**{field: grade}, then=Value(score)) for grade, score in GRADE_SCORES.items()],
        output_field=models.PositiveSmallIntegerField(),
    )


def change_expression(previous_score, score):
    """GradeChange between two score expressions, FIRST where the previous one is missing."""
    return Case(
        When(Q(**{f"{previous_score}__isnull": True}), then=Value(GradeChange.FIRST)),
        When(Q(**{f"{previous_score}__gt": F(score)}), then=Value(GradeChange.IMPROVED)),
        When(Q(**{f"{previous_score}__lt": F(score)}), then=Value(GradeChange.DECLINED)),
        default=Value(GradeChange.UNCHANGED),
        output_field=models.CharField(),
    )


def counted_judgements():
    return Judgement.objects.filter(
        inspection__status=Inspection.Status.PUBLISHED, inspection__event_type__in=GRADED_EVENT_TYPES
    ).order_by()


def _newest_first(queryset):
    # The inspection's own start date (which each judgement copies), so that the inspections'
    # (council, status, start_date, id) index gives the order and the first rows end the search.
    return queryset.order_by("-inspection__start_date", "-inspection_id")


def _previous_in_line(line, judgement_ref):
    """Judgements before the one at `judgement_ref` (an OuterRef prefix) in `line`, newest first."""
    earlier = counted_judgements().filter(
        inspection__council_id=OuterRef(f"{judgement_ref}inspection__council_id"),
        inspection__start_date__lt=OuterRef(f"{judgement_ref}inspection_start_date"),
        area__in=line.areas,
    )
    return _newest_first(earlier)


def previous_value(value):
    """For each judgement, `value` (a field name or an expression) read on its previous judgement (rule 3).

    One subquery per line in a CASE on the judgement's area: only the judgement's home line is read.
    """
    expression = F(value) if isinstance(value, str) else value
    return Case(
        *[
            When(
                area__in=line.home,
                then=Subquery(_previous_in_line(line, "").annotate(value=expression).values("value")[:1]),
            )
            for line in LINES
        ],
        default=None,
    )


def change_since_previous():
    """Each judgement's GradeChange since its previous one; it needs a grade_score annotation.

    The comparison is made inside the subquery, so the previous judgement is read once.
    """
    previous_score = grade_score_expression("grade")
    change = Case(
        When(GreaterThan(previous_score, OuterRef("grade_score")), then=Value(GradeChange.IMPROVED)),
        When(LessThan(previous_score, OuterRef("grade_score")), then=Value(GradeChange.DECLINED)),
        default=Value(GradeChange.UNCHANGED),
        output_field=models.CharField(),
    )
    return Coalesce(previous_value(change), Value(GradeChange.FIRST), output_field=models.CharField())


def with_previous(judgements):
    """Annotate judgements with grade_score, previous_grade, previous_area, previous_inspection_id and change.

    `judgements` may be filtered in any way: the previous grade is looked for among all the council's
    counted judgements.
    """
    return judgements.annotate(grade_score=grade_score_expression("grade")).annotate(
        previous_grade=previous_value("grade"),
        previous_area=previous_value("area"),
        previous_inspection_id=previous_value("inspection_id"),
        change=change_since_previous(),
    )


def full_inspections_of(council_ref="pk"):
    """The counted full inspections of the council at `council_ref` (an OuterRef name), newest first."""
    return (
        Inspection.objects.filter(
            council_id=OuterRef(council_ref), status=Inspection.Status.PUBLISHED, event_type__in=FULL_INSPECTION_TYPES
        )
        # Named apart from Inspection.placed_on, which an instance could not be given.
        .annotate(placed_date=placed_on_expression())
        .filter(placed_date__isnull=False)
        .order_by("-placed_date", "-pk")
    )


def line_judgements(line, council_ref="pk"):
    """The council's counted judgements in `line`, newest first.

    The framework table gives at most one area of a line to any inspection, so [:1] is the latest grade
    given in the line and [1:2] the one before it (see test_grades.py).
    """
    judgements = counted_judgements().filter(inspection__council_id=OuterRef(council_ref), area__in=line.areas)
    return _newest_first(judgements.annotate(score=grade_score_expression("grade")))


def with_latest_inspection(councils):
    """Annotate councils with their latest full inspection (rule 1): latest_inspection_id,
    latest_inspection_date (start, else publication date), latest_inspection_date_precision,
    latest_inspection_type and latest_inspection_framework."""
    full = full_inspections_of("pk")
    return councils.annotate(
        latest_inspection_id=Subquery(full.values("pk")[:1]),
        latest_inspection_date=Subquery(full.values("placed_date")[:1]),
        latest_inspection_date_precision=Subquery(full.values("date_precision")[:1]),
        latest_inspection_type=Subquery(full.values("event_type")[:1]),
        latest_inspection_framework=Subquery(full.values("framework")[:1]),
    )


def current_judgements(line):
    """The judgement the latest full inspection gave in `line` (of a council annotated by
    with_latest_inspection()), with its score: at most one row."""
    judgements = counted_judgements().filter(inspection_id=OuterRef("latest_inspection_id"), area__in=line.areas)
    return judgements.annotate(score=grade_score_expression("grade"))


def with_current_scores(councils, lines=COUNCIL_LINES):
    """Annotate councils annotated by with_latest_inspection() with <line>_score: the 1-4 score of the
    current grade in each line (None where there is none), to sort by."""
    return councils.annotate(
        **{f"{line.key}_score": Subquery(current_judgements(line).values("score")[:1]) for line in lines}
    )


def has_current_grade(line, grade=None):
    """True for a council (annotated by with_latest_inspection()) whose latest full inspection gave a grade
    in `line`; `grade` names it."""
    judgements = current_judgements(line)
    return Exists(judgements.filter(grade=grade) if grade else judgements)


def has_current_change(line, change):
    """True for a council (annotated by with_latest_inspection()) whose current grade in `line` made
    `change` (GradeChange) from the previous grade in that line (rule 4)."""
    earlier = counted_judgements().filter(
        inspection__council_id=OuterRef("inspection__council_id"),
        inspection__start_date__lt=OuterRef("inspection_start_date"),
        area__in=line.areas,
    )
    previous_score = Subquery(_newest_first(earlier.annotate(score=grade_score_expression("grade"))).values("score")[:1])
    current = current_judgements(line).annotate(previous_score=previous_score)
    conditions = {
        GradeChange.FIRST: Q(previous_score__isnull=True),
        GradeChange.IMPROVED: Q(previous_score__gt=F("score")),
        GradeChange.DECLINED: Q(previous_score__lt=F("score")),
        GradeChange.UNCHANGED: Q(previous_score=F("score")),
    }
    return Exists(current.filter(conditions[change]))


def with_latest_grades(councils, lines=(OVERALL,)):
    """Annotate councils with their latest full inspection and, for each line, rule 5's figures.

    For the council: latest_inspection_id, latest_inspection_date (start, else publication date),
    latest_inspection_date_precision, latest_inspection_type, latest_inspection_framework.
    For each line, prefixed with line.key:
    - _status: LatestStatus (None without a full inspection);
    - the current grade, which only the latest full inspection gives (all None where it gave none):
      _grade, _area, _score, _inspection_id, _date, _date_precision; the grade before it in the line:
      _previous_grade, _previous_score, _previous_date; and _change between the two;
    - history, the most recent grade given in the line, whichever inspection gave it: _last_grade,
      _last_area, _last_inspection_id, _last_date, _last_date_precision.
    Correlated subqueries, each read once per council: one query for any number of councils.
    """
    councils = with_latest_inspection(councils)
    for line in lines:
        prefix = line.key
        in_line = line_judgements(line)
        at_latest = current_judgements(line)
        columns = {
            "grade": "grade",
            "area": "area",
            "score": "score",
            "inspection_id": "inspection_id",
            "date": "inspection_start_date",
            "date_precision": "inspection__date_precision",
        }
        current = {f"{prefix}_{name}": Subquery(at_latest.values(column)[:1]) for name, column in columns.items()}
        before_current = in_line.filter(inspection__start_date__lt=OuterRef(f"{prefix}_date"))
        previous = {
            f"{prefix}_previous_{name}": Case(
                When(**{f"{prefix}_grade__isnull": False}, then=Subquery(before_current.values(columns[name])[:1])),
                default=None,
            )
            for name in ("grade", "score", "date")
        }
        last = {
            f"{prefix}_last_{name}": Subquery(in_line.values(columns[name])[:1])
            for name in ("grade", "area", "inspection_id", "date", "date_precision")
        }
        judged = judged_condition(line.areas, "latest_inspection_framework", "latest_inspection_date")
        councils = councils.annotate(**current, **last).annotate(
            **previous,
            **{
                f"{prefix}_status": Case(
                    When(latest_inspection_id__isnull=True, then=None),
                    When(**{f"{prefix}_grade__isnull": False}, then=Value(LatestStatus.GIVEN)),
                    When(~judged, then=Value(LatestStatus.NOT_GIVEN)),
                    default=Value(LatestStatus.NOT_RECORDED),
                    output_field=models.CharField(),
                )
            },
        ).annotate(
            **{
                f"{prefix}_change": Case(
                    When(**{f"{prefix}_grade__isnull": True}, then=None),
                    default=change_expression(f"{prefix}_previous_score", f"{prefix}_score"),
                    output_field=models.CharField(),
                )
            }
        )
    return councils


@dataclass(frozen=True)
class LatestGradeFigures:
    """A line's figures as plain values: LatestGrade's, read from a council annotated by with_latest_grades()
    (annotated_latest_grades) or taken from a LatestGrade to keep in a cache (of)."""

    line: Line
    status: str | None
    grade: str | None
    area: str | None
    inspection_id: int | None
    date: object
    date_precision: str | None
    previous_grade: str | None
    previous_date: object
    change: str | None
    last_grade: str | None
    last_area: str | None
    last_inspection_id: int | None
    last_date: object
    last_date_precision: str | None
    status_words: str

    FIGURES = (
        "status", "grade", "area", "inspection_id", "date", "date_precision", "previous_grade", "previous_date",
        "change", "last_grade", "last_area", "last_inspection_id", "last_date", "last_date_precision", "status_words",
    )  # fmt: skip

    @classmethod
    def of(cls, entry):
        return cls(line=entry.line, **{name: getattr(entry, name) for name in cls.FIGURES})


def annotated_latest_grades(council, lines=COUNCIL_LINES):
    """[LatestGradeFigures] for `lines` of a council annotated by with_latest_grades(..., lines)."""
    result = []
    for line in lines:
        def value(name, key=line.key):
            return getattr(council, f"{key}_{name}")

        status = value("status")
        result.append(
            LatestGradeFigures(
                line=line,
                status=status,
                **{
                    name: value(name)
                    for name in (
                        "grade", "area", "inspection_id", "date", "date_precision", "previous_grade", "previous_date",
                        "change", "last_grade", "last_area", "last_inspection_id", "last_date", "last_date_precision",
                    )
                },  # fmt: skip
                status_words=status_words(status, council.latest_inspection_framework, council.latest_inspection_date, line),
            )
        )
    return result
