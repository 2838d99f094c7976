"""Ofsted's inspection frameworks: which judgement areas each grades, on which scale, and when.

This table is the one statement of the rules. Judgement.clean(), the database check constraint on
judgements, the admin's choices and every importer read it, so a rule changes in one place.
"""

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db import models

from .dates import format_date, iso


class Framework(models.TextChoices):
    UNANNOUNCED_2009 = "unannounced_2009", "Unannounced inspection of contact, referral and assessment (2009-12)"
    SAFEGUARDING_LAC_2009 = (
        "safeguarding_lac_2009",
        "Inspection of safeguarding and looked after children services (2009-12)",
    )
    # The standalone inspections of looked after children's services Ofsted made before the single
    # framework (November 2013) brought them into one inspection with child protection.
    LOOKED_AFTER_CHILDREN = (
        "looked_after_children",
        "Inspection of looked after children services (before November 2013)",
    )
    SIF = "sif", "Single inspection framework (SIF, 2013-17)"
    ILACS = "ilacs", "Inspecting local authority children's services (ILACS, 2018-)"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"


class EventType(models.TextChoices):
    UNANNOUNCED_INSPECTION = "unannounced_inspection", "Unannounced inspection"
    FULL_INSPECTION = "full_inspection", "Full inspection"
    STANDARD_INSPECTION = "standard_inspection", "Standard inspection"
    SHORT_INSPECTION = "short_inspection", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection"
    # Graded, but not an inspection of all the council's children's services (see FULL_INSPECTION_TYPES).
    LOOKED_AFTER_INSPECTION = "looked_after_inspection", "Inspection of looked after children services"
    LSCB_REVIEW = "lscb_review", "Review of the Local Safeguarding Children Board"


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    ADEQUATE = "adequate", "Adequate"
    INADEQUATE = "inadequate", "Inadequate"


# ILACS's "requires improvement to be good" is long for a table's cell.
SHORT_GRADE_LABELS = {Grade.REQUIRES_IMPROVEMENT: "Requires improvement"}


def grade_label(grade, short=False):
    """A grade in Ofsted's words ("Requires improvement" for "requires improvement to be good" where short);
    "" for no grade.

    Anything else comes back as it was given: the database holds only grades, so only a message meets one
    (an editor's entry, a word read from a report), and it should quote what was there, not blank it.
    """
    if not grade:
        return ""
    if grade not in Grade.values:
        return str(grade)
    return SHORT_GRADE_LABELS.get(grade, Grade(grade).label) if short else Grade(grade).label


# Ofsted's shared 1-4 coding. "Adequate" (2009-12) and "requires improvement" (2013-) share 3 but are
# not the same judgement, which is why the grade itself is kept and the score is derived.
GRADE_SCORES = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.ADEQUATE: 3,
    Grade.INADEQUATE: 4,
}


class Area(models.TextChoices):
    OVERALL_EFFECTIVENESS = "overall_effectiveness", "Overall effectiveness"
    LEADERSHIP = "leadership", "Impact of leaders / leadership, management and governance"
    HELP_AND_PROTECTION = "help_and_protection", "Children who need help and protection"
    CHILDREN_IN_CARE_AND_CARE_LEAVERS = (
        "children_in_care_and_care_leavers",
        "Children in care and care leavers",
    )
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    LOOKED_AFTER_AND_PERMANENCE = "looked_after_and_permanence", "Children looked after and achieving permanence"
    ADOPTION = "adoption", "Adoption performance"
    LSCB = "lscb", "Local Safeguarding Children Board"
    SAFEGUARDING_OVERALL = "safeguarding_overall", "Safeguarding services: overall effectiveness"
    SAFEGUARDING_CAPACITY = "safeguarding_capacity", "Safeguarding services: capacity for improvement"
    LOOKED_AFTER_OVERALL = "looked_after_overall", "Looked after children services: overall effectiveness"
    LOOKED_AFTER_CAPACITY = "looked_after_capacity", "Looked after children services: capacity for improvement"


# How a reader names each framework after "under" ("not judged under ILACS"), and as a label.
FRAMEWORK_IN_A_SENTENCE = {
    Framework.UNANNOUNCED_2009: "the 2009-12 unannounced inspections",
    Framework.SAFEGUARDING_LAC_2009: "the 2009-12 safeguarding and looked after children inspections",
    Framework.LOOKED_AFTER_CHILDREN: "the inspections of looked after children services (before November 2013)",
    Framework.SIF: "the single inspection framework (2013-17)",
    Framework.ILACS: "ILACS (2018 on)",
    Framework.JTAI: "joint targeted area inspections",
}
FRAMEWORK_LABELS = {
    Framework.UNANNOUNCED_2009: "Unannounced inspection, 2009-12",
    Framework.SAFEGUARDING_LAC_2009: "Safeguarding and looked after children inspection, 2009-12",
    Framework.LOOKED_AFTER_CHILDREN: "Looked after children services inspection",
    Framework.SIF: "Single inspection framework",
    Framework.ILACS: "ILACS",
    Framework.JTAI: "Joint targeted area inspection",
}

