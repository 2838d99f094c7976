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
    for document in ("../pyproject.toml", "/etc/passwd", "sources/seeds/", "../inspection_tracker/settings.py"):
        source = SourceFactory(document=document)
        inspection.sources.add(source)
        assert client.get(source.get_document_url()).status_code == 404, document
    # A source no published page cites is not served, though its file ships.
    unpublished = SourceFactory(document="data/ofsted/ilacs_inspection_history.csv.copy")
    assert client.get(unpublished.get_document_url()).status_code == 404
    hidden = Source.objects.get(key="ofsted-letter-tower-hamlets-2010-02-24")
    Inspection.objects.filter(sources=hidden).update(status="draft")
    assert client.get(hidden.get_document_url()).status_code == 404


# -- Finding a council however it is written (councils/lookup.py: CouncilIndex.search) -------------


@pytest.fixture
def more_councils(councils):
    return (
        CouncilFactory(name="St. Helens", slug="st-helens", ofsted_urn="80540", la_code="342"),
        CouncilFactory(name="Sheffield", slug="sheffield", la_code="373"),
    )


def search_box(content):
    """The "Find a council" form of a page."""
    start = content.index('class="app-council-search"')
    return content[start : content.index("</form>", start)]


@pytest.mark.parametrize("path", ["/", "/findings/", "/export/"])
def test_the_home_findings_and_export_pages_have_a_labelled_box_to_find_a_council(client, councils, path):
    content = client.get(path).content.decode()
    box = search_box(content)
    assert '<label class="govuk-label govuk-label--m" for="id_council_search">Find a council</label>' in box
    assert 'id="id_council_search" name="q"' in box
    assert 'action="/"' in content[content.rindex("<form", 0, content.index('class="app-council-search"')) :]


@pytest.mark.parametrize(
    "query, slug",
    [
        ("St Helens", "st-helens"),
        ("Saint Helens Council", "st-helens"),
        ("London Borough of Tower Hamlets", "tower-hamlets"),
        ("tower hamlets", "tower-hamlets"),
        ("80516", "tower-hamlets"),
        ("e09000030", "tower-hamlets"),
        ("00BG", "tower-hamlets"),
    ],
)
def test_the_home_search_goes_to_the_council_it_names(client, more_councils, query, slug):
    response = client.get("/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == f"/councils/{slug}/"


@pytest.mark.parametrize("query, slug", [("Tower", "tower-hamlets"), ("Towr Hamlets", "tower-hamlets"), ("Sheffeld", "sheffield")])
def test_the_home_search_lists_what_it_finds_when_it_names_no_council(client, more_councils, query, slug):
    response = client.get("/", {"q": query}, follow=True)
    assert response.redirect_chain[0][0].startswith("/councils/?q=")
    assert [council.slug for council in response.context["councils"]] == [slug]


@pytest.mark.parametrize(
    "query, slugs",
    [
        ("Tower Hamlet", ["tower-hamlets"]),
        ("Towr Hamlets", ["tower-hamlets"]),
        ("Saint Helens", ["st-helens"]),
        ("St Helens Metropolitan Borough Council", ["st-helens"]),
        ("Sheffeld", ["sheffield"]),
        ("TAMESIDE!", ["tameside"]),
    ],
)
def test_the_council_list_its_export_and_the_api_find_a_council_however_it_is_written(
    client, more_councils, query, slugs
):
    assert [council.slug for council in client.get("/councils/", {"q": query}).context["councils"]] == slugs
    content = b"".join(client.get("/export/councils.csv", {"q": query}).streaming_content).decode()
    assert [row["council_slug"] for row in csv.DictReader(io.StringIO(content))] == slugs
    assert [row["slug"] for row in client.get("/api/councils/", {"q": query}).json()["results"]] == slugs


def test_a_search_that_finds_nothing_suggests_the_nearest_names_as_links(client, more_councils):
    response = client.get("/councils/", {"q": "Tower Hamletz Borough Cuncil"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "No council's name or code is like “Tower Hamletz Borough Cuncil”. Did you mean:" in content
    assert '<a class="govuk-link" href="/councils/tower-hamlets/">Tower Hamlets</a>' in content


@pytest.mark.parametrize("query", ["%%", "<b>Atlantis</b>", "\u00e9\u00e9\u00e9", "Council"])
def test_a_search_for_odd_characters_says_it_found_nothing(client, more_councils, query):
    response = client.get("/", {"q": query}, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "No councils match these filters." in content
    assert "Check the spelling, or search by a code" in content
    assert "<b>Atlantis</b>" not in content


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Enter a council&#x27;s name or code, like Tower Hamlets or 211"),
        ("   ", "Enter a council&#x27;s name or code, like Tower Hamlets or 211"),
        ("x" * 500, "Enter a council&#x27;s name or code in 100 characters or fewer (this has 500)"),
        ("Tower\x00Hamlets", "Null characters are not allowed."),
    ],
)
def test_a_home_search_it_cannot_use_is_a_clear_400_on_the_home_page(client, councils, query, message):
    response = client.get("/", {"q": query})
    assert response.status_code == 400
    content = response.content.decode()
    assert "<title>Error: National overview" in content
    assert "There is a problem with your search" in content
    assert '<a href="#id_council_search">' + message in content
    assert 'aria-describedby="council-search-hint council-search-error"' in content


def test_a_council_the_other_filters_leave_out_is_named_as_a_link(client, more_councils):
    CouncilFactory(name="Northamptonshire", slug="northamptonshire", is_current=False, la_code="928")
    response = client.get("/councils/", {"q": "Northampton"})
    assert response.context["councils"] == []
    content = response.content.decode()
    assert "The other filters leave out the councils whose name or code is like “Northampton”:" in content
    assert '<a class="govuk-link" href="/councils/northamptonshire/">Northamptonshire</a> (former council)' in content
