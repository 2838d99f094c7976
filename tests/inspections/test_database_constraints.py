"""The database itself refuses invalid rows, whatever code writes them (importers, scripts, bulk updates)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Finding, Inspection, Judgement
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    KeyFigureFactory,
)

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_end_date_before_start_date_is_refused():
    inspection = InspectionFactory()
    refused(
        lambda: Inspection.objects.filter(pk=inspection.pk).update(end_date=inspection.start_date - datetime.timedelta(1))
    )


def test_end_date_equal_to_start_date_is_allowed():
    inspection = InspectionFactory(end_date=None)
    Inspection.objects.filter(pk=inspection.pk).update(end_date=inspection.start_date)


def test_end_date_without_start_date_is_refused():
    refused(lambda: InspectionFactory(start_date=None, end_date=datetime.date(2018, 8, 16)))


def test_second_inspection_of_same_type_and_start_is_refused():
    first = InspectionFactory()
    refused(lambda: InspectionFactory(council=first.council, start_date=first.start_date))


def test_another_type_on_the_same_day_is_allowed():
    first = InspectionFactory()
    InspectionFactory(
        council=first.council, start_date=first.start_date, event_type=EventType.FOCUSED_VISIT, framework=Framework.ILACS
    )


def test_second_judgement_of_an_area_is_refused():
    judgement = JudgementFactory()
    refused(lambda: JudgementFactory(inspection=judgement.inspection, area=judgement.area, grade=Grade.INADEQUATE))


@pytest.mark.parametrize(
    "framework, event_type, start, area, grade",
    [
        # "Adequate" was a grade only in 2009-12.
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2019, 6, 10), Area.OVERALL_EFFECTIVENESS, Grade.ADEQUATE),
        (Framework.SIF, EventType.FULL_INSPECTION, datetime.date(2017, 1, 23), Area.LEADERSHIP, Grade.ADEQUATE),
        # "Requires improvement" only from the SIF on.
        (
            Framework.SAFEGUARDING_LAC_2009,
            EventType.FULL_INSPECTION,
            datetime.date(2012, 7, 1),
            Area.SAFEGUARDING_OVERALL,
            Grade.REQUIRES_IMPROVEMENT,
        ),
        # Care leavers judged separately only from 2023 ...
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2022, 12, 5), Area.CARE_LEAVERS, Grade.GOOD),
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2022, 12, 5), Area.CHILDREN_IN_CARE, Grade.GOOD),
        # ... and the combined judgement no longer from 2023.
        (
            Framework.ILACS,
            EventType.SHORT_INSPECTION,
            datetime.date(2023, 1, 9),
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
            Grade.GOOD,
        ),
        # No overall effectiveness from April 2026.
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2026, 4, 13), Area.OVERALL_EFFECTIVENESS, Grade.GOOD),
        # An area another framework grades.
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2019, 6, 10), Area.LSCB, Grade.GOOD),
        (Framework.SIF, EventType.FULL_INSPECTION, datetime.date(2017, 1, 23), Area.CHILDREN_IN_CARE, Grade.GOOD),
        # The 2009-12 unannounced inspections graded nothing.
        (
            Framework.UNANNOUNCED_2009,
            EventType.UNANNOUNCED_INSPECTION,
            datetime.date(2010, 1, 26),
            Area.OVERALL_EFFECTIVENESS,
            Grade.GOOD,
        ),
    ],
)
def test_grade_invalid_for_framework_area_or_date_is_refused(framework, event_type, start, area, grade):
    inspection = InspectionFactory(framework=framework, event_type=event_type, start_date=start)
    refused(lambda: Judgement.objects.create(inspection=inspection, area=area, grade=grade))


@pytest.mark.parametrize(
    "framework, event_type, start, area, grade",
    [
        (Framework.SAFEGUARDING_LAC_2009, EventType.FULL_INSPECTION, datetime.date(2012, 7, 1), Area.LOOKED_AFTER_OVERALL, Grade.ADEQUATE),
        (Framework.SIF, EventType.FULL_INSPECTION, datetime.date(2017, 1, 23), Area.LSCB, Grade.INADEQUATE),
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2022, 12, 5), Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS, Grade.REQUIRES_IMPROVEMENT),
        (Framework.ILACS, EventType.SHORT_INSPECTION, datetime.date(2024, 11, 11), Area.CARE_LEAVERS, Grade.OUTSTANDING),
        (Framework.ILACS, EventType.STANDARD_INSPECTION, datetime.date(2026, 3, 30), Area.OVERALL_EFFECTIVENESS, Grade.GOOD),
    ],
)
def test_grade_valid_for_framework_area_and_date_is_stored(framework, event_type, start, area, grade):
    inspection = InspectionFactory(framework=framework, event_type=event_type, start_date=start)
    judgement = Judgement.objects.create(inspection=inspection, area=area, grade=grade)
    assert (judgement.framework, judgement.inspection_start_date) == (framework, start)


def test_changing_the_framework_under_existing_judgements_is_refused():
    judgement = JudgementFactory(area=Area.HELP_AND_PROTECTION, grade=Grade.REQUIRES_IMPROVEMENT)
    inspection = judgement.inspection
    inspection.framework = Framework.SAFEGUARDING_LAC_2009
    refused(inspection.save)


def test_moving_an_inspection_keeps_its_judgements_copies_in_step():
    judgement = JudgementFactory()
    inspection = judgement.inspection
    inspection.start_date = datetime.date(2020, 2, 3)
    inspection.end_date = None
    inspection.save()
    judgement.refresh_from_db()
    assert judgement.inspection_start_date == datetime.date(2020, 2, 3)


def test_deleting_a_council_with_inspections_is_refused():
    inspection = InspectionFactory()
    with pytest.raises(ProtectedError):
        inspection.council.delete()
    assert Inspection.objects.filter(pk=inspection.pk).exists()


def test_deleting_a_council_with_key_figures_is_refused():
    figure = KeyFigureFactory()
    with pytest.raises(ProtectedError):
        figure.council.delete()


def test_deleting_an_inspection_deletes_its_judgements_and_findings():
    judgement = JudgementFactory()
    finding = FindingFactory(inspection=judgement.inspection)
    judgement.inspection.delete()
    assert not Judgement.objects.filter(pk=judgement.pk).exists()
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_deleting_a_council_without_dependent_rows_is_allowed():
    council = CouncilFactory()
    council.delete()


def test_key_figure_needs_a_value_or_a_missing_value_code():
    refused(lambda: KeyFigureFactory(value=None, missing_code=""))


def test_key_figure_cannot_have_both_a_value_and_a_missing_value_code():
    refused(lambda: KeyFigureFactory(value=5, missing_code="c"))


def test_suppressed_key_figure_is_stored_without_a_value():
    figure = KeyFigureFactory(value=None, missing_code="c")
    figure.refresh_from_db()
    assert (figure.value, figure.missing_code) == (None, "c")
