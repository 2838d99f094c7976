"""Public pages of the shipped record speak to readers: no editors' notes, file names or our own jargon.

The record is fixtures/tower_hamlets.json as shipped; every public page it produces is read as text.
"""

import html
import re

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from inspections.models import Inspection, Source

pytestmark = pytest.mark.django_db

# Words only editors use: our file and folder names, and the vocabulary of how the record was built.
EDITORIAL = re.compile(
    r"\bseeds?\b|natural key|\bthe model\b|fixtures/|sources/|\b\d{3}_[0-9a-f]{16}\b|\.txt\b",
    re.IGNORECASE,
)


@pytest.fixture
def shipped(db):
    call_command("loaddata", "tower_hamlets", verbosity=0)


def public_pages():
    pages = ["/", "/councils/", "/councils/tower-hamlets/", "/findings/", "/findings/?said_by=press", "/export/"]
    pages += [inspection.get_absolute_url() for inspection in Inspection.objects.published()]
    return pages


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    # Link targets are not text, but a link's address must not name our folders either.
    hrefs = " ".join(re.findall(r'href="([^"]*)"', main))
    return html.unescape(strip_tags(main)), hrefs


def test_no_editorial_vocabulary_on_any_public_page(client, shipped):
    pages = public_pages()
    assert len(pages) == 6 + 9
    for path in pages:
        text, hrefs = page_text(client, path)
        found = EDITORIAL.findall(text)
        assert found == [], f"{path}: {found}"
        assert "fixtures" not in hrefs and "seeds" not in hrefs, path


def test_editors_notes_stay_in_admin_and_public_notes_are_shown(client, shipped):
    for inspection in Inspection.objects.published().exclude(notes=""):
        text, _ = page_text(client, inspection.get_absolute_url())
        assert inspection.notes not in text
        assert inspection.public_note, inspection
        assert inspection.public_note in text


def test_sources_are_cited_by_publisher_title_and_date(client, shipped):
    letter = Source.objects.get(key="ofsted-letter-tower-hamlets-2010-02-24")
    inspection = letter.inspections.get()
    text, hrefs = page_text(client, inspection.get_absolute_url())
    assert "Ofsted, “Annual unannounced inspection of contact, referral and assessment arrangements" in text
    assert "24 February 2010" in text
    assert letter.get_document_url() in hrefs
    article = Source.objects.get(key="communitycare-tower-hamlets-struggle-to-articulate-practice-model")
    text, _ = page_text(client, article.inspections.get(event_type="monitoring_visit").get_absolute_url())
    assert "Community Care, “Social workers ‘struggle to articulate’" in text
    assert "date not given" in text
