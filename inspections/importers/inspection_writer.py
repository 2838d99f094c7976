"""One inspection as a file gives it, matched to what the database holds and written in bulk.

InspectionRecord and InspectionWriter: a record is matched on council + type + start date, report URL,
publication date or overlapping dates; then created or updated. Rows entered by hand (or edited in the
admin) are never changed, and where a file disagrees with them the conflict is reported.

Between importers, sources rank: Ofsted's official statistics, then the report itself (read from its
PDF), then other files (the per-report history CSV). A value given by a higher-ranked source stands; a
lower-ranked source only fills what is empty. Wherever two sources give different values, the conflict
is listed in the import's summary and kept as a Disagreement (both values, both sources) for the pages.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history

from councils.models import Council

from .. import national_cache
from ..frameworks import FULL_INSPECTION_TYPES, GRADED_EVENT_TYPES, Area, EventType, Grade, grade_label, judgement_problem
from ..dates import format_date
from ..models import Disagreement, Inspection, Judgement, Origin, Source
from .ofsted_wording import area_for_role
from .provenance import IMPORT_CHANGE_REASON, edited_by_hand

# --- inspections -----------------------------------------------------------------------------------


def family(event_type):
    """Full inspections are one family (a file may call one "standard" and another "full")."""
    return "graded" if event_type is None or event_type in FULL_INSPECTION_TYPES else event_type


@dataclass
class InspectionRecord:
    """One inspection or visit as a file gives it."""

    council: Council
    event_type: str | None  # None: a full inspection, type not given (matched to one the database holds)
    framework: str
    start_date: datetime.date | None
    published_date: datetime.date | None = None
    end_date: datetime.date | None = None
    theme: str = ""
    lead_inspector: str = ""
    report_url: str = ""
    grades: dict = field(default_factory=dict)  # role -> grade
    where: str = ""
    judgements: dict = field(default_factory=dict)  # area -> grade, where the file names the areas itself
    source: Source | None = None  # where the record's facts come from, if not the writer's source (one per report)

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


def person_name(text):
    """A person's name as a file gives it, but for spacing: runs of spaces, and the spaces a machine reading put
    beside a hyphen ("Paula Thomson -Jones" is "Paula Thomson-Jones"). Letters and their case stay as given."""
    return re.sub(r"(?<=\w) ?- ?(?=\w)", "-", " ".join(str(text or "").split()))


def _same_text(a, b):
    """Equal but for case, accents, punctuation and spacing ("A. Inspector" = "a inspector")."""
    return _comparable(a) == _comparable(b)


# Which source's value stands where two give different ones (higher first); any other kind ranks 1.
SOURCE_RANKS = {Source.Kind.OFSTED_STATISTICS: 3, Source.Kind.OFSTED_REPORT: 2}


def shown_value(name, value):
    """A value as the pages show it, for a disagreement: dates in words, grades and types by their labels."""
    if isinstance(value, datetime.date):
        return format_date(value)
    if name == "event_type" and value in EventType.values:
        return EventType(value).label
    if name in Area.values:
        return grade_label(value)
    return str(value)


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

    def __init__(self, source, summary, *, official, origin=Origin.OFSTED_OUTCOMES):
        self.source = source
        self.summary = summary
        self.official = official
        self.origin = origin
        self.source_kinds = dict(Source.objects.values_list("pk", "kind"))
        if source is not None:
            self.source_kinds[source.pk] = source.kind
        self.official_source_ids = {pk for pk, kind in self.source_kinds.items() if kind == Source.Kind.OFSTED_STATISTICS}
        if official:
            self.official_source_ids.add(source.pk)
        self.disagreements = {}
        self.known_disagreements = set(
            Disagreement.objects.order_by().values_list("inspection_id", "subject", "other_source_id")
        )
        judgements = defaultdict(dict)
        for judgement in Judgement.objects.order_by():
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

    # sources

    def _source(self, record):
        return record.source or self.source

    def _rank(self, source_id):
        if source_id in self.official_source_ids:
            return SOURCE_RANKS[Source.Kind.OFSTED_STATISTICS]
        return SOURCE_RANKS.get(self.source_kinds.get(source_id), 1)

    def _owner(self, held, name):
        """The source an inspection's value of `name` is taken to come from: its highest-ranked source that
        gives such a value (the official statistics give no end date, lead inspector or report)."""
        ids = held.source_ids - self.official_source_ids if name in self.OTHER_FIELDS else held.source_ids
        return max(sorted(ids), key=self._rank, default=None)

    def _words(self, source_id):
        if source_id in self.official_source_ids:
            return "Ofsted's official statistics", "the official statistics'"
        return "the report", "the report's"

    def _disagree(self, held, subject, kept, kept_source_id, other, other_source_id, record):
        """Keep both values and both sources of a fact two sources give differently (written by finish())."""
        if other_source_id is None or kept_source_id == other_source_id:
            return
        key = (held, str(subject), other_source_id)
        if key not in self.disagreements:
            self.disagreements[key] = Disagreement(
                subject=str(subject),
                kept_value=shown_value(subject, kept)[:300],
                kept_source_id=kept_source_id,
                other_value=shown_value(subject, other)[:300],
                other_source_id=other_source_id,
            )

    # applying

    def importable(self, inspection):
        """Whether an importer may change an inspection: made by an importer and not edited by hand since."""
        return inspection.origin != Origin.MANUAL and inspection.pk not in self.hand_edited

    def apply(self, record):
        """Match, then create or merge; returns what the writer holds for the record's inspection (or None)."""
        source = self._source(record)
        held = self.match(record)
        if held is None:
            return self._create(record)
        held.touched = True
        inspection = held.inspection
        if not self.importable(inspection):
            self._report_differences(held, record)
            return held
        self._merge(held, record)
        self._merge_judgements(held, record)
        if self.origin != inspection.origin and self.origin == Origin.REPORT_PDF:
            # The report itself now gives what the history file lacked; the official statistics' stay theirs.
            if not held.source_ids & self.official_source_ids:
                inspection.origin = self.origin
                held.changed.add("origin")
        if source.pk not in held.source_ids:
            held.source_ids.add(source.pk)
            held.link_source = True
        return held

    def _create(self, record):
        if record.event_type is None:
            self.summary.skip("inspection type not given and no matching inspection", record.where)
            return None
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
            origin=self.origin,
        )
        if record.end_date and inspection.end_date is None:
            self.summary.skip("end date before start date (end date left blank)", record.where)
        held = _Held(inspection, is_new=True, source_ids={self._source(record).pk})
        held.touched = True
        held.link_source = True
        self.by_council[record.council.pk].append(held)
        self.held.append(held)
        self._merge_judgements(held, record)
        return held

    def _clashes(self, held, event_type, start_date):
        if start_date is None:
            return False
        return any(
            other is not held
            and other.inspection.event_type == event_type
            and other.inspection.start_date == start_date
            for other in self.by_council[held.inspection.council_id]
        )

    def _outranked(self, held, record, name, old, new):
        """Whether the stored value (old) stands against the record's (new): its source ranks higher. Either
        way, two different values are a disagreement, kept with both sources."""
        source = self._source(record)
        owner = self._owner(held, name)
        if old in (None, ""):
            return False
        if owner is not None and self._rank(owner) > self._rank(source.pk):
            words, kept = self._words(owner)
            self.summary.conflict(
                f"{describe(held.inspection)}: {name.replace('_', ' ')} is {old} in {words}, "
                f"{new} in {self.summary.name} ({record.where}); kept {kept}."
            )
            self._disagree(held, name, old, owner, new, source.pk, record)
            return True
        if owner is not None and owner != source.pk:
            self.summary.conflict(
                f"{describe(held.inspection)}: {name.replace('_', ' ')} is {old} in an earlier file, "
                f"{new} in {self.summary.name} ({record.where}); took {self.summary.name}'s."
            )
            self._disagree(held, name, new, source.pk, old, owner, record)
        return False

    def _merge(self, held, record):
        inspection = held.inspection
        for name in self.OFFICIAL_FIELDS:
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or new == old:
                continue
            if isinstance(old, str) and old and _same_text(old, new):
                continue  # the same words, written differently: the first spelling stays
            if self._outranked(held, record, name, old, new):
                continue
            if name == "framework" and self._judgements_invalid_on(held, inspection.start_date, new):
                self.summary.conflict(
                    f"{describe(inspection)}: {self.summary.name} ({record.where}) gives framework {new}, "
                    "under which its judgements would not be valid; left as it is."
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
            # A name is shown as printed: spelt differently ("Jenny-Ellen", "Jenny-ellen"), the better source's
            # spelling stands and the other is kept as a disagreement.
            if name != "lead_inspector" and isinstance(old, str) and old and _same_text(old, new):
                continue
            if self._outranked(held, record, name, old, new):
                continue
            setattr(inspection, name, new)
            held.changed.add(name)
        if inspection.end_date and inspection.start_date and inspection.end_date < inspection.start_date:
            self.summary.conflict(
                f"{describe(inspection)}: end date {inspection.end_date} is before the start date; end date left blank."
            )
            inspection.end_date = None
            held.changed.add("end_date")

    def _judgements_invalid_on(self, held, start_date, framework=None):
        framework = framework or held.inspection.framework
        return any(
            judgement_problem(framework, area, judgement.grade, start_date, held.inspection.event_type)
            for area, judgement in held.judgements.items()
        )

    @staticmethod
    def _graded_areas(record, start_date):
        """(area, grade) pairs of a record: its grade columns by role, then the areas it names itself."""
        pairs = [(area_for_role(role, start_date), grade) for role, grade in record.grades.items()]
        return pairs + list(record.judgements.items())

    def _merge_judgements(self, held, record):
        if not record.grades and not record.judgements:
            return
        source = self._source(record)
        inspection = held.inspection
        if inspection.event_type not in GRADED_EVENT_TYPES:
            self.summary.skip("grades given for a visit, which is not graded", record.where)
            return
        if inspection.start_date is None:
            self.summary.skip("grades not stored: the inspection has no start date", record.where)
            return
        for area, grade in self._graded_areas(record, inspection.start_date):
            problem = judgement_problem(inspection.framework, area, grade, inspection.start_date, inspection.event_type)
            if problem:
                self.summary.skip(f"grade not stored: {problem}", record.where)
                continue
            judgement = held.judgements.get(area)
            if judgement is None:
                judgement = Judgement(inspection=inspection, area=area, grade=grade, source=source)
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
                self._disagree(held, area, judgement.grade, judgement.source_id, grade, source.pk, record)
            elif self._rank(judgement.source_id) > self._rank(source.pk):
                words, kept = self._words(judgement.source_id)
                self.summary.conflict(
                    f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in "
                    f"{words}, {Grade(grade).label} in {self.summary.name} ({record.where}); kept {kept}."
                )
                self._disagree(held, area, judgement.grade, judgement.source_id, grade, source.pk, record)
            else:
                if judgement.source_id != source.pk:
                    self.summary.conflict(
                        f"{describe(inspection)}: {Area(area).label} is {Grade(judgement.grade).label} in an "
                        f"earlier file, {Grade(grade).label} in {self.summary.name} ({record.where}); "
                        f"took {self.summary.name}'s."
                    )
                    self._disagree(held, area, grade, source.pk, judgement.grade, judgement.source_id, record)
                judgement.grade = grade
                judgement.source = source
                held.changed_judgements.append(judgement)

    def _report_differences(self, held, record):
        inspection = held.inspection
        differences = []
        for name in (*self.OFFICIAL_FIELDS, *self.OTHER_FIELDS):
            if name == "framework":
                continue
            new, old = getattr(record, name), getattr(inspection, name)
            if new in (None, "") or old in (None, "") or new == old:
                continue
            if isinstance(new, str) and _same_text(new, old):
                continue
            differences.append(f"{name.replace('_', ' ')} {old} in the database, {new} in the file")
            self._disagree(held, name, old, None, new, self._source(record).pk, record)
        if inspection.start_date:
            for area, grade in self._graded_areas(record, inspection.start_date):
                judgement = held.judgements.get(area)
                if judgement is not None and judgement.grade != grade:
                    differences.append(
                        f"{Area(area).label} {Grade(judgement.grade).label} in the database, "
                        f"{Grade(grade).label} in the file"
                    )
                    source_id = self._source(record).pk
                    self._disagree(held, area, judgement.grade, judgement.source_id, grade, source_id, record)
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
        # bulk_create sends no signals: the councils of the records applied are all this writes to (and
        # what the report archive's findings are attached to after it).
        national_cache.invalidate(councils={held.inspection.council_id for held in self.held if held.touched})
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
                links.extend(
                    Inspection.sources.through(inspection_id=inspection.pk, source_id=source_id)
                    for source_id in held.source_ids
                )
            if held.is_new or not self.importable(held.inspection):
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
        new_disagreements = []
        for (held, subject, other_source_id), disagreement in self.disagreements.items():
            if (held.inspection.pk, subject, other_source_id) in self.known_disagreements:
                continue
            disagreement.inspection = held.inspection
            new_disagreements.append(disagreement)
        if new_disagreements:
            # Not counted as a change of the record: each is one of the conflicts the summary lists.
            Disagreement.objects.bulk_create(new_disagreements, ignore_conflicts=True)
