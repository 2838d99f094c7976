"""/coverage/ says what the record lacks beside what it holds, read from the record itself."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Origin, Source
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory, SourceFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def record():
    """A national record from November 2013 (a SIF report), visits the official statistics give for 2024-25, a
    council whose record starts earlier (entered by hand), and two former councils, one without a SIF report."""
    report = SourceFactory(kind=Source.Kind.OFSTED_REPORT)
    statistics = SourceFactory(kind=Source.Kind.OFSTED_STATISTICS)
    bury = CouncilFactory(name="Bury")
    sif = InspectionFactory(
        council=bury, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=D(2013, 11, 19),
        origin=Origin.REPORT_PDF,
    )
    JudgementFactory(inspection=sif, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.GOOD, source=report)
    for start in (D(2024, 4, 3), D(2025, 3, 26)):
        visit = InspectionFactory(council=bury, event_type=EventType.FOCUSED_VISIT, start_date=start,
                                  origin=Origin.OFSTED_OUTCOMES)
        visit.sources.add(statistics)
    tower_hamlets = CouncilFactory(name="Tower Hamlets")
    earlier = InspectionFactory(
        council=tower_hamlets, event_type=EventType.FULL_INSPECTION, framework=Framework.SAFEGUARDING_LAC_2009,
        start_date=D(2012, 7, 1), origin=Origin.MANUAL,
    )
    JudgementFactory(inspection=earlier, area=Area.SAFEGUARDING_OVERALL, grade=Grade.GOOD, source=report)
    InspectionFactory(council=tower_hamlets, event_type=EventType.MONITORING_VISIT, start_date=D(2018, 5, 1),
                      origin=Origin.MANUAL)
    CouncilFactory(name="Poole", is_current=False)
    # 2013: Bury's looked after children's services inspected alone, from its report, before the national record.
    looked_after = InspectionFactory(
        council=bury, event_type=EventType.LOOKED_AFTER_INSPECTION, framework=Framework.LOOKED_AFTER_CHILDREN,
        start_date=D(2013, 7, 15), origin=Origin.REPORT_PDF,
    )
    JudgementFactory(inspection=looked_after, area=Area.LOOKED_AFTER_OVERALL, grade=Grade.ADEQUATE, source=report)
    former_with_sif = CouncilFactory(name="Anyshire", is_current=False)
    InspectionFactory(council=former_with_sif, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF,
                      start_date=D(2016, 1, 11))
    caches["default"].clear()  # the page's counts are kept per data version


def limits_table(client):
    html = client.get(reverse("coverage")).content.decode()
    return " ".join(html.split('id="holds-and-lacks"', 1)[1].split("</table>", 1)[0].split())


def test_what_the_record_holds_and_lacks_is_said_beside_each_other(client, record):
    table = limits_table(client)
    # The national record of full inspections starts with the SIF, not with the earlier inspection of one part.
    assert "From November 2013: 1 of the 2 current councils" in table
    assert "Before November 2013: every council's but Tower Hamlets" in table
    assert "Inspection of looked after children services: 1, from Ofsted's reports" in table
    assert "2 from 3 April 2024 to 26 March 2025, from Ofsted's official statistics" in table
    assert "Before 3 April 2024 and after 26 March 2025: every council's but Tower Hamlets" in table
    assert "single inspection framework (2013-18) of Poole" in table
    assert "Anyshire" not in table


def test_the_counts_tables_do_not_stack_into_cards(client, record):
    # At a phone's width a stacked table is a card per row: 150 councils made the page ~49,000 px long.
    html = client.get(reverse("coverage")).content.decode()
    counts = html.split('id="by-year"', 1)[1]
    assert "app-table--stack" not in counts
