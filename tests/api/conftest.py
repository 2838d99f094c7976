import pytest

from inspections.frameworks import EventType, Framework
from inspections.models import Finding, Source
from tests.histories import inspection
from tests.factories import FindingFactory, SourceFactory


def walk(client, url, **headers):
    """Every row of an API list, following `next` from page to page; and the number of pages."""
    rows, pages = [], 0
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
        pages += 1
    return rows, pages


@pytest.fixture
def record(history):
    """The dashboard's history, with an undated visit (empty dates sort last) and a statement from the press."""
    history.undated = inspection(history.hackney, EventType.MONITORING_VISIT, Framework.ILACS, None, published=None)
    article = SourceFactory(kind=Source.Kind.NEWS_ARTICLE, publisher="East London Advertiser", title="Council praised")
    FindingFactory(inspection=history.short, kind=Finding.Kind.PRESS_REPORT, order=1, source=article, text="Praised by inspectors.")
    return history
