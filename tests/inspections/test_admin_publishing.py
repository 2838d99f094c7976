"""A new inspection is a draft until an editor publishes it, and each change is kept in its history."""

import pytest
from django.urls import reverse

from inspections.models import Inspection
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_publish_action_publishes_and_records_who(editor_client):
    draft = InspectionFactory(status=Inspection.Status.DRAFT)
    response = editor_client.post(
        reverse("admin:inspections_inspection_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "1 inspection published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.PUBLISHED
    latest = draft.history.latest()
    assert latest.history_user.username == "editors"
    assert latest.history_change_reason == "Published from the list"


def test_unpublish_action_returns_to_draft(editor_client):
    published = InspectionFactory()
    editor_client.post(
        reverse("admin:inspections_inspection_changelist"),
        {"action": "unpublish", "_selected_action": [published.pk]},
    )
    published.refresh_from_db()
    assert published.status == Inspection.Status.DRAFT


def test_viewer_has_no_publish_action(viewer_client):
    draft = InspectionFactory(status=Inspection.Status.DRAFT)
    viewer_client.post(
        reverse("admin:inspections_inspection_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.DRAFT
