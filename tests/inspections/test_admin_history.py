"""Every admin change is recorded (who, when, old and new values), and a deleted inspection can be restored."""

import pytest
from django.urls import reverse

from inspections.models import Finding, Inspection, Judgement
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory, SourceFactory
from tests.inspections.admin_forms import inspection_form

pytestmark = pytest.mark.django_db


def test_an_edit_shows_who_changed_what_from_and_to(editor_client):
    inspection = InspectionFactory(lead_inspector="Marcie Taylor")
    data = inspection_form(
        inspection.council,
        start_date=inspection.start_date.isoformat(),
        end_date=inspection.end_date.isoformat(),
        lead_inspector="Amanda Maxwell",
    )
    change_url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert editor_client.post(change_url, data).status_code == 302

    history = editor_client.get(reverse("admin:inspections_inspection_history", args=[inspection.pk]))
    page = history.content.decode()
    assert "Marcie Taylor" in page and "Amanda Maxwell" in page
    assert "editors" in page
    latest = inspection.history.latest()
    assert latest.history_user.username == "editors"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "lead_inspector"] == [
        ("lead_inspector", "Marcie Taylor", "Amanda Maxwell")
    ]


def delete_through_admin(client, inspection):
    """As an editor would: remove the judgements and findings in the inlines, then delete the inspection."""
    for judgement in inspection.judgements.all():
        client.post(reverse("admin:inspections_judgement_delete", args=[judgement.pk]), {"post": "yes"})
    for finding in inspection.findings.all():
        client.post(reverse("admin:inspections_finding_delete", args=[finding.pk]), {"post": "yes"})
    response = client.post(reverse("admin:inspections_inspection_delete", args=[inspection.pk]), {"post": "yes"})
    assert response.status_code == 302


def test_a_deleted_inspection_is_restored_with_its_judgements_findings_and_sources(admin_client):
    source = SourceFactory()
    judgement = JudgementFactory()
    inspection = judgement.inspection
    inspection.sources.add(source)
    finding = FindingFactory(inspection=inspection, text="Plans for children returning home are not up to date.")
    delete_through_admin(admin_client, inspection)
    assert not Inspection.objects.filter(pk=inspection.pk).exists()

    listing = admin_client.get(reverse("admin:inspections_inspection_deleted"))
    assert inspection.council.name in listing.content.decode()

    response = admin_client.post(
        reverse("admin:inspections_inspection_deleted"), {"inspection_id": inspection.pk}, follow=True
    )
    assert "Restored" in response.content.decode()
    restored = Inspection.objects.get(pk=inspection.pk)
    assert restored.lead_inspector == inspection.lead_inspector
    assert list(restored.sources.all()) == [source]
    assert Judgement.objects.get(pk=judgement.pk).grade == judgement.grade
    assert Finding.objects.get(pk=finding.pk).text == finding.text
    assert admin_client.get(reverse("admin:inspections_inspection_deleted")).context["records"].count() == 0


def test_restoring_something_not_deleted_is_a_message_not_an_error(admin_client):
    inspection = InspectionFactory()
    response = admin_client.post(
        reverse("admin:inspections_inspection_deleted"), {"inspection_id": inspection.pk}, follow=True
    )
    assert response.status_code == 200
    assert f"no deleted inspection #{inspection.pk}" in response.content.decode()
    response = admin_client.post(reverse("admin:inspections_inspection_deleted"), {"inspection_id": "x'; --"}, follow=True)
    assert response.status_code == 200


def test_viewers_cannot_restore(viewer_client):
    assert viewer_client.get(reverse("admin:inspections_inspection_deleted")).status_code == 403


def test_deleting_an_inspection_lists_its_judgements_and_findings_and_restoring_brings_them_back(admin_client):
    judgement = JudgementFactory()
    inspection = judgement.inspection
    finding = FindingFactory(inspection=inspection, text="Plans for children returning home are not up to date.")
    delete_url = reverse("admin:inspections_inspection_delete", args=[inspection.pk])

    confirmation = admin_client.get(delete_url)
    page = confirmation.content.decode()
    assert confirmation.status_code == 200 and not confirmation.context["protected"]
    assert str(judgement) in page and "Plans for children returning home" in page

    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Judgement.objects.filter(pk=judgement.pk).exists()
    assert not Finding.objects.filter(pk=finding.pk).exists()

    admin_client.post(reverse("admin:inspections_inspection_deleted"), {"inspection_id": inspection.pk})
    restored = Inspection.objects.get(pk=inspection.pk)
    assert list(restored.judgements.values_list("pk", "area", "grade")) == [
        (judgement.pk, judgement.area, judgement.grade)
    ]
    assert list(restored.findings.values_list("pk", "kind", "text")) == [(finding.pk, finding.kind, finding.text)]
