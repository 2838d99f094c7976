"""Test data for the pages, the API and the site: a council with a realistic history, its region and
neighbours. Built with the shared factories (tests/factories.py). `build_history` is a plain function so that the
query-count and browser tests can build the same history for many councils.
"""

import datetime
from types import SimpleNamespace

from councils.models import Council
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Finding, Inspection, Source
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    KeyFigureFactory,
    RegionFactory,
    SourceFactory,
    StatisticalNeighbourFactory,
)

D = datetime.date


def inspection(council, event_type, framework, start, end=None, published=None, grades=None, **extra):
    """An inspection with its judgements ({area: grade})."""
    event = InspectionFactory(
        council=council,
        event_type=event_type,
        framework=framework,
        start_date=start,
        end_date=end if end is not None else start,
        published_date=published if published is not None else (start + datetime.timedelta(days=50) if start else None),
        **extra,
    )
    for area, grade in (grades or {}).items():
        JudgementFactory(inspection=event, area=area, grade=grade)
    return event


def build_history(council, findings=True, key_figures=True):
    """A council's history from 2010 to 2024 across every framework, as in domain.md's Tower Hamlets."""
    events = SimpleNamespace()
    events.unannounced = inspection(
        council,
        EventType.UNANNOUNCED_INSPECTION,
        Framework.UNANNOUNCED_2009,
        D(2010, 1, 26),
        D(2010, 1, 27),
        lead_inspector="Karen McKeown",
    )
    events.safeguarding = inspection(
        council,
        EventType.FULL_INSPECTION,
        Framework.SAFEGUARDING_LAC_2009,
        D(2012, 7, 1),
        D(2012, 7, 1),
        date_precision="month",
        lead_inspector="",
        grades={Area.SAFEGUARDING_OVERALL: Grade.GOOD, Area.LOOKED_AFTER_OVERALL: Grade.ADEQUATE},
    )
    events.sif = inspection(
        council,
        EventType.FULL_INSPECTION,
        Framework.SIF,
        D(2017, 1, 23),
        D(2017, 2, 16),
        D(2017, 4, 7),
        lead_inspector="Brenda McLaughlin",
        report_url="https://files.ofsted.gov.uk/v1/file/2017-report",
        grades={
            Area.OVERALL_EFFECTIVENESS: Grade.INADEQUATE,
            Area.HELP_AND_PROTECTION: Grade.INADEQUATE,
            Area.LOOKED_AFTER_AND_PERMANENCE: Grade.REQUIRES_IMPROVEMENT,
            Area.LEADERSHIP: Grade.INADEQUATE,
        },
    )
    events.monitoring_4 = inspection(
        council,
        EventType.MONITORING_VISIT,
        Framework.ILACS,
        D(2018, 8, 15),
        D(2018, 8, 16),
        visit_number=4,
        theme="Front door",
    )
    events.monitoring_5 = inspection(
        council,
        EventType.MONITORING_VISIT,
        Framework.ILACS,
        None,
        None,
        None,
        visit_number=5,
        theme="Children in need",
    )
    events.standard = inspection(
        council,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        D(2019, 6, 10),
        D(2019, 6, 21),
        D(2019, 7, 22),
        lead_inspector="Marcie Taylor",
        report_url="https://files.ofsted.gov.uk/v1/file/2019-report",
        grades={
            Area.OVERALL_EFFECTIVENESS: Grade.GOOD,
            Area.LEADERSHIP: Grade.GOOD,
            Area.HELP_AND_PROTECTION: Grade.GOOD,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.GOOD,
        },
    )
    events.focused = inspection(
        council,
        EventType.FOCUSED_VISIT,
        Framework.ILACS,
        D(2021, 3, 2),
        D(2021, 3, 3),
        theme="Children in care",
    )
    events.short = inspection(
        council,
        EventType.SHORT_INSPECTION,
        Framework.ILACS,
        D(2024, 11, 11),
        D(2024, 11, 15),
        D(2025, 1, 13),
        lead_inspector="Amanda Maxwell",
        report_url="https://files.ofsted.gov.uk/v1/file/2024-report",
        grades={
            Area.OVERALL_EFFECTIVENESS: Grade.OUTSTANDING,
            Area.LEADERSHIP: Grade.OUTSTANDING,
            Area.HELP_AND_PROTECTION: Grade.GOOD,
            Area.CHILDREN_IN_CARE: Grade.GOOD,
            Area.CARE_LEAVERS: Grade.OUTSTANDING,
        },
    )
    events.draft = inspection(
        council,
        EventType.FOCUSED_VISIT,
        Framework.ILACS,
        D(2025, 9, 1),
        theme="Secret draft theme",
        status=Inspection.Status.DRAFT,
    )
    events.source = SourceFactory(
        title=f"Ofsted report on {council.name}, January 2025", url="https://reports.ofsted.gov.uk/example"
    )
    events.short.sources.add(events.source)
    if findings:
        FindingFactory(
            inspection=events.sif,
            kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE,
            order=1,
            text="Reduce social workers' caseloads so that they can see children often enough.",
        )
        FindingFactory(
            inspection=events.sif,
            kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE,
            order=2,
            text="Improve the quality of plans for children in need.",
        )
        FindingFactory(
            inspection=events.unannounced,
            kind=Finding.Kind.STRENGTH,
            order=1,
            text="Thresholds at the front door are well understood.",
        )
        FindingFactory(
            inspection=events.unannounced,
            kind=Finding.Kind.AREA_FOR_DEVELOPMENT,
            order=1,
            text="Caseload management lacks oversight.",
        )
        FindingFactory(
            inspection=events.short,
            kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE,
            order=1,
            area=Area.CARE_LEAVERS,
            text="Help care leavers to find suitable homes.",
        )
        FindingFactory(
            inspection=events.draft,
            kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE,
            order=1,
            text="Draft finding about caseloads that must stay hidden.",
        )
    if key_figures:
        dataset = SourceFactory(kind=Source.Kind.DATASET, publisher="DfE", title="Children's social work workforce")
        for metric, values in {
            "social_worker_turnover_rate": [(D(2018, 9, 30), 33), (D(2019, 9, 30), 9)],
            "agency_worker_rate": [(D(2018, 9, 30), 30.5), (D(2019, 9, 30), 22)],
            "average_caseload": [(D(2018, 9, 30), 19.3), (D(2019, 9, 30), 16.4)],
            "children_looked_after_rate": [(D(2018, 3, 31), 51), (D(2019, 3, 31), None)],
        }.items():
            unit = {"average_caseload": "cases_per_worker", "children_looked_after_rate": "rate_per_10000"}.get(
                metric, "percent"
            )
            for date, value in values:
                KeyFigureFactory(
                    council=council,
                    metric=metric,
                    date=date,
                    value=value,
                    unit=unit,
                    source=dataset,
                    missing_code="" if value is not None else "c",
                )
    return events


