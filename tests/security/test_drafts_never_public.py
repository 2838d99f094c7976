"""Drafts never reach the public: no page, search, chart, count or export shows a draft or anything in it.

The draft (from the `history` fixture) is the newest event of Tower Hamlets, with a theme and a finding
that say so; here it also gets a grade, which would change the council's latest grade if it leaked. The
pages are read signed out and as a superuser: being allowed to see drafts in the admin does not put them
on the public pages.
"""

import csv
import io

import pytest
from django.urls import reverse

from inspections.exports import DATASETS
from inspections.query_parameters import is_filter
from inspections.frameworks import Area, Grade
from tests.conftest import kept_for_the_module
from tests.histories import make_history
from tests.factories import JudgementFactory
from tests.security.conftest import DRAFT_MARKERS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The history with its graded draft, built once for the module; the tests only read it."""
    with kept_for_the_module(django_db_blocker):
        history = make_history()
        JudgementFactory(inspection=history.draft, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.INADEQUATE)
        yield history


@pytest.fixture
def history(built, db):
    return built


@pytest.fixture
def draft(history):
    history.draft.refresh_from_db()
    return history.draft


def page_paths(history):
    published = [event for name, event in vars(history).items() if hasattr(event, "status") and event != history.draft]
    return [
        reverse("overview"),
        reverse("council-list"),
        reverse("council-list") + "?grade=inadequate",
        reverse("council-list") + "?sort=-date",
        reverse("council-detail", args=["tower-hamlets"]),
        reverse("finding-search"),
        reverse("finding-search") + "?q=caseloads",
        reverse("finding-search") + "?q=hidden",
        reverse("finding-search") + "?council=tower-hamlets&sort=-date",
        reverse("coverage"),
        reverse("export-index"),
        reverse("export-index") + "?council=tower-hamlets",
        *(event.get_absolute_url() for event in published),
    ]


@pytest.fixture(params=["anonymous", "superuser"])
def reader(request, role_clients):
    return role_clients[request.param]


def test_no_page_shows_a_draft(reader, history, draft):
    draft_link = reverse("inspection-detail", args=[draft.pk])
    for path in page_paths(history):
        response = reader.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for marker in DRAFT_MARKERS:
            assert marker not in html, (path, marker)
        assert f'href="{draft_link}"' not in html, path
        assert "1 September 2025" not in html, path  # the draft's date, on the timeline or a chart


def test_the_drafts_page_is_not_found(reader, draft):
    assert reader.get(reverse("inspection-detail", args=[draft.pk])).status_code == 404


def test_a_draft_grade_does_not_change_the_latest_grade(reader, history, draft):
    response = reader.get(reverse("council-list") + "?grade=inadequate")
    assert "Tower Hamlets" not in [council.name for council in response.context["councils"]]


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("query", ["", "?council=tower-hamlets", "?start_date_after=2025-01-01"])
def test_no_export_holds_a_draft(reader, history, draft, dataset, query):
    if query.startswith("?council") and not is_filter(DATASETS[dataset].filterset_class, "council"):
        query = "?q=Tower+Hamlets"  # the councils dataset is searched by name
    response = reader.get(reverse("export-csv", args=[dataset]) + query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for marker in DRAFT_MARKERS:
        assert marker not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        assert row.get("inspection_id") != str(draft.pk)
        assert row.get("start_date") != "2025-09-01"
        assert row.get("last_inspection_date") != "2025-09-01"
