"""One inspection as a file gives it, matched to what the database holds and written in bulk.

InspectionRecord and InspectionWriter: a record is matched on council + type + start date, report URL,
publication date or overlapping dates; then created or updated. Rows entered by hand (or read by another
importer) are never changed, and where a file disagrees with them the conflict is reported.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history

from councils.models import Council

from .. import national_cache
from ..frameworks import GRADED_EVENT_TYPES, Area, EventType, Grade, judgement_problem
from ..models import Inspection, Judgement, Origin, Source
from .ofsted_wording import area_for_role
from .provenance import IMPORT_CHANGE_REASON, edited_by_hand

# --- inspections -----------------------------------------------------------------------------------


def family(event_type):
    """Graded inspections are one family (a file may call one "standard" and another "full")."""
    return "graded" if event_type is None or event_type in GRADED_EVENT_TYPES else event_type


@dataclass
class InspectionRecord:
    """One inspection or visit as a file gives it."""

    council: Council
    event_type: str | None  # None: graded, type not given (Ofsted's latest-grades sheet)
    framework: str
    start_date: datetime.date | None
    published_date: datetime.date | None = None
    end_date: datetime.date | None = None
    theme: str = ""
    lead_inspector: str = ""
    report_url: str = ""
    grades: dict = field(default_factory=dict)  # role -> grade
    where: str = ""
    type_is_guess: bool = False  # event type and framework inferred, not stated by the file

    @property
    def family(self):
        return family(self.event_type)


class _Held:
    """An inspection the writer knows of, with its judgements and sources."""

    __slots__ = ("inspection", "judgements", "source_ids", "is_new", "changed", "new_judgements", "changed_judgements", "link_source", "touched")

    def __init__(self, inspection, judgements=None, source_ids=None, is_new=False):
        self.inspection = inspection
        self.judgements = judgements or {}
        self.source_ids = source_ids or set()
        self.is_new = is_new
        self.changed = set()
        self.new_judgements = []
        self.changed_judgements = []
        self.link_source = False
        self.touched = False


def describe(inspection):
    kind = EventType(inspection.event_type).label.lower() if inspection.event_type in EventType.values else "inspection"
    if inspection.start_date:
        when = f"starting {inspection.start_date:%-d %b %Y}"
    elif inspection.published_date:
        when = f"published {inspection.published_date:%-d %b %Y}"
    else:
        when = "undated"
    return f"{inspection.council.name}, {kind} {when}"


def _comparable(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^\w\s/:]", " ", text).split()).casefold()


def _same_text(a, b):
    """Equal but for case, accents, punctuation and spacing ("A. Inspector" = "a inspector")."""
    return _comparable(a) == _comparable(b)


ORIGIN_WORDS = {
    Origin.MANUAL: "entered by hand",
    Origin.REPORT_PDF: "read from a report PDF",
    Origin.OFSTED_OUTCOMES: "imported, then edited by hand",
}


class InspectionWriter:
    """Applies InspectionRecords to the database: match, create or update, report conflicts.

    `official` is True for Ofsted's official statistics: where the official statistics and another file
    disagree on an inspection's type, dates or grades, the official statistics win, whichever file is
    imported first. Only inspections this importer made (origin "ofsted_outcomes") are ever changed.
    """

    OFFICIAL_FIELDS = ("event_type", "framework", "start_date", "published_date", "theme")
    OTHER_FIELDS = ("end_date", "lead_inspector", "report_url")

    def __init__(self, source, summary, *, official):
        self.source = source
        self.summary = summary
        self.official = official
        self.official_source_ids = set(
            Source.objects.filter(kind=Source.Kind.OFSTED_STATISTICS).values_list("pk", flat=True)
        )
        if official:
            self.official_source_ids.add(source.pk)
        judgements = defaultdict(dict)
        for judgement in Judgement.objects.all():
            judgements[judgement.inspection_id][judgement.area] = judgement
        links = defaultdict(set)
        for inspection_id, source_id in Inspection.sources.through.objects.values_list("inspection_id", "source_id"):
            links[inspection_id].add(source_id)
        self.hand_edited = edited_by_hand(Inspection, IMPORT_CHANGE_REASON)
        self.hand_edited_judgements = edited_by_hand(Judgement, IMPORT_CHANGE_REASON)
        self.by_council = defaultdict(list)
        self.held = []
        for inspection in Inspection.objects.select_related("council"):
            held = _Held(inspection, judgements[inspection.pk], links[inspection.pk])
            self.by_council[inspection.council_id].append(held)
            self.held.append(held)

    # matching

    def match(self, record):
        candidates = self.by_council[record.council.pk]
        same_family = [h for h in candidates if family(h.inspection.event_type) == record.family]
        if record.start_date:
            for held in same_family:
                i = held.inspection
                if i.start_date == record.start_date and (record.event_type is None or i.event_type == record.event_type):
                    return held
        if record.report_url:
            for held in candidates:
                if held.inspection.report_url and held.inspection.report_url == record.report_url:
                    return held
        if record.published_date:
            found = [h for h in same_family if h.inspection.published_date == record.published_date]
            if found:
                return self._closest(found, record)
        if record.start_date:
            record_end = record.end_date or record.start_date
            found = [
                h
                for h in same_family
                if h.inspection.start_date
                and h.inspection.start_date <= record_end
                and record.start_date <= (h.inspection.end_date or h.inspection.start_date)
            ]
            if found:
                return self._closest(found, record)
        return None

    @staticmethod
    def _closest(found, record):
        if len(found) == 1 or not record.start_date:
            return found[0]
        return min(found, key=lambda h: abs((h.inspection.start_date or record.start_date) - record.start_date))

    # applying

    def apply(self, record):
        held = self.match(record)
        if held is None:
            self._create(record)
            return
        held.touched = True
        inspection = held.inspection
        if inspection.origin != Origin.OFSTED_OUTCOMES or inspection.pk in self.hand_edited:
            self._report_differences(held, record)
            return
        self._merge(held, record)
        self._merge_judgements(held, record)
        if self.source.pk not in held.source_ids:
            held.source_ids.add(self.source.pk)
            held.link_source = True

    def _create(self, record):
        if record.event_type is None:
            self.summary.skip("inspection type not given and no matching inspection", record.where)
            return
        inspection = Inspection(
            council=record.council,
            event_type=record.event_type,
            framework=record.framework or "",
            theme=record.theme[:200],
            start_date=record.start_date,
            end_date=record.end_date if record.end_date and record.start_date and record.end_date >= record.start_date else None,
            published_date=record.published_date,
            lead_inspector=record.lead_inspector[:200],
            report_url=record.report_url[:500],
            status=Inspection.Status.PUBLISHED,
            origin=Origin.OFSTED_OUTCOMES,
        )
        if record.end_date and inspection.end_date is None:
            self.summary.skip("end date before start date (end date left blank)", record.where)
        held = _Held(inspection, is_new=True, source_ids={self.source.pk})
        held.touched = True
        held.link_source = True
        self.by_council[record.council.pk].append(held)
        self.held.append(held)
        self._merge_judgements(held, record)

    def _clashes(self, held, event_type, start_date):
        if start_date is None:
            return False
        return any(
            other is not held
            and other.inspection.event_type == event_type
            and other.inspection.start_date == start_date
            for other in self.by_council[held.inspection.council_id]
        )

    def _merge(self, held, record):
        inspection = held.inspection
        official_owner = bool(held.source_ids & self.official_source_ids) and not self.official
        for name in self.OFFICIAL_FIELDS:
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or new == old:
                continue
            if name in ("event_type", "framework") and record.type_is_guess:
                continue
            if old not in (None, "") and official_owner:
                if name == "theme" and _same_text(old, new):
                    continue
                self.summary.conflict(
                    f"{describe(inspection)}: {name.replace('_', ' ')} is {old} in Ofsted's official statistics, "
                    f"{new} in {self.summary.name} ({record.where}); kept the official statistics'."
                )
                continue
            if name in ("event_type", "start_date"):
                event_type = new if name == "event_type" else inspection.event_type
                start_date = new if name == "start_date" else inspection.start_date
                if self._clashes(held, event_type, start_date):
                    self.summary.conflict(
                        f"{describe(inspection)}: {self.summary.name} ({record.where}) gives {name.replace('_', ' ')} "
                        f"{new}, which another inspection already has; left as it is."
                    )
                    continue
                if name == "start_date" and self._judgements_invalid_on(held, new):
                    self.summary.conflict(
                        f"{describe(inspection)}: {self.summary.name} ({record.where}) gives start date {new}, "
                        "on which its judgements would not be valid; left as it is."
                    )
                    continue
            setattr(inspection, name, new)
            held.changed.add(name)
        if self.official:
            return  # the official statistics give no end date, lead inspector or report
        for name in self.OTHER_FIELDS:
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or new == old:
                continue
            setattr(inspection, name, new)
            held.changed.add(name)
        if inspection.end_date and inspection.start_date and inspection.end_date < inspection.start_date:
            self.summary.conflict(
                f"{describe(inspection)}: end date {inspection.end_date} is before the start date; end date left blank."
            )
            inspection.end_date = None
            held.changed.add("end_date")

    def _judgements_invalid_on(self, held, start_date):
        framework = held.inspection.framework
        return any(
            judgement_problem(framework, area, judgement.grade, start_date)
            for area, judgement in held.judgements.items()
        )

    def _merge_judgements(self, held, record):
        if not record.grades:
            return
        inspection = held.inspection
        if inspection.event_type not in GRADED_EVENT_TYPES:
            self.summary.skip("grades given for a visit, which is not graded", record.where)
            return
        if inspection.start_date is None:
            self.summary.skip("grades not stored: the inspection has no start date", record.where)
            return
        for role, grade in record.grades.items():
            area = area_for_role(role, inspection.start_date)
            problem = judgement_problem(inspection.framework, area, grade, inspection.start_date)
            if problem:
                self.summary.skip(f"grade not stored: {problem}", record.where)
                continue
            judgement = held.judgements.get(area)
            if judgement is None:
                judgement = Judgement(inspection=inspection, area=area, grade=grade, source=self.source)
                held.judgements[area] = judgement
                held.new_judgements.append(judgement)
            elif judgement.grade == grade:
                continue
            elif judgement.pk is None:  # made from another row of this file
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in one row "
                    f"and {Grade(grade).label} in another ({record.where}); kept the first."
                )
            elif judgement.pk in self.hand_edited_judgements:
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in the database "
                    f"(edited by hand), {Grade(grade).label} in {self.summary.name} ({record.where}); "
                    "kept the database's."
                )
            elif judgement.source_id in self.official_source_ids and not self.official:
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in Ofsted's "
                    f"official statistics, {Grade(grade).label} in {self.summary.name} ({record.where}); "
                    "kept the official statistics'."
                )
            else:
                judgement.grade = grade
                judgement.source = self.source
                held.changed_judgements.append(judgement)

    def _report_differences(self, held, record):
        inspection = held.inspection
        differences = []
        for name in (*self.OFFICIAL_FIELDS, *self.OTHER_FIELDS):
            if name in ("framework",) or (name == "event_type" and record.type_is_guess):
                continue
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or old in (None, "") or new == old:
                continue
            if isinstance(new, str) and _same_text(new, old):
                continue
            differences.append(f"{name.replace('_', ' ')} {old} in the database, {new} in the file")
        if inspection.start_date:
            for role, grade in record.grades.items():
                area = area_for_role(role, inspection.start_date)
                judgement = held.judgements.get(area)
                if judgement is not None and judgement.grade != grade:
                    differences.append(
                        f"{Area(area).label} {Grade(judgement.grade).label} in the database, "
                        f"{Grade(grade).label} in the file"
                    )
        origin = ORIGIN_WORDS.get(inspection.origin, inspection.origin)
        if differences:
            self.summary.conflict(
                f"{describe(inspection)} ({origin}) and {self.summary.name} ({record.where}) disagree: "
                + "; ".join(differences)
                + "; kept the database's."
            )
        self.summary.skip(f"already in the database, {origin}: left as it is", describe(inspection))

    # writing

    def finish(self):
        """Write what apply() decided, in bulk, and count it."""
        national_cache.invalidate()  # bulk_create sends no signals
        new = [h for h in self.held if h.is_new]
        if new:
            bulk_create_with_history(
                [h.inspection for h in new], Inspection, default_change_reason=IMPORT_CHANGE_REASON
            )
            self.summary.count_created("inspections", len(new))
        new_judgements, links = [], []
        for held in self.held:
            if not held.touched:
                continue
            inspection = held.inspection
            if held.changed and not held.is_new:
                inspection._change_reason = IMPORT_CHANGE_REASON
                inspection.save()
            for judgement in held.changed_judgements:
                judgement._change_reason = IMPORT_CHANGE_REASON
                judgement.save()
            for judgement in held.new_judgements:
                judgement.inspection = inspection
                judgement.framework = inspection.framework
                judgement.inspection_start_date = inspection.start_date
                new_judgements.append(judgement)
            if held.link_source:
                links.append(Inspection.sources.through(inspection_id=inspection.pk, source_id=self.source.pk))
            if held.is_new or held.inspection.origin != Origin.OFSTED_OUTCOMES or inspection.pk in self.hand_edited:
                continue
            if held.changed or held.changed_judgements or held.new_judgements or held.link_source:
                self.summary.count_updated("inspections")
            else:
                self.summary.count_unchanged("inspections")
        if new_judgements:
            bulk_create_with_history(new_judgements, Judgement, default_change_reason=IMPORT_CHANGE_REASON)
            self.summary.count_created("judgements", len(new_judgements))
        changed_judgements = sum(len(h.changed_judgements) for h in self.held)
        if changed_judgements:
            self.summary.count_updated("judgements", changed_judgements)
        if links:
            Inspection.sources.through.objects.bulk_create(links, ignore_conflicts=True)
