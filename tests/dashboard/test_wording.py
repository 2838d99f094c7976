"""Words on the pages: articles, possessives, headings as the reports print them, and one count of events."""

import pytest
from django.core.management import call_command

from dashboard.templatetags.tracker import possessive, with_article
from inspections.frameworks import EventType, Framework
from inspections.models import Finding, Inspection
from tests.factories import CouncilFactory, FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def test_possessive_and_article():
    assert possessive("Tower Hamlets") == "Tower Hamlets'"
    assert possessive("Camden") == "Camden's"
    assert with_article("unannounced inspection") == "an unannounced inspection"
    assert with_article("monitoring visit") == "a monitoring visit"


@pytest.fixture
def shipped(db):
    call_command("loaddata", "tower_hamlets", verbosity=0)


def text_of(client, inspection):
    return client.get(inspection.get_absolute_url()).content.decode()


def test_shipped_pages_read_well(client, shipped):
    unannounced = Inspection.objects.get(event_type=EventType.UNANNOUNCED_INSPECTION)
    content = text_of(client, unannounced)
    assert "An unannounced inspection is not graded" in content
    assert "A unannounced" not in content
    # The 2010 letter's headings, plural as the letter prints them.
    assert ">Strengths</h3>" in content and ">Areas for development</h3>" in content
    assert ">Strength</h3>" not in content
    council_page = client.get("/councils/tower-hamlets/").content.decode()
    assert "Hamlets's" not in council_page and "Hamlets&#x27;s" not in council_page
    assert "Tower Hamlets&#x27; data" in council_page or "Tower Hamlets' data" in council_page
    for visit in Inspection.objects.filter(event_type=EventType.MONITORING_VISIT):
        assert "Not known" not in text_of(client, visit)
        assert ">Framework</dt>" not in text_of(client, visit)


def test_recommendations_are_headed_as_each_framework_prints_them(client):
    council = CouncilFactory()
    ilacs = InspectionFactory(council=council, framework=Framework.ILACS, event_type=EventType.STANDARD_INSPECTION,
                              status="published")
    sif = InspectionFactory(council=council, framework=Framework.SIF, event_type=EventType.FULL_INSPECTION,
                            status="published")
    for inspection in (ilacs, sif):
        FindingFactory(inspection=inspection, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE)
    assert ">What needs to improve</h3>" in text_of(client, ilacs)
    assert ">Recommendations</h3>" in text_of(client, sif)
    assert "Recommendation / what needs to improve" not in text_of(client, ilacs)


def test_one_count_of_inspections_and_visits_on_the_home_page_and_the_export(client):
    council = CouncilFactory()
    InspectionFactory(council=council, status="published", start_date=None, published_date=None)
    InspectionFactory(council=council, status="published", event_type=EventType.MONITORING_VISIT)
    InspectionFactory(council=council, status="draft")
    home = client.get("/")
    export = client.get("/export/")
    inspections = next(item for item in export.context["datasets"] if item["dataset"].name == "inspections")
    assert home.context["inspection_count"] == inspections["count"] == 2
    assert "from 2 published inspections and visits" in home.content.decode()
