"""Statements a news article reported are the press's words, kept apart from Ofsted's findings everywhere."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from inspections.frameworks import EventType
from inspections.models import Finding, Source
from tests.factories import CouncilFactory, FindingFactory, InspectionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(db):
    council = CouncilFactory(name="Tower Hamlets", slug="tower-hamlets")
    visit = InspectionFactory(
        council=council, event_type=EventType.MONITORING_VISIT, framework="", status="published"
    )
    article = SourceFactory(
        key="cc-article", kind=Source.Kind.NEWS_ARTICLE, publisher="Community Care", title="Council improves",
        published_date=None,
    )
    report = SourceFactory(key="ofsted-report", kind=Source.Kind.OFSTED_REPORT, publisher="Ofsted", title="Report")
    FindingFactory(inspection=visit, kind=Finding.Kind.PRESS_REPORT, source=article, order=1,
                   text="Caseloads are high, Ofsted has said.")
    FindingFactory(inspection=visit, kind=Finding.Kind.OTHER, source=report, order=1,
                   text="Leaders know their services well.")
    return visit


def test_a_press_report_must_cite_a_news_article_and_an_article_cannot_be_ofsteds_finding(visit):
    article = Source.objects.get(key="cc-article")
    report = Source.objects.get(key="ofsted-report")
    with pytest.raises(ValidationError, match="cites the news article"):
        Finding(inspection=visit, kind=Finding.Kind.PRESS_REPORT, source=report, text="x", order=2).full_clean()
    with pytest.raises(ValidationError, match="not Ofsted's finding"):
        Finding(inspection=visit, kind=Finding.Kind.STRENGTH, source=article, text="x", order=2).full_clean()


def test_inspection_page_shows_press_reports_under_their_own_heading(client, visit):
    content = client.get(visit.get_absolute_url()).content.decode()
    findings = content[content.index('id="findings"') : content.index('id="press"')]
    press = content[content.index('id="press"') : content.index('id="sources"')]
    assert "Leaders know their services well." in findings
    assert "Caseloads are high" not in findings
    assert "Reported in the press" in press
    assert "Reported by Community Care (undated)" in press
    assert "Caseloads are high, Ofsted has said." in press


def test_findings_search_counts_only_ofsteds_findings_unless_asked_for_the_press(client, visit):
    response = client.get("/findings/")
    assert response.context["total"] == 1
    assert "Caseloads are high" not in response.content.decode()
    assert [row[1] for row in response.context["chart"].table.rows] == [1]
    kinds = [value for value, _label in response.context["form"]["kind"].field.choices]
    assert "press_report" not in kinds
    response = client.get("/findings/?said_by=press")
    assert response.context["total"] == 1
    assert "Reported by Community Care (undated)" in response.content.decode()


def test_findings_export_carries_whose_words_in_a_column(client, visit):
    def rows(query=""):
        content = b"".join(client.get("/export/findings.csv" + query).streaming_content).decode()
        return list(csv.DictReader(io.StringIO(content)))

    ofsted = rows()
    assert [(r["text"], r["said_by"]) for r in ofsted] == [("Leaders know their services well.", "ofsted")]
    press = rows("?said_by=press")
    assert [(r["said_by"], r["source"]) for r in press] == [("press", "Council improves")]