# What each framework is, for a reader meeting its name for the first time (shared/domain.md's table; the
# single framework's start from Ofsted's announcement of it, 2013).
FRAMEWORK_EXPLAINED = {
    Framework.UNANNOUNCED_2009: "Ofsted's unannounced inspections of how councils took in and assessed referrals, "
    "2009-12, which gave no grades",
    Framework.SAFEGUARDING_LAC_2009: "Ofsted's inspections of safeguarding and looked after children services, "
    "2009-12, graded outstanding, good, adequate or inadequate",
    Framework.LOOKED_AFTER_CHILDREN: "Ofsted's inspections of looked after children services alone, before the "
    "single inspection framework",
    Framework.SIF: "the single inspection framework, under which Ofsted inspected councils' children's services "
    "from November 2013 to 2017, with a review of the Local Safeguarding Children Board",
    Framework.ILACS: "ILACS (inspecting local authority children's services), the framework Ofsted has inspected "
    "councils' children's services under since January 2018",
    Framework.JTAI: "joint targeted area inspections, made by Ofsted with the other inspectorates of services "
    "for children",
}
ILACS_2026_EXPLAINED = "; since April 2026 it gives no overall grade"


def framework_explained(framework, date=None):
    """What the framework is, in a reader's words: for the first time a page names it."""
    words = FRAMEWORK_EXPLAINED.get(framework, "")
    if framework == Framework.ILACS and date and date >= ILACS_NO_OVERALL_FROM:
        words += ILACS_2026_EXPLAINED
    return words


# Ofsted's own wording for an area within a framework, where it differs from the general label.
AREA_WORDING = {
    (Framework.ILACS, Area.LEADERSHIP): "The impact of leaders on social work practice with children and families",
    (Framework.ILACS, Area.HELP_AND_PROTECTION): "The experiences and progress of children who need help and protection",
    (Framework.ILACS, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS): (
        "The experiences and progress of children in care and care leavers"
    ),
    (Framework.ILACS, Area.CHILDREN_IN_CARE): "The experiences and progress of children in care",
    (Framework.ILACS, Area.CARE_LEAVERS): "The experiences and progress of care leavers",
    (Framework.SIF, Area.LEADERSHIP): "Leadership, management and governance",
    (Framework.SIF, Area.CARE_LEAVERS): "Experiences and progress of care leavers",
}

ILACS_SEPARATE_CARE_LEAVERS_FROM = datetime.date(2023, 1, 1)
ILACS_NO_OVERALL_FROM = datetime.date(2026, 4, 1)

FOUR_POINT_2009 = (Grade.OUTSTANDING, Grade.GOOD, Grade.ADEQUATE, Grade.INADEQUATE)
FOUR_POINT_2013 = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)


@dataclass(frozen=True)
class AreaRule:
    framework: str
    area: str
    grades: tuple
    judged_from: datetime.date | None = None
    judged_before: datetime.date | None = None
    # What stopped the judgement, in a reader's words ("the 2026 framework"), where it ended.
    ended_by: str = ""

    def dated(self, condition, date_field):
        """`condition` (a Q object) narrowed to the dates on which the rule applies: applies_on() in SQL."""
        if self.judged_from:
            condition &= models.Q(**{f"{date_field}__gte": self.judged_from})
        if self.judged_before:
            condition &= models.Q(**{f"{date_field}__lt": self.judged_before})
        return condition

    def applies_on(self, date):
        if date is None:
            return True
        if self.judged_from and date < self.judged_from:
            return False
        if self.judged_before and date >= self.judged_before:
            return False
        return True


