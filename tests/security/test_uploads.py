"""Uploads (the admin's report PDF form): limited in size and pages, and refused before parsing when a file
is not what it claims to be.

* A request body over MAX_REQUEST_BYTES is refused (413) from its Content-Length, before anything reads it,
  with the site's security headers (under gunicorn the connection is closed too: test_production_server.py).
* A file over REPORT_UPLOAD_MAX_BYTES is refused by the form; one over REPORT_UPLOAD_MAX_PAGES pages, or
  whose pages are too costly to read, by the bounded reader (report_limits.py), within its time limit.
* A file named .pdf and sent as application/pdf that is a web page, an archive, an image or nothing is
  refused from its first bytes: the PDF parser (pypdf) never sees it.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.importers.report_limits import ParseLimits
from tests.security.crafted_pdf import heavy_pdf
from tests.security.test_report_limits import deadline

pytestmark = pytest.mark.django_db

UPLOAD = "admin:inspections_inspection_import_report"


def upload(client, content, name="report.pdf", content_type="application/pdf"):
    return client.post(reverse(UPLOAD), {"report": SimpleUploadedFile(name, content, content_type)})


def report_error(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get("report", []))


@pytest.fixture
def no_parsing():
    """Fails the test if pypdf is asked to open the file."""
    refuse = AssertionError("pypdf was called")
    with mock.patch("inspections.importers.report_pdf.PdfReader", side_effect=refuse) as reader:
        yield reader


def test_the_request_limit_leaves_room_for_the_largest_report():
    assert settings.MAX_REQUEST_BYTES > settings.REPORT_UPLOAD_MAX_BYTES >= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024


def test_an_oversized_request_is_refused_before_it_is_read(editor_client, settings, no_parsing):
    settings.MAX_REQUEST_BYTES = 50_000
    with mock.patch("inspections.admin.read_report", side_effect=AssertionError("the view ran")):
        response = upload(editor_client, b"%PDF-1.7\n" + b"0" * 60_000)
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not response.wsgi_request.environ["wsgi.input"].read_started  # not a byte of the body was read
    # The refusal is one of the site's pages, with its headers.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "Connection" not in response  # hop-by-hop: not the application's to send (gunicorn.conf.py closes)


def test_an_oversized_request_is_refused_for_anyone(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("admin:login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413


def test_the_limits_are_said_in_the_megabytes_readme_gives(editor_client, settings, no_parsing):
    """20 MB is 20 x 2**20 bytes in settings and docs/deploying.md: the pages say 20, not 21."""
    settings.REPORT_UPLOAD_MAX_BYTES = 12 * 2**20
    message = report_error(upload(editor_client, b"%PDF-1.7\n" + b"0" * (12 * 2**20)))
    assert "This file is 12.0 MB; reports are at most 12 MB." in message
    settings.MAX_REQUEST_BYTES = 50_000
    page = upload(editor_client, b"%PDF-1.7\n" + b"0" * 60_000).content.decode()
    assert "Uploads are at most 12 MB." in page


def test_a_file_over_the_report_limit_is_refused_by_the_form(editor_client, settings, no_parsing):
    settings.REPORT_UPLOAD_MAX_BYTES = 10_000
    message = report_error(upload(editor_client, b"%PDF-1.7\n" + b"0" * 20_000))
    assert "at most" in message


def test_a_report_with_too_many_pages_is_refused_before_its_text_is_read(editor_client, settings):
    """Six pages whose text would take minutes to read: the count refuses them at once."""
    settings.REPORT_UPLOAD_MAX_PAGES = 5
    with deadline(int(ParseLimits.from_settings().seconds)):
        message = report_error(upload(editor_client, heavy_pdf(pages=6)))
    assert "6 pages" in message and "at most 5" in message


def test_a_report_within_the_page_limit_cannot_tie_up_the_server(editor_client, settings):
    """The crafted file of issue 15: as many pages as a report may have, each 10 MB of drawing instructions."""
    content = heavy_pdf(pages=settings.REPORT_UPLOAD_MAX_PAGES)
    assert len(content) < 100_000 < settings.REPORT_UPLOAD_MAX_BYTES
    with deadline(int(ParseLimits.from_settings().seconds)):
        message = report_error(upload(editor_client, content))
    assert "Page 1 of the PDF holds 10.0 MB of drawing instructions" in message


@pytest.mark.parametrize(
    "content, words",
    [
        (b"<!DOCTYPE html><html><head><title>Ofsted</title></head><body>Report</body></html>", "web page"),
        (b"  \n<html><body>Sign in to download</body></html>", "web page"),
        (b"PK\x03\x04" + b"\x00" * 200, "not a PDF"),  # a zip (or .docx, .ods) renamed
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "not a PDF"),  # an old Word or Excel file
        (b"MZ\x90\x00" + b"\x00" * 200, "not a PDF"),  # a Windows program
        (b"x" * 2000 + b"%PDF-1.7", "not a PDF"),  # the marker must open the file
        (b"   \n\t ", "empty"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_before_parsing(editor_client, no_parsing, content, words):
    assert words in report_error(upload(editor_client, content))
    no_parsing.assert_not_called()


def test_a_damaged_pdf_is_refused_with_a_reason(editor_client):
    message = report_error(upload(editor_client, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\ngarbage"))
    assert message  # one line saying why, never a 500


def test_too_many_files_at_once_are_refused(editor_client):
    count = settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
    files = [SimpleUploadedFile(f"report{n}.pdf", b"%PDF-1.7\n") for n in range(count)]
    response = editor_client.post(reverse(UPLOAD), {"report": files})
    assert response.status_code == 400


def test_viewers_and_visitors_cannot_upload(viewer_client_for_uploads, client, no_parsing):
    assert upload(viewer_client_for_uploads, b"%PDF-1.7\n").status_code == 403
    response = upload(client, b"%PDF-1.7\n")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def editor_client(role_clients):
    return role_clients["editor"]


@pytest.fixture
def viewer_client_for_uploads(role_clients):
    return role_clients["viewer"]
