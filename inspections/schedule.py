"""Rules about a council's sequence of events: their order in time and what is due next.

Plain functions over lists of Inspection objects (with their judgements prefetched), so that a page
that has already fetched a council's inspections can apply them without another query; the months since
the last full inspection also in SQL, for lists of councils (held equal by test_grades_agree.py). What counts
as the latest full inspection and its grades is grades.py's to say.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Subquery, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan

from . import grades
from .frameworks import ILACS_NO_OVERALL_FROM, Area, EventType, Grade
from .dates import format_date
from .models import last_day_expression


def timeline_key(inspection):
    """Where an event stands in its council's timeline, or None when nothing the sources say places it.

    A dated event stands at its date (a month or a year at its first day, as stored). An undated one
    stands just after the date it is known to follow (`not_before`) or, failing that, just before the
    date it is known to precede (`not_after`), so that it sits between the events the sources put
    around it and never after the newest event.
    """
    if inspection.placed_on:
        return (inspection.placed_on, 0)
    if inspection.not_before:
        return (inspection.not_before, 1)
    if inspection.not_after:
        return (inspection.not_after, -1)
    return None


def timeline_order(inspections):
    """Inspections and visits oldest to newest.

    Events go by timeline_key. An event nothing dates or bounds, but that carries its number (the fifth
    monitoring visit), goes after the visit of the same kind with the next lower number, or before the
    one with the next higher number. Events that nothing places at all come last.
    """
    placed = sorted(
        (i for i in inspections if timeline_key(i)), key=lambda i: (*timeline_key(i), i.pk or 0)
    )
    unplaced = sorted(
        (i for i in inspections if not timeline_key(i)),
        key=lambda i: (i.event_type, i.visit_number is None, i.visit_number or 0, i.pk or 0),
    )
    ordered = list(placed)
    left = []
    for event in unplaced:
        if event.visit_number is None:
            left.append(event)
            continue
        same_kind = [
            (index, other)
            for index, other in enumerate(ordered)
            if other.event_type == event.event_type and other.visit_number is not None
        ]
        lower = [index for index, other in same_kind if other.visit_number < event.visit_number]
        higher = [index for index, other in same_kind if other.visit_number > event.visit_number]
        if lower:
            ordered.insert(max(lower) + 1, event)
        elif higher:
            ordered.insert(min(higher), event)
        else:
            left.append(event)
    return ordered + left


def months_between(start, end):
    """Whole months from one date to a later one (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def months_between_expression(start, end):
    """months_between() in SQL, from the date expression `start` to the date `end`."""
    months = (
        Value(end.year * 12 + end.month)
        - (ExtractYear(start) * 12 + ExtractMonth(start))
        - Case(When(GreaterThan(ExtractDay(start), end.day), then=Value(1)), default=Value(0))
    )
    return Case(When(GreaterThan(start, Value(end)), then=Value(0)), default=months, output_field=IntegerField())


def months_since_last_full_inspection(inspections, today=None, council=None):
    """Whole months since the council's last full inspection ended (Inspection.last_day: a council is being
    inspected until the inspection's last day); None for a council that no longer exists, which Ofsted no
    longer inspects, so that the count would measure nothing."""
    if council is not None and not council.is_current:
        return None
    last = grades.latest_full_inspection(inspections)
    if last is None:
        return None
    return months_between(last.last_day, today or datetime.date.today())


def months_since_last_full_inspection_expression(today):
    """months_since_last_full_inspection() in SQL, for each council of a queryset."""
    # Counted inside the subquery, so that the council's row reads the latest full inspection once.
    months = grades.full_inspections_of("pk").annotate(months=months_between_expression(last_day_expression(), today))
    return Case(When(is_current=True, then=Subquery(months.values("months")[:1])), default=None, output_field=IntegerField())


def judgement_grade(inspection, area):
    for judgement in inspection.judgements.all():
        if judgement.area == area:
            return judgement.grade
    return None


def add_years(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def add_months(date, months):
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NextInspection:
    """What Ofsted is expected to do next for a council under the ILACS rules, and why."""

    event_type: str | None
    reason: str
    based_on: object = None  # the inspection the expectation follows from
    window_start: datetime.date | None = None
    window_end: datetime.date | None = None
    overdue: bool = False
    focused_visit_expected: bool = False
    then: str | None = None  # what follows, e.g. the re-inspection after monitoring visits
    source: str = ""
    council_replaced: bool = False

    @property
    def label(self):
        if self.council_replaced:
            return "Nothing: the council no longer exists"
        return EventType(self.event_type).label if self.event_type else "Not known"


# ILACS: standard inspections (councils that require improvement) and short inspections (good or
# outstanding councils) come "between six months before and six months after the three year
# anniversary of the previous inspection"; in between, usually one focused visit. A council judged
# inadequate has monitoring visits until it is re-inspected with a standard inspection.
ILACS_CYCLE_YEARS = 3
ILACS_WINDOW_MONTHS = 6
ILACS_RULES_SOURCE = "Ofsted, “Inspecting local authority children’s services” (the ILACS framework)"
# From April 2026 there is no overall grade: the short-inspection pathway is for councils judged good or
# outstanding on the impact of leaders and on at least two of the three practice judgements.
ILACS_2026_SOURCE = (
    "Ofsted, “Inspecting local authority children’s services: summary of framework changes” (April 2026), "
    "as summarised by Data to Insight’s ILACS tool"
)
PRACTICE_AREAS = (Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE, Area.CARE_LEAVERS)
GOOD_OR_BETTER = (Grade.GOOD, Grade.OUTSTANDING)


def replaced_council(council):
    """Nothing is due for a former council: Ofsted inspects the councils that took over its services."""
    successors = [successor.name for successor in council.successors.all()]
    taken_over = f" by {' and '.join(successors)}" if successors else ""
    when = f" on {format_date(council.replaced_on)}" if council.replaced_on else ""
    return NextInspection(
        None,
        f"{council.name} was replaced{taken_over}{when}. Ofsted inspects the councils that replaced it, "
        "so no inspection of it is expected.",
        council_replaced=True,
    )


def next_inspection_due(inspections, today=None, council=None):
    """The next kind of inspection or visit due for a council, from its published inspections.

    Given the council, a former one is due nothing (replaced_council).
    """
    if council is not None and not council.is_current:
        return replaced_council(council)
    today = today or datetime.date.today()
    last = grades.latest_full_inspection(inspections)
    if last is None:
        return NextInspection(None, "No graded inspection is recorded, so the ILACS pathway is not known.")
    when = last.dates_display
    if not list(last.judgements.all()):
        return NextInspection(
            None,
            f"The grades of the last full inspection ({when}) are not recorded here, "
            "and the ILACS rules base the next inspection on them.",
            based_on=last,
        )
    overall = judgement_grade(last, Area.OVERALL_EFFECTIVENESS) or judgement_grade(last, Area.SAFEGUARDING_OVERALL)
    later = [i for i in inspections if i.placed_on and i.placed_on > last.placed_on]
    anniversary = add_years(last.last_day, ILACS_CYCLE_YEARS)
    start, end = add_months(anniversary, -ILACS_WINDOW_MONTHS), add_months(anniversary, ILACS_WINDOW_MONTHS)
    focused_since = any(i.event_type == EventType.FOCUSED_VISIT for i in later)
    window = {
        "window_start": start,
        "window_end": end,
        "overdue": today > end,
        "focused_visit_expected": not focused_since and today <= end,
        "source": ILACS_RULES_SOURCE,
        "based_on": last,
    }
    if overall is None:
        if last.start_date and last.start_date >= ILACS_NO_OVERALL_FROM:
            return _after_april_2026(last, when, inspections, window)
        return NextInspection(
            None,
            f"The last full inspection ({when}) gives no overall effectiveness grade, "
            "which the ILACS rules base the next inspection on.",
            based_on=last,
        )
    if overall == Grade.INADEQUATE:
        visits = sum(1 for i in later if i.event_type == EventType.MONITORING_VISIT)
        done = f"{visits} monitoring visit{'s' if visits != 1 else ''} so far" if visits else "none yet"
        return NextInspection(
            EventType.MONITORING_VISIT,
            f"Judged inadequate overall ({when}): Ofsted makes monitoring visits ({done}) "
            "until it re-inspects the council.",
            based_on=last,
            then=EventType.STANDARD_INSPECTION.label,
            source=ILACS_RULES_SOURCE,
        )
    good = overall in (Grade.GOOD, Grade.OUTSTANDING)
    event_type = EventType.SHORT_INSPECTION if good else EventType.STANDARD_INSPECTION
    return NextInspection(
        event_type,
        f"Judged {Grade(overall).label.lower()} overall ({when}): the next {EventType(event_type).label.lower()} "
        "usually comes within six months either side of the third anniversary of that inspection.",
        **window,
    )


def _after_april_2026(last, when, inspections, window):
    """The ILACS pathway from the leaders and practice judgements, for an inspection with no overall grade."""
    leaders = judgement_grade(last, Area.LEADERSHIP)
    practice = [judgement_grade(last, area) for area in PRACTICE_AREAS]
    if leaders is None or any(grade is None for grade in practice):
        return NextInspection(
            None,
            f"The last full inspection ({when}) gave no overall grade, as from April 2026, and not all of the "
            "leaders and practice judgements the rules now use are recorded.",
            based_on=last,
        )
    good_practice = sum(grade in GOOD_OR_BETTER for grade in practice)
    short = leaders in GOOD_OR_BETTER and good_practice >= 2
    event_type = EventType.SHORT_INSPECTION if short else EventType.STANDARD_INSPECTION
    judged = (
        f"the impact of leaders {Grade(leaders).label.lower()} and {good_practice} of the three practice "
        "judgements good or outstanding"
    )
    rule = (
        "a short inspection follows where leaders and at least two of the three practice judgements are good "
        "or outstanding, a standard inspection otherwise"
    )
    return NextInspection(
        event_type,
        f"Judged ({when}) with {judged}. Since April 2026 there is no overall grade: {rule}. It usually comes "
        "within six months either side of the third anniversary of the last inspection.",
        **{**window, "source": ILACS_2026_SOURCE},
    )