AREA_RULES = (
    AreaRule(Framework.SAFEGUARDING_LAC_2009, Area.SAFEGUARDING_OVERALL, FOUR_POINT_2009),
    AreaRule(Framework.SAFEGUARDING_LAC_2009, Area.SAFEGUARDING_CAPACITY, FOUR_POINT_2009),
    AreaRule(Framework.SAFEGUARDING_LAC_2009, Area.LOOKED_AFTER_OVERALL, FOUR_POINT_2009),
    AreaRule(Framework.SAFEGUARDING_LAC_2009, Area.LOOKED_AFTER_CAPACITY, FOUR_POINT_2009),
    AreaRule(Framework.LOOKED_AFTER_CHILDREN, Area.LOOKED_AFTER_OVERALL, FOUR_POINT_2009),
    AreaRule(Framework.LOOKED_AFTER_CHILDREN, Area.LOOKED_AFTER_CAPACITY, FOUR_POINT_2009),
    AreaRule(Framework.SIF, Area.OVERALL_EFFECTIVENESS, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.HELP_AND_PROTECTION, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.LOOKED_AFTER_AND_PERMANENCE, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.ADOPTION, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.CARE_LEAVERS, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.LEADERSHIP, FOUR_POINT_2013),
    AreaRule(Framework.SIF, Area.LSCB, FOUR_POINT_2013),
    AreaRule(
        Framework.ILACS,
        Area.OVERALL_EFFECTIVENESS,
        FOUR_POINT_2013,
        judged_before=ILACS_NO_OVERALL_FROM,
        ended_by="the 2026 framework",
    ),
    AreaRule(Framework.ILACS, Area.LEADERSHIP, FOUR_POINT_2013),
    AreaRule(Framework.ILACS, Area.HELP_AND_PROTECTION, FOUR_POINT_2013),
    AreaRule(
        Framework.ILACS,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        FOUR_POINT_2013,
        judged_before=ILACS_SEPARATE_CARE_LEAVERS_FROM,
    ),
    AreaRule(Framework.ILACS, Area.CHILDREN_IN_CARE, FOUR_POINT_2013, judged_from=ILACS_SEPARATE_CARE_LEAVERS_FROM),
    AreaRule(Framework.ILACS, Area.CARE_LEAVERS, FOUR_POINT_2013, judged_from=ILACS_SEPARATE_CARE_LEAVERS_FROM),
)

# Inspections of all the council's children's services: a council's current grades are its latest one's.
FULL_INSPECTION_TYPES = (EventType.FULL_INSPECTION, EventType.STANDARD_INSPECTION, EventType.SHORT_INSPECTION)
# How long each kind of ILACS inspection is on site (shared/domain.md), said beside its name.
EVENT_TYPE_EXPLAINED = {
    EventType.STANDARD_INSPECTION: "two weeks on site",
    EventType.SHORT_INSPECTION: "one week on site",
}

# Only these kinds of event are graded; visits and unannounced inspections report findings only. An
# inspection of looked after children's services alone, or a review of the safeguarding board alone,
# gives grades in its own areas: history in those lines, never a council's latest full inspection.
GRADED_EVENT_TYPES = (*FULL_INSPECTION_TYPES, EventType.LOOKED_AFTER_INSPECTION, EventType.LSCB_REVIEW)
# The areas a graded event that is not a full inspection judges, whatever its framework also grades.
PARTIAL_EVENT_AREAS = {
    EventType.LOOKED_AFTER_INSPECTION: (Area.LOOKED_AFTER_OVERALL, Area.LOOKED_AFTER_CAPACITY),
    EventType.LSCB_REVIEW: (Area.LSCB,),
}


def area_rule(framework, area):
    for rule in AREA_RULES:
        if rule.framework == framework and rule.area == area:
            return rule
    return None


def areas_for(framework, date=None):
    """The areas a framework grades on a date, in Ofsted's report order."""
    return [rule.area for rule in AREA_RULES if rule.framework == framework and rule.applies_on(date)]


def grades_for(framework, area=None):
    if area is not None:
        rule = area_rule(framework, area)
        return list(rule.grades) if rule else []
    grades = []
    for rule in AREA_RULES:
        if rule.framework == framework:
            grades.extend(grade for grade in rule.grades if grade not in grades)
    return grades


def judges(framework, areas, date=None):
    """True when an inspection under `framework` on `date` judges one of `areas`."""
    return any(rule.framework == framework and rule.area in areas and rule.applies_on(date) for rule in AREA_RULES)


def framework_words(framework, date=None):
    """A framework's name for a reader, naming the 2026 rules for an ILACS inspection since April 2026."""
    if framework == Framework.ILACS and date and date >= ILACS_NO_OVERALL_FROM:
        return "ILACS, 2026 framework"
    return FRAMEWORK_LABELS.get(framework, "")


def not_judged_words(framework, areas, date=None):
    """Why an inspection under `framework` on `date` gives no grade in `areas`, in a reader's words.

    "Not given under the 2026 framework" where the framework stopped judging them; "Not judged under
    <framework>" where it never did; "" where it judges one of them (a missing grade is then a gap in
    the record, not a rule).
    """
    if judges(framework, areas, date):
        return ""
    ended_by = no_longer_judged(framework, areas, date)
    if ended_by:
        return f"Not given under {ended_by}"
    name = FRAMEWORK_IN_A_SENTENCE.get(framework, "this framework")
    return f"Not judged under {name}"


def no_longer_judged(framework, areas, date=None):
    """What stopped `framework` judging `areas` by `date` ("the 2026 framework"), or "" where nothing did."""
    for rule in AREA_RULES:
        if rule.framework == framework and rule.area in areas and rule.ended_by and not rule.applies_on(date):
            return rule.ended_by
    return ""


