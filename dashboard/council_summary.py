"""The plain summary that opens a council's page: when Ofsted last inspected, under which framework (said in
words), what it judged, what it said needs to improve and what comes next. A plain function over what the
page has already fetched: it makes no query of its own."""

from dataclasses import dataclass, field

from inspections.frameworks import EVENT_TYPE_EXPLAINED, framework_explained, no_longer_judged
from inspections.models import Finding

# What the summary lists of the latest report: what it asks the council to do, most urgent first.
ASKED_KINDS = (Finding.Kind.AREA_FOR_PRIORITY_ACTION, Finding.Kind.WHAT_NEEDS_TO_IMPROVE)
SHOWN_POINTS = 6


@dataclass(frozen=True)
class CouncilSummary:
    inspection: object  # the latest full inspection
    kind: str  # "a short inspection (one week on site)"
    framework: str  # the framework explained, "" where the record does not say
    overall: str  # the overall grade's label, lower case; "" where none was given
    overall_ended_by: str  # what stopped the framework giving one ("the 2026 framework"), or ""
    leaders: str  # the grade of the impact of leaders (or leadership), lower case, or ""
    asked: list = field(default_factory=list)  # the first findings of ASKED_KINDS
    asked_total: int = 0


def council_summary(last_full, latest_grades):
    """The summary of a council's latest full inspection (grades.latest_full_inspection) from its current grades
    (grades.latest_grades); None without a full inspection."""
    if last_full is None:
        return None
    kind = last_full.get_event_type_display().lower()
    if last_full.event_type in EVENT_TYPE_EXPLAINED:
        kind = f"{kind} ({EVENT_TYPE_EXPLAINED[last_full.event_type]})"
    by_line = {entry.line.key: entry for entry in latest_grades}

    def grade(key):
        entry = by_line.get(key)
        return entry.current.judgement.get_grade_display().lower() if entry and entry.current else ""

    placed = last_full.placed_on
    overall = by_line.get("overall_effectiveness")
    ended_by = no_longer_judged(last_full.framework, overall.line.areas, placed) if overall else ""
    asked = [finding for finding in last_full.findings.all() if finding.kind in ASKED_KINDS]
    asked.sort(key=lambda finding: ASKED_KINDS.index(finding.kind))
    return CouncilSummary(
        inspection=last_full,
        kind=kind,
        framework=framework_explained(last_full.framework, placed),
        overall=grade("overall_effectiveness"),
        overall_ended_by=ended_by,
        leaders=grade("leaders"),
        asked=asked[:SHOWN_POINTS],
        asked_total=len(asked),
    )
