"""Ofsted's words in its files, read as grades, kinds of event and judgement areas.

The files' sentinels (`data_unreadable`, `inspection_pre_dates_judgement`, `not_reported_post_reform`,
blanks, "Not yet inspected") become absent values with a reason, never a grade.
"""

from ..frameworks import ILACS_SEPARATE_CARE_LEAVERS_FROM, Area, EventType, Framework, Grade

NOT_YET_INSPECTED = "not yet inspected"

# The files' words for "no judgement here": never a grade.
SENTINELS = {
    "": "blank",
    "data_unreadable": "data_unreadable",
    "inspection_pre_dates_judgement": "inspection_pre_dates_judgement",
    "not_reported_post_reform": "not_reported_post_reform",
    NOT_YET_INSPECTED: "Not yet inspected",
    "-": "blank",
    "n/a": "n/a",
    "not applicable": "n/a",
}

GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
}


def parse_grade(value):
    """(grade, None) for Ofsted's wording of a grade; (None, reason) for a sentinel, a blank or other text."""
    text = " ".join(str(value if value is not None else "").split()).rstrip(".")
    key = text.lower()
    if key in GRADE_WORDS:
        return GRADE_WORDS[key], None
    if key in SENTINELS:
        return None, f"judgement not given: {SENTINELS[key]}"
    return None, f"grade not recognised: {text!r}"


def parse_event_type(text):
    """(event type, framework) for Ofsted's wording, e.g. "ILACS Focused Visit"; (None, None) if unknown."""
    key = " ".join(str(text or "").lower().split())
    if "jtai" in key or "joint targeted" in key:
        return EventType.JTAI, Framework.JTAI
    if "focused" in key or "focussed" in key:
        return EventType.FOCUSED_VISIT, Framework.ILACS
    if "monitoring" in key:
        return EventType.MONITORING_VISIT, Framework.ILACS
    if "short" in key:
        return EventType.SHORT_INSPECTION, Framework.ILACS
    if "standard" in key:
        return EventType.STANDARD_INSPECTION, Framework.ILACS
    return None, None


# Columns of Ofsted's files, by role; the area of "in_care" depends on the inspection's date.
ROLE_AREAS = {
    "overall": Area.OVERALL_EFFECTIVENESS,
    "leaders": Area.LEADERSHIP,
    "help": Area.HELP_AND_PROTECTION,
    "care_leavers": Area.CARE_LEAVERS,
}
GRADE_ROLES = ("overall", "leaders", "help", "in_care", "care_leavers")


def area_for_role(role, start_date):
    """Ofsted's column "children in care" held the joint judgement on children in care and care leavers
    for inspections before 2023, when care leavers began to be judged separately."""
    if role == "in_care":
        if start_date and start_date < ILACS_SEPARATE_CARE_LEAVERS_FROM:
            return Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS
        return Area.CHILDREN_IN_CARE
    return ROLE_AREAS[role]


def parse_grades(values, summary, where):
    """{role: grade} from a row's grade cells; absent and unrecognised values are counted, never graded."""
    grades = {}
    for role in GRADE_ROLES:
        if role not in values:
            continue
        grade, reason = parse_grade(values[role])
        if grade:
            grades[role] = grade
        else:
            summary.skip(reason, where if reason.startswith("grade not") else None)
    return grades
