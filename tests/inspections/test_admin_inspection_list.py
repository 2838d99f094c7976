"""The inspection list's filters and search, and the judgement inline's menus."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import Area, EventType, Framework, Grade
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:inspections_inspection_changelist"


def listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_filters_by_year(admin_client):
    old = InspectionFactory(start_date=datetime.date(2017, 1, 23))
    new = InspectionFactory(start_date=datetime.date(2024, 11, 11))
    assert listed(admin_client, year="2017") == {old}
    assert listed(admin_client, year="2024") == {new}


def test_filters_by_grade_of_any_judgement(admin_client):
    inadequate = JudgementFactory(area=Area.LEADERSHIP, grade=Grade.INADEQUATE).inspection
    JudgementFactory(grade=Grade.GOOD)
    assert listed(admin_client, grade="inadequate") == {inadequate}


def test_filters_by_status_framework_and_event_type(admin_client):
    draft = InspectionFactory(status="draft")
    visit = InspectionFactory(event_type=EventType.MONITORING_VISIT, framework=Framework.ILACS)
    assert listed(admin_client, status__exact="draft") == {draft}
    assert listed(admin_client, event_type__exact=EventType.MONITORING_VISIT) == {visit}


def test_searches_finding_text_and_inspector(admin_client):
    finding = FindingFactory(text="Caseloads are too high in the assessment teams.")
    other = InspectionFactory(lead_inspector="Marcie Taylor")
    assert listed(admin_client, q="caseloads") == {finding.inspection}
    assert listed(admin_client, q="Marcie") == {other}


def test_judgement_inline_offers_only_what_the_framework_grades(admin_client):
    inspection = InspectionFactory(framework=Framework.ILACS, start_date=datetime.date(2024, 11, 11))
    response = admin_client.get(reverse("admin:inspections_inspection_change", args=[inspection.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    area_field = formset.form.base_fields["area"]
    areas = {value for value, _label in area_field.choices if value and not area_field.widget.problems[value]}
    grades = {value for value, _label in formset.form.base_fields["grade"].choices if value}
    assert areas == {
        Area.OVERALL_EFFECTIVENESS,
        Area.LEADERSHIP,
        Area.HELP_AND_PROTECTION,
        Area.CHILDREN_IN_CARE,
        Area.CARE_LEAVERS,
    }
    # The joint judgement of earlier ILACS inspections is offered disabled, with the reason.
    assert area_field.widget.problems[Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS].endswith("from 1 January 2023.")
    assert Grade.ADEQUATE not in grades and Grade.REQUIRES_IMPROVEMENT in grades


def test_judgement_list_shows_each_grade_against_the_previous_one(admin_client):
    council = InspectionFactory(framework=Framework.SIF, event_type=EventType.FULL_INSPECTION,
                                start_date=datetime.date(2017, 1, 23)).council  # fmt: skip
    sif = council.inspections.get()
    JudgementFactory(inspection=sif, area=Area.LOOKED_AFTER_AND_PERMANENCE, grade=Grade.INADEQUATE)
    ilacs = InspectionFactory(council=council, start_date=datetime.date(2019, 6, 10))
    JudgementFactory(inspection=ilacs, area=Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS, grade=Grade.GOOD)
    response = admin_client.get(reverse("admin:inspections_judgement_changelist"), {"o": "1"})
    rows = {judgement.area: judgement for judgement in response.context["cl"].result_list}
    assert rows[Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS].previous_grade == Grade.INADEQUATE
    html = response.content.decode()
    assert "Improved" in html and "First grade" in html
