"""factory_boy factories shared by the test suite: valid rows by default, override what a test is about."""

import datetime

import factory

from councils.models import Council, Region, StatisticalNeighbour
from inspections.frameworks import EventType, Framework, Grade
from inspections.models import Disagreement, Finding, Inspection, Judgement, KeyFigure, Source


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E12{n:06d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    ofsted_urn = factory.Sequence(lambda n: f"{900000 + n}")
    la_code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    ons_code = factory.Sequence(lambda n: f"E06{n:06d}")
    region = factory.SubFactory(RegionFactory)
    la_type = Council.LAType.UNITARY_AUTHORITY


class StatisticalNeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticalNeighbour

    council = factory.SubFactory(CouncilFactory)
    neighbour = factory.SubFactory(CouncilFactory)
    rank = factory.Sequence(lambda n: n % 10 + 1)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.OFSTED_REPORT
    title = factory.Sequence(lambda n: f"Inspection report {n}")
    publisher = "Ofsted"
    published_date = datetime.date(2019, 7, 22)


class InspectionFactory(factory.django.DjangoModelFactory):
    """A published ILACS standard inspection; change framework, type and dates together."""

    class Meta:
        model = Inspection

    council = factory.SubFactory(CouncilFactory)
    event_type = EventType.STANDARD_INSPECTION
    framework = Framework.ILACS
    # Weekly from January 2019, cycling every 150 weeks so that a default inspection always falls in
    # 2019-2021, where the default judgement (ILACS overall effectiveness) is valid.
    start_date = factory.Sequence(lambda n: datetime.date(2019, 1, 7) + datetime.timedelta(days=7 * (n % 150)))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=11) if o.start_date else None)
    published_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=42) if o.start_date else None)
    lead_inspector = "A. Inspector"
    status = Inspection.Status.PUBLISHED


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = "overall_effectiveness"
    grade = Grade.GOOD


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = Finding.Kind.WHAT_NEEDS_TO_IMPROVE
    text = factory.Sequence(lambda n: f"The quality of plans for children, point {n}.")
    order = factory.Sequence(lambda n: n + 1)


class DisagreementFactory(factory.django.DjangoModelFactory):
    """The report names another lead inspector than Ofsted's statistics, which the record keeps."""

    class Meta:
        model = Disagreement

    inspection = factory.SubFactory(InspectionFactory)
    subject = "lead_inspector"
    kept_value = "A. Inspector"
    kept_source = factory.SubFactory(SourceFactory, kind=Source.Kind.OFSTED_STATISTICS)
    other_value = "B. Inspector"
    other_source = factory.SubFactory(SourceFactory)


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    council = factory.SubFactory(CouncilFactory)
    metric = "social_worker_turnover_rate"
    value = 12.5
    unit = "percent"
    date = datetime.date(2024, 9, 30)
    source = factory.SubFactory(SourceFactory, kind=Source.Kind.DATASET, publisher="DfE")
