"""Realistic synthetic data for measuring the app at national scale and beyond.

Councils are named "Synthetic council NNNN" and coded with an S prefix (Ofsted URN "S…", ONS code
"S…", no DfE code, since real DfE codes use all three digits' space), so they never collide with real
ones. Every inspection history follows the framework rules in frameworks.py, so the data passes the
same database constraints as real data.

Scale N is N Englands: each run of 153 councils has nine regions and statistical neighbours of its own
(ten, drawn from its own 153), so a region and a council's comparison tables are as large at scale 10
as in England, while national pages and exports hold ten times England's rows.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from councils.models import Council, Region, StatisticalNeighbour

from . import national_cache
from .frameworks import AREA_RULES, EventType, Framework, areas_for
from .metrics import METRICS
from .models import Finding, Inspection, Judgement, KeyFigure, Origin, Source

REAL_COUNCILS = 153
REGIONS = 9
NEIGHBOURS = 10
SLUG_PREFIX = "synthetic-"
SOURCE_KEY = "synthetic-data"
BATCH = 5000

# (framework, event type, first year, last year): the kinds of event each period had.
PERIODS = (
    (Framework.UNANNOUNCED_2009, EventType.UNANNOUNCED_INSPECTION, 2009, 2012),
    (Framework.SAFEGUARDING_LAC_2009, EventType.FULL_INSPECTION, 2009, 2012),
    (Framework.SIF, EventType.FULL_INSPECTION, 2014, 2017),
    (Framework.SIF, EventType.MONITORING_VISIT, 2014, 2017),
    (Framework.ILACS, EventType.STANDARD_INSPECTION, 2018, 2026),
    (Framework.ILACS, EventType.SHORT_INSPECTION, 2018, 2026),
    (Framework.ILACS, EventType.FOCUSED_VISIT, 2018, 2026),
    (Framework.ILACS, EventType.MONITORING_VISIT, 2018, 2026),
    (Framework.JTAI, EventType.JTAI, 2016, 2026),
)
THEMES = (
    "Front door",
    "Children in need or subject to a child protection plan",
    "Children in care",
    "Care leavers",
    "Achieving permanence",
    "Vulnerable adolescents",
)
INSPECTORS = (
    "Alex Morgan", "Sam Patel", "Jordan Lee", "Chris Okafor", "Robin Hughes", "Taylor Singh", "Jamie Walsh",
    "Morgan Ellis", "Casey Brown", "Drew Kaur", "Avery Clarke", "Riley Evans",
)
SUBJECTS = (
    "Caseloads", "Management oversight", "The quality of assessments", "Supervision of social workers",
    "Planning for children in care", "Pathway plans for care leavers", "Return home interviews",
    "Strategy discussions", "Private fostering arrangements", "Placement sufficiency", "Early help",
    "The multi-agency safeguarding hub", "Quality assurance", "Permanence planning", "Life-story work",
)
VERDICTS = (
    "are too high in some teams", "is not consistently effective", "is variable in quality",
    "is not recorded consistently", "is strong and well embedded", "has improved since the last inspection",
    "needs to be timelier for some children", "is thorough and child-centred", "lacks rigour",
)


@dataclass
class Progress:
    """Counts what has been written, reporting each step to a callback (the command's progress line)."""

    report: Callable[[str], None] = print
    counts: dict = field(default_factory=dict)

    def add(self, name, number):
        self.counts[name] = self.counts.get(name, 0) + number
        self.report(", ".join(f"{count:,} {label}" for label, count in self.counts.items()))


class RealDataPresent(Exception):
    pass


def real_data_present():
    return Council.objects.exclude(slug__startswith=SLUG_PREFIX).exists()


def _graded_rules(framework, date):
    areas = set(areas_for(framework, date))
    return [rule for rule in AREA_RULES if rule.framework == framework and rule.area in areas]


def _inspection_history(rng, council, events_per_council):
    """About `events_per_council` events spread across 2009-2026, in date order, never two on a day."""
    history = []
    used = set()
    for _ in range(events_per_council):
        framework, event_type, first, last = rng.choice(PERIODS)
        start = datetime.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))
        if (event_type, start) in used:
            continue
        used.add((event_type, start))
        length = {EventType.STANDARD_INSPECTION: 11, EventType.FULL_INSPECTION: 18}.get(event_type, 4)
        history.append(
            Inspection(
                council=council,
                event_type=event_type,
                framework=framework,
                theme=rng.choice(THEMES) if event_type in (EventType.FOCUSED_VISIT, EventType.MONITORING_VISIT) else "",
                start_date=start,
                end_date=start + datetime.timedelta(days=length),
                published_date=start + datetime.timedelta(days=rng.randint(30, 60)),
                lead_inspector=rng.choice(INSPECTORS),
                summary="Synthetic inspection generated for performance measurement.",
                status=Inspection.Status.PUBLISHED,
                origin=Origin.OFSTED_OUTCOMES,
            )
        )
    return history


