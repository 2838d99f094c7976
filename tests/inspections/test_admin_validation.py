"""Admin shows every rule the database enforces as a form error in the editor's words, never an error page."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Inspection, Judgement
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory
from tests.inspections.admin_forms import inspection_form, with_judgements

pytestmark = pytest.mark.django_db


def errors_of(response):
    """Every error message the admin page shows: form, non-field and inline errors."""
    assert response.status_code == 200, response.status_code
    messages = list(response.context["errors"])
    for formset in response.context["inline_admin_formsets"]:
        messages.extend(formset.formset.non_form_errors())
        for form_errors in formset.formset.errors:
            for field_errors in form_errors.values():
                messages.extend(field_errors)
    return " ".join(str(message) for message in messages)


@pytest.fixture
def add_url():
    return reverse("admin:inspections_inspection_add")


def test_valid_inspection_with_judgements_is_saved(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(
        inspection_form(council),
        (Area.OVERALL_EFFECTIVENESS, Grade.GOOD),
        (Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS, Grade.GOOD),
    )
    response = admin_client.post(add_url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get(council=council)
    assert sorted(inspection.judgements.values_list("area", flat=True)) == [
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        Area.OVERALL_EFFECTIVENESS,
    ]


def test_end_before_start_is_a_form_error(admin_client, add_url):
    council = CouncilFactory()
    response = admin_client.post(add_url, inspection_form(council, end_date="2019-06-01"))
    assert "The end date cannot be before the start date." in errors_of(response)
    assert not Inspection.objects.exists()


def test_duplicate_inspection_is_a_form_error(admin_client, add_url):
    existing = InspectionFactory(start_date=datetime.date(2019, 6, 10))
    response = admin_client.post(add_url, inspection_form(existing.council))
    assert "already has an inspection of this type starting on this date" in errors_of(response)
    assert Inspection.objects.count() == 1


def test_adequate_under_ilacs_is_a_form_error_in_the_admins_words(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(inspection_form(council), (Area.OVERALL_EFFECTIVENESS, Grade.ADEQUATE))
    response = admin_client.post(add_url, data)
    errors = errors_of(response)
    assert "“Adequate” is not a grade under" in errors
    assert "Requires improvement to be good" in errors
    assert not Inspection.objects.exists()
    assert not Judgement.objects.exists()


def test_separate_care_leavers_judgement_before_2023_is_a_form_error(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(inspection_form(council), (Area.CARE_LEAVERS, Grade.GOOD))
    errors = errors_of(admin_client.post(add_url, data))
    assert "judged separately only in inspections from 1 January 2023" in errors
    assert not Inspection.objects.exists()


def test_overall_effectiveness_from_april_2026_is_a_form_error(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(
        inspection_form(council, start_date="2026-05-11", end_date="2026-05-22", published_date=""),
        (Area.OVERALL_EFFECTIVENESS, Grade.GOOD),
    )
    errors = errors_of(admin_client.post(add_url, data))
    assert "is not judged in inspections from 1 April 2026" in errors


def test_grading_a_monitoring_visit_is_a_form_error(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(
        inspection_form(council, event_type=EventType.MONITORING_VISIT), (Area.HELP_AND_PROTECTION, Grade.INADEQUATE)
    )
    errors = errors_of(admin_client.post(add_url, data))
    assert "monitoring visit is not graded" in errors


def test_a_board_review_grades_only_the_board(admin_client, add_url):
    council = CouncilFactory()
    form = inspection_form(
        council, event_type=EventType.LSCB_REVIEW, framework=Framework.SIF, start_date="2015-06-15",
        end_date="2015-06-17", published_date="2015-08-03",
    )  # fmt: skip
    errors = errors_of(admin_client.post(add_url, with_judgements(form, (Area.OVERALL_EFFECTIVENESS, Grade.GOOD))))
    assert (
        "Overall effectiveness is not judged in this kind of event (Review of the Local Safeguarding Children Board: "
        "it grades Local Safeguarding Children Board)."
    ) in errors
    assert not Inspection.objects.exists()
    response = admin_client.post(add_url, with_judgements(form, (Area.LSCB, Grade.REQUIRES_IMPROVEMENT)))
    assert response.status_code == 302
    assert Inspection.objects.get().judgements.get().grade == Grade.REQUIRES_IMPROVEMENT


def test_two_judgements_of_one_area_is_a_form_error(admin_client, add_url):
    council = CouncilFactory()
    data = with_judgements(
        inspection_form(council), (Area.LEADERSHIP, Grade.GOOD), (Area.LEADERSHIP, Grade.INADEQUATE)
    )
    errors = errors_of(admin_client.post(add_url, data))
    assert "Please correct the duplicate data for area" in errors
    assert not Judgement.objects.exists()


def test_changing_framework_under_existing_judgements_is_a_form_error(admin_client):
    judgement = JudgementFactory(area=Area.HELP_AND_PROTECTION, grade=Grade.REQUIRES_IMPROVEMENT)
    inspection = judgement.inspection
    data = inspection_form(
        inspection.council,
        framework=Framework.SAFEGUARDING_LAC_2009,
        event_type=EventType.FULL_INSPECTION,
        start_date=inspection.start_date.isoformat(),
        end_date=inspection.end_date.isoformat(),
    )
    data.update(
        {
            "judgements-TOTAL_FORMS": "1",
            "judgements-INITIAL_FORMS": "1",
            "judgements-0-id": judgement.pk,
            "judgements-0-inspection": inspection.pk,
            "judgements-0-area": judgement.area,
            "judgements-0-grade": judgement.grade,
        }
    )
    response = admin_client.post(reverse("admin:inspections_inspection_change", args=[inspection.pk]), data)
    assert "is not judged under" in errors_of(response)
    inspection.refresh_from_db()
    assert inspection.framework == Framework.ILACS


def test_deleting_a_council_with_inspections_shows_what_protects_it(admin_client):
    inspection = InspectionFactory()
    url = reverse("admin:councils_council_delete", args=[inspection.council.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()


def area_options(response, form=0):
    """The area menu of a judgement row: (value, text, disabled) for each option but the blank one."""
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "judgements")
    field = formset.formset.forms[form]["area"]
    return [
        (str(option["value"]), str(option["label"]), bool(option["attrs"].get("disabled")))
        for group in field.field.widget.get_context(field.html_name, field.value(), {})["widget"]["optgroups"]
        for option in group[1]
        if option["value"]
    ]


def test_an_area_the_framework_no_longer_judges_is_offered_disabled_with_the_reason(admin_client):
    judgement = JudgementFactory(
        inspection__framework=Framework.ILACS,
        inspection__start_date=datetime.date(2026, 5, 11),
        inspection__end_date=datetime.date(2026, 5, 22),
        area=Area.LEADERSHIP,
        grade=Grade.GOOD,
    )
    response = admin_client.get(reverse("admin:inspections_inspection_change", args=[judgement.inspection.pk]))

    options = {value: (text, disabled) for value, text, disabled in area_options(response)}
    assert options[Area.OVERALL_EFFECTIVENESS] == (
        "Overall effectiveness is not judged in inspections from 1 April 2026: the 2026 framework gives no such judgement.",
        True,
    )
    assert options[Area.CARE_LEAVERS] == (Area.CARE_LEAVERS.label, False)
    assert options[Area.LEADERSHIP] == (Area.LEADERSHIP.label, False)
    assert Area.ADOPTION not in options  # not an ILACS area at all: left out, as before
    page = response.content.decode()
    assert "not judged in inspections from 1 April 2026: the 2026 framework gives no such judgement." in page
