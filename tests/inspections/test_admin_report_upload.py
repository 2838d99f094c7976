"""Editors upload an Ofsted report PDF in admin: a draft to check, or what differs from the recorded one."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfWriter

from inspections.frameworks import Area, Grade
from inspections.models import Finding, Inspection
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

REPORTS = settings.FIXTURES_DIR / "reports"
TOWER_HAMLETS_2019 = REPORTS / "tower-hamlets" / "tower-hamlets_published-2019-07-22.pdf"
UPLOAD = "admin:inspections_inspection_import_report"


def upload(client, path=None, content=None, name="report.pdf"):
    data = content if content is not None else path.read_bytes()
    return client.post(reverse(UPLOAD), {"report": SimpleUploadedFile(name, data, "application/pdf")})


@pytest.fixture
def tower_hamlets():
    return CouncilFactory(name="Tower Hamlets", slug="tower-hamlets")


def form_errors(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("report", []))


def test_a_report_becomes_a_draft_with_judgements_and_findings(editor_client, tower_hamlets):
    response = upload(editor_client, TOWER_HAMLETS_2019)
    inspection = Inspection.objects.get(council=tower_hamlets)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert inspection.status == Inspection.Status.DRAFT
    assert inspection.lead_inspector == "Marcie Taylor"
    assert str(inspection.start_date) == "2019-06-10" and str(inspection.end_date) == "2019-06-21"
    assert dict(inspection.judgements.values_list("area", "grade")) == {
        Area.OVERALL_EFFECTIVENESS: Grade.GOOD,
        Area.LEADERSHIP: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
        Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.GOOD,
    }
    assert inspection.findings.filter(kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE).count() == 3
    assert inspection.history.latest().history_user.username == "editors"


def test_the_same_report_again_shows_it_is_recorded_and_what_differs(editor_client, tower_hamlets):
    upload(editor_client, TOWER_HAMLETS_2019)
    inspection = Inspection.objects.get()
    inspection.lead_inspector = "Someone Else"
    inspection.save()
    response = upload(editor_client, TOWER_HAMLETS_2019)
    page = response.content.decode()
    assert response.status_code == 200
    assert "already in the database" in page
    assert "Someone Else" in page and "Marcie Taylor" in page
    assert Inspection.objects.count() == 1


def test_an_html_page_saved_as_pdf_is_refused_and_nothing_saved(editor_client, tower_hamlets):
    response = upload(editor_client, REPORTS / "sample" / "birmingham_published-2012-10-19.pdf")
    assert "Report not found" in form_errors(response)
    assert not Inspection.objects.exists()


def test_a_pdf_that_is_not_an_ofsted_report_is_refused(editor_client, tower_hamlets):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = io.BytesIO()
    writer.write(pdf)
    assert form_errors(upload(editor_client, content=pdf.getvalue()))
    assert not Inspection.objects.exists()


@override_settings(REPORT_UPLOAD_MAX_BYTES=10_000)
def test_a_file_over_the_size_limit_is_refused_before_reading(editor_client, tower_hamlets):
    assert "reports are at most" in form_errors(upload(editor_client, TOWER_HAMLETS_2019))
    assert not Inspection.objects.exists()


def test_viewers_cannot_import(viewer_client, tower_hamlets):
    assert upload(viewer_client, TOWER_HAMLETS_2019).status_code == 403
    assert not Inspection.objects.exists()


def test_a_draft_is_public_only_once_published(editor_client, client, tower_hamlets):
    upload(editor_client, TOWER_HAMLETS_2019)
    draft = Inspection.objects.get()
    assert client.get(f"/inspections/{draft.pk}/").status_code == 404
    assert "Marcie Taylor" not in client.get("/councils/tower-hamlets/").content.decode()
    editor_client.post(
        reverse("admin:inspections_inspection_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert client.get(f"/inspections/{draft.pk}/").status_code == 200
    assert "Marcie Taylor" in client.get("/councils/tower-hamlets/").content.decode()
