"""Archive-derived inspections on the pages: their report cited as publisher, title and date, with the file's name
and checksum in an "about this record" line; the page each finding was read from; sources that disagree; coverage."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import EventType, Framework, Grade
from inspections.models import Disagreement, Finding, Origin, Source
from tests.factories import CouncilFactory, FindingFactory, InspectionFactory, JudgementFactory, SourceFactory

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "https://files.ofsted.gov.uk/v1/file/50000266"


@pytest.fixture
def sif():
    council = CouncilFactory(name="Birmingham", slug="birmingham")
    report = SourceFactory(
        kind=Source.Kind.OFSTED_REPORT,
        title="Birmingham: Inspection of services for children in need of help and protection",
        published_date=D(2014, 5, 23),
        url=URL,
        file_name="children's services inspection - 23 may 2014.pdf",
        sha256="ab" * 32,
        notes="Read from 80429_birmingham/... by the report reader.",
    )
    history = SourceFactory(kind=Source.Kind.DATASET, title="ILACS inspection history", publisher="ofsted-ilacs-scrape-tool")
    inspection = InspectionFactory(
        council=council, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=D(2014, 3, 18),
        end_date=D(2014, 4, 10), published_date=D(2014, 5, 23), origin=Origin.REPORT_PDF, report_url=URL,
    )
    inspection.sources.add(report, history)
    JudgementFactory(inspection=inspection, area="overall_effectiveness", grade=Grade.INADEQUATE, source=report)
    FindingFactory(inspection=inspection, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, order=1, page=41, text="Check the neglect cases.")
    Disagreement.objects.create(
        inspection=inspection, subject="published_date", kept_value="23 May 2014", kept_source=report,
        other_value="27 May 2014", other_source=history,
    )
    return inspection


def test_the_report_is_cited_with_its_link_and_the_file_only_in_about_this_record(client, sif):
    html = client.get(reverse("inspection-detail", args=[sif.pk])).content.decode()
    assert (
        f'Ofsted report, <a class="govuk-link" href="{URL}" rel="noopener">Birmingham: Inspection of services for '
        "children in need of help and protection</a>, published 23 May 2014"
    ) in html
    about = html.split("About this record", 1)[1]
    assert "children&#x27;s services inspection - 23 may 2014.pdf" in about and "ab" * 32 in about
    assert "80429_birmingham" not in html  # the archive's folders, and editors' notes, stay off the page


def test_every_finding_names_its_page(client, sif):
    for url in (
        reverse("inspection-detail", args=[sif.pk]),
        reverse("council-detail", args=["birmingham"]),
        reverse("finding-search") + "?q=neglect",
    ):
        assert "report page 41" in client.get(url).content.decode(), url


def test_sources_disagree_shows_both_values_and_both_sources(client, sif):
    html = client.get(reverse("inspection-detail", args=[sif.pk])).content.decode()
    section = html.split('id="sources-disagree"', 1)[1].split("</table>", 1)[0]
    assert "Published date" in section
    assert "23 May 2014" in section and "Ofsted report" in section
    assert "27 May 2014" in section and "ILACS inspection history" in section


def test_coverage_counts_events_dates_grades_findings_and_sources(client, sif):
    InspectionFactory(council=sif.council, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF,
                      start_date=None, published_date=D(2014, 2, 1), origin=Origin.OFSTED_OUTCOMES)
    response = client.get(reverse("coverage"))
    rows = {(row["year"], row["event_type"]): [n for _label, n in row["counts"]] for row in response.context["by_year"]}
    # events, with dates, grades, findings
    assert rows[(2014, "full_inspection")] == [2, 1, 1, 1]
    council_row = next(row for row in response.context["by_council"] if row["council__slug"] == "birmingham")
    assert [n for _label, n in council_row["counts"]] == [2, 1, 1]  # events, graded, with findings
    # events drawing on the official statistics, the reports, the history file, our editors
    assert [n for _label, n in response.context["by_source"]] == [0, 1, 1, 0]
    html = response.content.decode()
    assert "What the record covers" in html and 'href="/councils/birmingham/"' in html


def test_coverage_is_linked_from_the_footer_and_the_export_page(client, db):
    html = client.get(reverse("export-index")).content.decode()
    assert html.count(f'href="{reverse("coverage")}"') == 2


def test_findings_search_filters_by_year(client, sif):
    assert client.get(reverse("finding-search"), {"year": "2014"}).context["total"] == 1
    assert client.get(reverse("finding-search"), {"year": "2015"}).context["total"] == 0


def test_the_findings_csv_gives_the_page(client, sif):
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    response = client.get(reverse("export-csv", args=["findings"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(row["text"], row["page"]) for row in rows] == [("Check the neglect cases.", "41")]
