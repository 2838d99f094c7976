import csv
import datetime
import io

import pytest

from inspections.frameworks import Area, EventType, Framework, Grade
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    KeyFigureFactory,
    RegionFactory,
)


def read_csv(response_or_text):
    """Rows of a CSV export as dicts, read back the way an analyst's tools would."""
    if isinstance(response_or_text, str):
        text = response_or_text
    else:
        text = b"".join(response_or_text.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def country(db):
    """Two regions, three councils, graded histories, a draft, findings and key figures."""
    london = RegionFactory(code="E12000007", name="London")
    north = RegionFactory(code="E12000002", name="North West")
    hamlets = CouncilFactory(name="Tower Hamlets", slug="tower-hamlets", region=london, la_type="London Borough")
    camden = CouncilFactory(name="Camden", slug="camden", region=london, la_type="London Borough")
    bolton = CouncilFactory(name="Bolton", slug="bolton", region=north, la_type="Metropolitan District")

    sif = InspectionFactory(
        council=hamlets, framework=Framework.SIF, event_type=EventType.FULL_INSPECTION,
        start_date=datetime.date(2017, 1, 23), end_date=datetime.date(2017, 2, 16),
    )  # fmt: skip
    JudgementFactory(inspection=sif, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.INADEQUATE)
    JudgementFactory(inspection=sif, area=Area.LEADERSHIP, grade=Grade.INADEQUATE)
    ilacs = InspectionFactory(council=hamlets, start_date=datetime.date(2019, 6, 10), lead_inspector="Marcie Taylor")
    JudgementFactory(inspection=ilacs, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.GOOD)
    JudgementFactory(inspection=ilacs, area=Area.LEADERSHIP, grade=Grade.GOOD)
    latest = InspectionFactory(council=hamlets, event_type=EventType.SHORT_INSPECTION, start_date=datetime.date(2024, 11, 11))
    JudgementFactory(inspection=latest, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.OUTSTANDING)
    JudgementFactory(inspection=latest, area=Area.CARE_LEAVERS, grade=Grade.OUTSTANDING)
    FindingFactory(inspection=latest, text="Caseloads in the assessment teams are too high.", order=1)
    FindingFactory(inspection=latest, text='=HYPERLINK("http://evil.example","click")', order=2)
    FindingFactory(inspection=sif, kind="strength", text="-Leaders know their services well.", order=1)

    camden_inspection = InspectionFactory(council=camden, start_date=datetime.date(2022, 3, 7))
    JudgementFactory(inspection=camden_inspection, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.REQUIRES_IMPROVEMENT)
    InspectionFactory(council=camden, event_type=EventType.FOCUSED_VISIT, start_date=datetime.date(2023, 5, 2))

    draft = InspectionFactory(council=bolton, status="draft", start_date=datetime.date(2025, 1, 13))
    JudgementFactory(inspection=draft, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.GOOD)
    FindingFactory(inspection=draft, text="A draft finding nobody may see yet.")

    KeyFigureFactory(council=hamlets, metric="social_worker_turnover_rate", value=33, unit="percent", date=datetime.date(2018, 6, 1))
    KeyFigureFactory(council=hamlets, metric="children_looked_after", value=None, missing_code="c", unit="count", date=datetime.date(2024, 3, 31))
    KeyFigureFactory(council=bolton, metric="social_worker_turnover_rate", value=12.5, unit="percent", date=datetime.date(2024, 9, 30))
    return {"hamlets": hamlets, "camden": camden, "bolton": bolton, "draft": draft, "latest": latest, "sif": sif}