def make_london():
    return RegionFactory(code="E12000007", name="London")


def make_history(london=None):
    """Tower Hamlets with its history, two London peers, a neighbour elsewhere and a former council (and
    London, unless given)."""
    london = london or make_london()
    council = CouncilFactory(
        name="Tower Hamlets", slug="tower-hamlets", region=london, la_type=Council.LAType.LONDON_BOROUGH
    )
    events = build_history(council)
    events.council = council

    events.hackney = CouncilFactory(
        name="Hackney", slug="hackney", region=london, la_type=Council.LAType.LONDON_BOROUGH
    )
    inspection(
        events.hackney,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        D(2024, 6, 3),
        D(2024, 6, 14),
        grades={Area.OVERALL_EFFECTIVENESS: Grade.REQUIRES_IMPROVEMENT, Area.LEADERSHIP: Grade.GOOD},
    )
    events.camden = CouncilFactory(name="Camden", slug="camden", region=london, la_type=Council.LAType.LONDON_BOROUGH)
    inspection(
        events.camden,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        D(2019, 3, 4),
        D(2019, 3, 15),
        grades={Area.OVERALL_EFFECTIVENESS: Grade.INADEQUATE},
    )
    inspection(
        events.camden,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        D(2022, 3, 7),
        D(2022, 3, 18),
        grades={Area.OVERALL_EFFECTIVENESS: Grade.GOOD},
    )
    other_region = RegionFactory(code="E12000002", name="North West")
    events.manchester = CouncilFactory(
        name="Manchester", slug="manchester", region=other_region, la_type=Council.LAType.METROPOLITAN_DISTRICT
    )
    inspection(
        events.manchester,
        EventType.SHORT_INSPECTION,
        Framework.ILACS,
        D(2023, 5, 8),
        D(2023, 5, 12),
        grades={Area.OVERALL_EFFECTIVENESS: Grade.GOOD, Area.CARE_LEAVERS: Grade.GOOD},
    )
    StatisticalNeighbourFactory(council=council, neighbour=events.manchester, rank=1)
    StatisticalNeighbourFactory(council=council, neighbour=events.hackney, rank=2)
    events.former = CouncilFactory(
        name="Northamptonshire",
        slug="northamptonshire",
        region=other_region,
        is_current=False,
        la_type=Council.LAType.COUNTY,
        ons_code="E10000021",
    )
    return events
