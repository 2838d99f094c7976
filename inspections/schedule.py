"""Rules about a council's sequence of inspections: their order, how grades changed, what is due next.

Plain functions over lists of Inspection objects (with their judgements prefetched), so that a page
that has already fetched a council's inspections can apply them without another query. The
InspectionQuerySet and Council methods wrap them for callers that start from the database.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import models

from .frameworks import GRADE_SCORES, GRADED_EVENT_TYPES, Area, EventType, Grade


class GradeChange(models.TextChoices):
    """How a judgement moved between two inspections, on Ofsted's shared 1-4 score (1 is best)."""

    IMPROVED = "improved", "Improved"
    DECLINED = "declined", "Declined"
    UNCHANGED = "unchanged", "Unchanged"


def grade_change(previous_grade, grade):
    """improved / declined / unchanged between two grades, or None when either is missing."""
    before, after = GRADE_SCORES.get(previous_grade), GRADE_SCORES.get(grade)
    if before is None or after is None:
        return None
    if after < before:
        return GradeChange.IMPROVED
    if after > before:
        return GradeChange.DECLINED
    return GradeChange.UNCHANGED


def event_date(inspection):
    """The date that places an event in time: its start date, else the date its report was published."""
    return inspection.start_date or inspection.published_date


def timeline_order(inspections):
    """Inspections and visits oldest to newest.

    Events go by start date, or by publication date where no source gives the start. An undated visit
    that carries its number (the fifth monitoring visit) goes after the dated visit of the same kind
    with the next lower number, or before the one with the next higher number; other undated events
    go last, since nothing places them.
    """
    dated = sorted((i for i in inspections if event_date(i)), key=lambda i: (event_date(i), i.pk or 0))
    undated = sorted(
        (i for i in inspections if not event_date(i)),
        key=lambda i: (i.event_type, i.visit_number is None, i.visit_number or 0, i.pk or 0),
    )
    ordered = list(dated)
    unplaced = []
    for event in undated:
        if event.visit_number is None:
            unplaced.append(event)
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
            unplaced.append(event)
    return ordered + unplaced


def is_full_inspection(inspection):
    return inspection.event_type in GRADED_EVENT_TYPES


def last_day(inspection):
    """The last day of fieldwork where known, else the start, else the publication date."""
    return inspection.end_date or inspection.start_date or inspection.published_date


def last_full_inspection(inspections):
    """The most recent dated graded inspection (standard, short or full), or None."""
    full = [i for i in inspections if is_full_inspection(i) and event_date(i)]
    return max(full, key=lambda i: (event_date(i), i.pk or 0), default=None)


def previous_full_inspection(inspections, inspection):
    """The council's graded inspection before this one, or None."""
    ordered = [i for i in timeline_order(inspections) if is_full_inspection(i)]
    ids = [i.pk for i in ordered]
    if inspection.pk not in ids:
        return None
    index = ids.index(inspection.pk)
    return ordered[index - 1] if index > 0 else None


def months_between(start, end):
    """Whole months from one date to a later one (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def months_since_last_full_inspection(inspections, today=None):
    last = last_full_inspection(inspections)
    if last is None:
        return None
    return months_between(last_day(last), today or datetime.date.today())


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

    @property
    def label(self):
        return EventType(self.event_type).label if self.event_type else "Not known"


# ILACS: standard inspections (councils that require improvement) and short inspections (good or
# outstanding councils) come "between six months before and six months after the three year
# anniversary of the previous inspection"; in between, usually one focused visit. A council judged
# inadequate has monitoring visits until it is re-inspected with a standard inspection.
ILACS_CYCLE_YEARS = 3
ILACS_WINDOW_MONTHS = 6


def next_inspection_due(inspections, today=None):
    """The next kind of inspection or visit due for a council, from its published inspections."""
    today = today or datetime.date.today()
    last = last_full_inspection(inspections)
    if last is None:
        return NextInspection(None, "No graded inspection is recorded, so the ILACS pathway is not known.")
    overall = judgement_grade(last, Area.OVERALL_EFFECTIVENESS) or judgement_grade(last, Area.SAFEGUARDING_OVERALL)
    when = last.dates_display
    if overall is None:
        return NextInspection(
            None,
            f"The last full inspection ({when}) gives no overall effectiveness grade, "
            "which the ILACS rules base the next inspection on.",
            based_on=last,
        )
    later = [i for i in inspections if event_date(i) and event_date(i) > event_date(last)]
    if overall == Grade.INADEQUATE:
        visits = sum(1 for i in later if i.event_type == EventType.MONITORING_VISIT)
        done = f"{visits} monitoring visit{'s' if visits != 1 else ''} so far" if visits else "none yet"
        return NextInspection(
            EventType.MONITORING_VISIT,
            f"Judged inadequate overall ({when}): Ofsted makes monitoring visits ({done}) "
            "until it re-inspects the council.",
            based_on=last,
            then=EventType.STANDARD_INSPECTION.label,
        )
    anniversary = add_years(last_day(last), ILACS_CYCLE_YEARS)
    start, end = add_months(anniversary, -ILACS_WINDOW_MONTHS), add_months(anniversary, ILACS_WINDOW_MONTHS)
    focused_since = any(i.event_type == EventType.FOCUSED_VISIT for i in later)
    good = overall in (Grade.GOOD, Grade.OUTSTANDING)
    event_type = EventType.SHORT_INSPECTION if good else EventType.STANDARD_INSPECTION
    return NextInspection(
        event_type,
        f"Judged {Grade(overall).label.lower()} overall ({when}): the next {EventType(event_type).label.lower()} "
        "usually comes within six months either side of the third anniversary of that inspection.",
        based_on=last,
        window_start=start,
        window_end=end,
        overdue=today > end,
        focused_visit_expected=not focused_since and today <= end,
    )
