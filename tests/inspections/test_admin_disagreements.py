"""Editors see where the sources disagree: on the inspection's admin page and in a list across councils."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from inspections.frameworks import Area
from tests.factories import DisagreementFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def test_inspection_page_in_admin_shows_both_values_and_sources(admin_client):
    disagreement = DisagreementFactory(other_value="Brenda McInerney", other_source__title="Ofsted report, 2016")
    response = admin_client.get(reverse("admin:inspections_inspection_change", args=[disagreement.inspection.pk]))
    html = response.content.decode()
    inline = html[html.index('id="disagreements-group"') :]
    assert "Sources disagree" in inline
    cells = [strip_tags(cell).strip() for cell in re.findall(r'<td class="field-[^"]*">(.*?)</td>', inline, re.S)]
    assert cells == ["Lead inspector", "A. Inspector", str(disagreement.kept_source), "Brenda McInerney", str(disagreement.other_source)]


def test_inline_is_read_only(admin_client):
    inspection = InspectionFactory()
    DisagreementFactory(inspection=inspection)
    response = admin_client.get(reverse("admin:inspections_inspection_change", args=[inspection.pk]))
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model.__name__ == "Disagreement")
    assert formset.max_num == 0 and not formset.can_delete


def test_list_across_councils_filters_by_subject_and_searches_values(admin_client):
    inspector = DisagreementFactory(other_value="Brenda McInerney")
    grade = DisagreementFactory(subject=Area.LEADERSHIP, kept_value="Good", other_value="Outstanding")
    changelist = reverse("admin:inspections_disagreement_changelist")

    def listed(**params):
        response = admin_client.get(changelist, params)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed() == {inspector, grade}
    assert listed(subject__exact="leadership") == {grade}
    assert listed(q="McInerney") == {inspector}
    assert "The impact of leaders on social work practice" in admin_client.get(changelist).content.decode()


def test_list_offers_no_add_or_change(admin_client):
    disagreement = DisagreementFactory()
    assert admin_client.get(reverse("admin:inspections_disagreement_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:inspections_disagreement_change", args=[disagreement.pk]), {"other_value": "changed"}
    )
    assert response.status_code == 403
    disagreement.refresh_from_db()
    assert disagreement.other_value == "B. Inspector"
