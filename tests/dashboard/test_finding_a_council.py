"""Finding a council by name or any code, regions by name or code, and links to Ofsted and to shipped copies."""

import csv
import io

import pytest
from django.core.management import call_command

from councils.models import CouncilAlias
from inspections.models import Inspection, Source
from tests.factories import CouncilFactory, InspectionFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils(db):
    london = RegionFactory(code="E12000007", name="London")
    north_west = RegionFactory(code="E12000002", name="North West")
    tower_hamlets = CouncilFactory(
        name="Tower Hamlets", slug="tower-hamlets", ofsted_urn="80516", la_code="211", ons_code="E09000030",
        region=london,
    )
    CouncilAlias.objects.create(council=tower_hamlets, kind=CouncilAlias.Kind.ONS_CODE, value="00BG")
    tameside = CouncilFactory(
        name="Tameside", slug="tameside", ofsted_urn="80569", la_code="357", ons_code="E08000008", region=north_west
    )
    InspectionFactory(council=tower_hamlets, status="published")
    InspectionFactory(council=tameside, status="published")
    return tower_hamlets, tameside


@pytest.mark.parametrize("query", ["80516", "211", "E09000030", "e09000030", "00BG", "Tower", "tower hamlets"])
def test_council_list_finds_a_council_by_name_urn_la_code_or_ons_code(client, councils, query):
    response = client.get("/councils/", {"q": query})
    assert response.status_code == 200
    assert [council.slug for council in response.context["councils"]] == ["tower-hamlets"]


@pytest.mark.parametrize("region", ["London", "london", " LONDON ", "E12000007"])
def test_region_by_name_or_code_in_pages_and_exports(client, councils, region):
    response = client.get("/councils/", {"region": region})
    assert [council.slug for council in response.context["councils"]] == ["tower-hamlets"]
    content = b"".join(client.get("/export/inspections.csv", {"region": region}).streaming_content).decode()
    assert {row["council_slug"] for row in csv.DictReader(io.StringIO(content))} == {"tower-hamlets"}


def test_an_unknown_region_is_still_a_clear_400(client, councils):
    response = client.get("/councils/", {"region": "Atlantis"})
    assert response.status_code == 400
    assert "not one of the options" in response.content.decode()
    assert client.get("/export/inspections.csv", {"region": "Atlantis"}).status_code == 400


def test_council_page_links_to_ofsteds_page_for_the_council_by_urn(client, councils):
    content = client.get("/councils/tower-hamlets/").content.decode()
    assert 'href="https://reports.ofsted.gov.uk/provider/44/80516"' in content
    # Ofsted's statistics link the same page by DfE LA code, used where the URN is not known.
    CouncilFactory(name="No Urn", slug="no-urn", ofsted_urn=None, la_code="999")
    assert 'href="https://reports.ofsted.gov.uk/provider/44/999"' in client.get("/councils/no-urn/").content.decode()
    CouncilFactory(name="No Codes", slug="no-codes", ofsted_urn=None, la_code=None)
    assert "reports.ofsted.gov.uk" not in client.get("/councils/no-codes/").content.decode()


@pytest.fixture
def shipped(db):
    call_command("loaddata", "tower_hamlets", verbosity=0)


def test_the_2010_letter_links_to_its_shipped_copy_served_by_the_app(client, shipped):
    letter = Source.objects.get(key="ofsted-letter-tower-hamlets-2010-02-24")
    inspection = letter.inspections.get()
    content = client.get(inspection.get_absolute_url()).content.decode()
    report_row = content[content.index(">Report</dt>") :]
    report_row = report_row[: report_row.index("</dd>")]
    assert f'href="{letter.get_document_url()}"' in report_row
    assert "Read Ofsted's letter" in report_row.replace("&#x27;", "'")
    response = client.get(letter.get_document_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="ofsted-letter-tower-hamlets-2010-02-24.txt"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert "unannounced inspection" in body.lower()


def test_a_later_report_that_mentions_an_inspection_is_not_linked_as_its_report(client, shipped):
    safeguarding_2012 = Inspection.objects.get(framework="safeguarding_lac_2009")
    assert safeguarding_2012.sources.filter(kind=Source.Kind.OFSTED_REPORT).exists()  # the 2017 report
    content = client.get(safeguarding_2012.get_absolute_url()).content.decode()
    report_row = content[content.index(">Report</dt>") :]
    assert "No link to Ofsted's report is known" in report_row[: report_row.index("</dd>")]


def test_news_articles_link_to_their_shipped_copies(client, shipped):
    for article in Source.objects.filter(kind=Source.Kind.NEWS_ARTICLE):
        assert client.get(article.get_document_url()).status_code == 200, article.key


def test_only_registered_documents_inside_fixtures_are_served(client, shipped):
    assert client.get("/sources/no-such-source/document").status_code == 404
    inspection = Inspection.objects.published().first()
    for document in ("../pyproject.toml", "/etc/passwd", "sources/seeds/", "../dashboard/settings.py"):
        source = SourceFactory(document=document)
        inspection.sources.add(source)
        assert client.get(source.get_document_url()).status_code == 404, document
    # A source no published page cites is not served, though its file ships.
    unpublished = SourceFactory(document="data/ofsted/ilacs_inspection_history.csv.copy")
    assert client.get(unpublished.get_document_url()).status_code == 404
    hidden = Source.objects.get(key="ofsted-letter-tower-hamlets-2010-02-24")
    Inspection.objects.filter(sources=hidden).update(status="draft")
    assert client.get(hidden.get_document_url()).status_code == 404