def _judgements(rng, inspection):
    if not inspection.is_graded:
        return []
    return [
        Judgement(
            inspection=inspection,
            area=rule.area,
            grade=rng.choice(rule.grades),
            framework=inspection.framework,
            inspection_start_date=inspection.start_date,
        )
        for rule in _graded_rules(inspection.framework, inspection.start_date)
    ]


def _findings(rng, inspection, per_inspection, source):
    kinds = list(Finding.Kind.values)
    count = max(1, int(rng.gauss(per_inspection, per_inspection / 5)))
    return [
        Finding(
            inspection=inspection,
            kind=rng.choice(kinds),
            text=f"{rng.choice(SUBJECTS)} {rng.choice(VERDICTS)}.",
            order=order,
            source=source,
        )
        for order in range(1, count + 1)
    ]


def _key_figures(rng, council, source):
    figures = []
    for metric, (_label, unit) in METRICS.items():
        for year in range(2013, 2026):
            figures.append(
                KeyFigure(
                    council=council,
                    metric=metric,
                    value=round(rng.uniform(5, 95), 1),
                    unit=unit,
                    date=datetime.date(year, 3, 31),
                    date_precision="day",
                    source=source,
                    origin=Origin.OFSTED_OUTCOMES,
                )
            )
    return figures


def _flush(model, rows, progress, label):
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
        progress.add(label, len(rows))
    rows.clear()


@transaction.atomic
def generate(scale, seed=0, *, events_per_council=33, findings_per_inspection=30, allow_real_data=False, report=print):
    """Write scale x 153 synthetic councils with their histories; returns the counts written."""
    if not allow_real_data and real_data_present():
        raise RealDataPresent("This database holds real councils; use an empty database or --allow-real-data.")
    national_cache.invalidate()  # bulk_create sends no signals
    rng = random.Random(seed)
    progress = Progress(report=report)
    source, _ = Source.objects.get_or_create(
        key=SOURCE_KEY,
        defaults={"kind": Source.Kind.DATASET, "title": "Synthetic data for performance measurement"},
    )
    start = Council.objects.filter(slug__startswith=SLUG_PREFIX).count()
    first_group, groups = start // REAL_COUNCILS, -(-(start + scale * REAL_COUNCILS) // REAL_COUNCILS)
    regions = {
        number: Region.objects.get_or_create(
            code=f"S12{number:06d}", defaults={"name": f"Synthetic region {number}"}
        )[0]
        for number in range(first_group * REGIONS + 1, groups * REGIONS + 1)
    }

    def region(number):
        # Council 1-153 are in regions 1-9, 154-306 in regions 10-18, and so on.
        return regions[(number - 1) // REAL_COUNCILS * REGIONS + number % REGIONS + 1]

    councils = [
        Council(
            name=f"Synthetic council {number:05d}",
            slug=f"{SLUG_PREFIX}{number:05d}",
            ofsted_urn=f"S{number:07d}",
            ons_code=f"S06{number:06d}",
            region=region(number),
            la_type=rng.choice(Council.LAType.values),
            population_0_25=rng.randint(20_000, 400_000),
        )
        for number in range(start + 1, start + scale * REAL_COUNCILS + 1)
    ]
    Council.objects.bulk_create(councils, batch_size=BATCH)
    progress.add("councils", len(councils))
    _neighbours(rng, councils, progress)

    inspections, judgements, findings, figures = [], [], [], []
    for council in councils:
        figures.extend(_key_figures(rng, council, source))
        inspections.extend(_inspection_history(rng, council, events_per_council))
        if len(inspections) >= BATCH:
            _write_inspections(rng, inspections, judgements, findings, findings_per_inspection, source, progress)
        if len(figures) >= BATCH:
            _flush(KeyFigure, figures, progress, "key figures")
    _write_inspections(rng, inspections, judgements, findings, findings_per_inspection, source, progress)
    _flush(KeyFigure, figures, progress, "key figures")
    return dict(progress.counts)


def _neighbours(rng, councils, progress):
    """Ten statistical neighbours for each council, from its own run of 153."""
    links = []
    for offset in range(0, len(councils), REAL_COUNCILS):
        group = councils[offset : offset + REAL_COUNCILS]
        for council in group:
            others = rng.sample([c for c in group if c is not council], min(NEIGHBOURS, len(group) - 1))
            links.extend(
                StatisticalNeighbour(council=council, neighbour=other, rank=rank)
                for rank, other in enumerate(others, start=1)
            )
    StatisticalNeighbour.objects.bulk_create(links, batch_size=BATCH)
    progress.add("statistical neighbours", len(links))


def _write_inspections(rng, inspections, judgements, findings, per_inspection, source, progress):
    batch = list(inspections)
    inspections.clear()
    if not batch:
        return
    Inspection.objects.bulk_create(batch, batch_size=BATCH)
    progress.add("inspections", len(batch))
    for inspection in batch:
        judgements.extend(_judgements(rng, inspection))
        findings.extend(_findings(rng, inspection, per_inspection, source))
        if len(findings) >= BATCH * 4:
            _flush(Finding, findings, progress, "findings")
    _flush(Judgement, judgements, progress, "judgements")
    _flush(Finding, findings, progress, "findings")