def judged_condition(areas, framework_field, date_field):
    """A Q object true where the inspection at (`framework_field`, `date_field`) judges one of `areas`:
    judges() in SQL."""
    clauses = [models.Q(pk__in=[])]
    for rule in AREA_RULES:
        if rule.area not in areas:
            continue
        clauses.append(rule.dated(models.Q(**{framework_field: rule.framework}), date_field))
    return functools.reduce(operator.or_, clauses)


def area_wording(framework, area):
    return AREA_WORDING.get((framework, area), Area(area).label)


def event_judges(event_type, area):
    """False where an event judges only some areas (PARTIAL_EVENT_AREAS) and not `area`."""
    return area in PARTIAL_EVENT_AREAS.get(event_type, (area,))


def judgement_problem(framework, area, grade, date=None, event_type=None):
    """Why this grade cannot stand for this area of an inspection (of `event_type`, where given), in an
    editor's words; None when it can."""
    problem = area_problem(framework, area, date, event_type)
    if problem:
        return problem
    rule = area_rule(framework, area)
    if grade not in rule.grades:
        allowed = ", ".join(f"“{Grade(g).label}”" for g in rule.grades)
        return f"“{grade_label(grade)}” is not a grade under {Framework(framework).label}; use one of {allowed}."
    return None


def event_problem(event_type, area):
    """Why an event of `event_type`, which judges only some areas, gives no judgement in `area`."""
    allowed = ", ".join(Area(a).label for a in PARTIAL_EVENT_AREAS[event_type])
    kind = EventType(event_type).label
    return f"{Area(area).label} is not judged in this kind of event ({kind}: it grades {allowed})."


def area_problem(framework, area, date=None, event_type=None):
    """Why an inspection under `framework` on `date` (of `event_type`, where given) gives no judgement in
    `area`, in an editor's words; None when it can."""
    framework_label = Framework(framework).label if framework in Framework.values else "this framework"
    if framework not in Framework.values:
        return "Choose the inspection's framework before adding judgements."
    if area not in Area.values:
        return f"“{area}” is not a judgement area."
    if not event_judges(event_type, area):
        return event_problem(event_type, area)
    rule = area_rule(framework, area)
    if rule is None:
        allowed = ", ".join(Area(a).label for a in areas_for(framework)) or "no areas"
        return f"{Area(area).label} is not judged under {framework_label} (it grades {allowed})."
    if not rule.applies_on(date):
        if rule.judged_from:
            return f"{Area(area).label} is judged separately only in inspections from {format_date(rule.judged_from)}."
        ended = f": {rule.ended_by} gives no such judgement" if rule.ended_by else ""
        return f"{Area(area).label} is not judged in inspections from {format_date(rule.judged_before)}{ended}."
    return None


def areas_offered(framework, date=None, event_type=None):
    """The admin's area menu for an inspection: {area: why it gives no judgement there} for each area its
    framework judges at some date or in some kind of event, None where it can be judged."""
    return {
        rule.area: area_problem(framework, rule.area, date, event_type)
        for rule in AREA_RULES
        if rule.framework == framework
    }


def valid_judgement_condition(framework_field="framework", date_field="inspection_start_date"):
    """A Q object true exactly for the (framework, area, grade, date) combinations AREA_RULES allows.

    Used as a CheckConstraint so the database itself refuses an invalid grade.
    """
    clauses = []
    for rule in AREA_RULES:
        clause = models.Q(**{framework_field: rule.framework, "area": rule.area, "grade__in": list(rule.grades)})
        clauses.append(rule.dated(clause, date_field))
    return functools.reduce(operator.or_, clauses)


def rules_for_browser():
    """AREA_RULES as plain data, for the admin script that narrows the judgement menus as an editor types,
    with area_problem()'s words for an area outside its dates (too_early, too_late) and for an area a kind of
    event does not judge (event_problems: {event type: {area: words}}), and each area's name (labels)."""
    day = datetime.timedelta(days=1)
    rules = []
    for rule in AREA_RULES:
        rules.append(
            {
                "framework": str(rule.framework),
                "area": str(rule.area),
                "grades": [str(grade) for grade in rule.grades],
                "judged_from": iso(rule.judged_from),
                "judged_before": iso(rule.judged_before),
                "too_early": area_problem(rule.framework, rule.area, rule.judged_from - day) if rule.judged_from else None,
                "too_late": area_problem(rule.framework, rule.area, rule.judged_before) if rule.judged_before else None,
            }
        )
    event_problems = {
        str(event_type): {
            str(area): event_problem(event_type, area)
            for area in Area.values
            if not event_judges(event_type, area)
        }
        for event_type in PARTIAL_EVENT_AREAS
    }
    labels = {str(value): str(label) for value, label in Area.choices}
    return {"rules": rules, "event_problems": event_problems, "labels": labels}
