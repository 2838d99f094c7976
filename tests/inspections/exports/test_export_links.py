"""The browsing pages link to the CSV of what they show, with the filters the export understands."""

import re

import pytest

from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


def export_links(response):
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/export/[^"]+\.csv[^"]*)"', response.content.decode())]


def test_council_list_links_to_the_councils_it_shows(client, country):
    page = client.get("/councils/?region=E12000007&sort=name&q=")
    assert page.status_code == 200
    (link,) = export_links(page)
    assert link.startswith("/export/councils.csv?")
    assert "region=E12000007" in link and "q=" not in link
    assert sorted(row["council_slug"] for row in read_csv(client.get(link))) == ["camden", "tower-hamlets"]


def test_findings_search_links_to_the_matching_findings_without_the_page_number(client, country):
    page = client.get("/findings/?q=caseloads&page=1")
    (link,) = export_links(page)
    assert "page=" not in link and "q=caseloads" in link
    rows = read_csv(client.get(link))
    assert [row["text"] for row in rows] == ["Caseloads in the assessment teams are too high."]


def test_council_page_links_to_each_of_its_datasets(client, country):
    links = export_links(client.get("/councils/tower-hamlets/"))
    assert sorted(links) == sorted(
        f"/export/{name}.csv?council=tower-hamlets" for name in ("inspections", "judgements", "findings", "key_figures")
    )
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        assert {row["council_slug"] for row in read_csv(response)} == {"tower-hamlets"}


def test_inspection_page_links_to_its_councils_judgements_and_findings(client, country):
    links = export_links(client.get(f"/inspections/{country['latest'].pk}/"))
    assert links == ["/export/judgements.csv?council=tower-hamlets", "/export/findings.csv?council=tower-hamlets"]


def test_every_page_links_to_the_downloads(client, country):
    assert 'href="/export/"' in client.get("/").content.decode()
