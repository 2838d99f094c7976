"""A council that no longer exists is due nothing: no next inspection, no months counted since its last."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from councils.models import Council
from inspections import schedule
from inspections.frameworks import EventType, Grade
from councils.importers.councils_csv import import_local_authorities
from tests.factories import InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

REFERENCE_CSV = Path(settings.FIXTURES_DIR) / "data" / "reference" / "local_authorities.csv"
TODAY = datetime.date(2026, 12, 1)


def judged_inadequate(council):
    """An inspection that, for a council still in existence, calls for monitoring visits."""
    inspection = InspectionFactory(council=council, start_date=datetime.date(2018, 6, 4))
    JudgementFactory(inspection=inspection, grade=Grade.INADEQUATE)
    return list(council.inspections.published().prefetch_related("judgements"))


def test_no_former_council_of_the_reference_file_has_a_prediction(db):
    import_local_authorities(REFERENCE_CSV)
    former = Council.objects.former().prefetch_related("successors")
    assert {council.slug for council in former} == {"bournemouth", "poole", "northamptonshire", "cumbria"}
    for council in former:
        inspections = judged_inadequate(council)
        due = schedule.next_inspection_due(inspections, TODAY, council)
        assert due.event_type is None and due.then is None and due.window_start is None, council.name
        assert due.label == "Nothing: the council no longer exists"
        assert f"was replaced by {' and '.join(s.name for s in council.successors.all())}" in due.reason
        assert f"on {council.replaced_on.day} {council.replaced_on:%B %Y}" in due.reason
        assert schedule.months_since_last_full_inspection(inspections, TODAY, council) is None
        # The same record, were the council still in existence, would call for a monitoring visit.
        council.is_current = True
        assert schedule.next_inspection_due(inspections, TODAY, council).event_type == EventType.MONITORING_VISIT
        assert schedule.months_since_last_full_inspection(inspections, TODAY, council) > 0
