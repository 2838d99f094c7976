"""Editors keep the record current; viewers only look; councils' codes and users stay with superusers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from councils.models import Council
from inspections.groups import EDITORS, VIEWERS
from inspections.models import Inspection
from tests.factories import CouncilFactory, JudgementFactory
from tests.inspections.admin_forms import inspection_form

pytestmark = pytest.mark.django_db


def test_setup_groups_is_repeatable(capsys):
    call_command("setup_groups")
    call_command("setup_groups")
    assert "Editors: updated" in capsys.readouterr().out
    assert Group.objects.filter(name__in=[EDITORS, VIEWERS]).count() == 2


def test_setup_groups_removes_permissions_added_by_hand():
    call_command("setup_groups")
    viewers = Group.objects.get(name=VIEWERS)
    viewers.permissions.add(*Group.objects.get(name=EDITORS).permissions.all())
    call_command("setup_groups")
    assert not viewers.permissions.exclude(codename__startswith="view_").exists()


def test_editor_adds_an_inspection(editor_client):
    council = CouncilFactory()
    response = editor_client.post(reverse("admin:inspections_inspection_add"), inspection_form(council))
    assert response.status_code == 302
    assert Inspection.objects.get(council=council).status == Inspection.Status.DRAFT


def test_editor_changes_an_inspection(editor_client):
    judgement = JudgementFactory()
    inspection = judgement.inspection
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert editor_client.get(url).status_code == 200
    form = inspection_form(
        inspection.council,
        status=inspection.status,
        start_date=inspection.start_date.isoformat(),
        end_date=inspection.end_date.isoformat(),
        published_date=inspection.published_date.isoformat(),
        lead_inspector="Someone Else",
    )
    response = editor_client.post(url, form)
    assert response.status_code == 302, response.context["errors"] if response.status_code == 200 else response
    assert response["Location"] == reverse("admin:inspections_inspection_changelist")
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Someone Else"
    assert list(inspection.judgements.all()) == [judgement]  # judgements not sent in the form are kept


def test_editor_cannot_change_a_councils_codes(editor_client):
    council = CouncilFactory(la_code="211")
    url = reverse("admin:councils_council_change", args=[council.pk])
    response = editor_client.post(url, {"name": council.name, "slug": council.slug, "la_code": "999"})
    assert response.status_code == 403
    council.refresh_from_db()
    assert council.la_code == "211"


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_viewer_sees_but_cannot_add_or_change(viewer_client):
    judgement = JudgementFactory()
    inspection = judgement.inspection
    assert viewer_client.get(reverse("admin:inspections_inspection_changelist")).status_code == 200
    assert viewer_client.get(reverse("admin:inspections_inspection_add")).status_code == 403
    change_url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    response = viewer_client.post(change_url, inspection_form(inspection.council, lead_inspector="Someone Else"))
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.lead_inspector != "Someone Else"


def test_viewer_cannot_delete(viewer_client):
    council = CouncilFactory()
    response = viewer_client.post(reverse("admin:councils_council_delete", args=[council.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Council.objects.filter(pk=council.pk).exists()


def test_admin_needs_a_staff_login(client):
    response = client.get(reverse("admin:inspections_inspection_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
