"""A change re-renders what it touched: the pages of the council changed, the pages that show it, and the
national pages; every other council's stored pages are served as they are, and no stored page ever differs
from a fresh render.

tests/histories.py: Tower Hamlets (London) has Manchester (North West) and Hackney as its statistical
neighbours; Hackney and Camden are its London peers; Northamptonshire, a former council, is Manchester's
North West peer. A change to Manchester shows on Manchester's, Tower Hamlets' (neighbours) and
Northamptonshire's (region) pages, not on Hackney's or Camden's.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Council
from importing.files import ImportSummary
from inspections import national_cache
from inspections.frameworks import EventType, Framework, Grade
from inspections.importers.inspection_writer import InspectionRecord, InspectionWriter
from inspections.models import Inspection, Source
from inspections.undelete import restore_inspection
from tests.factories import CouncilFactory, SourceFactory
from tests.histories import inspection
from tests.inspections.admin_forms import inspection_form

pytestmark = pytest.mark.django_db

SHOWING_MANCHESTER = {"manchester", "tower-hamlets", "northamptonshire"}
NOT_SHOWING_MANCHESTER = {"hackney", "camden"}


def council_page(slug):
    return reverse("council-detail", args=[slug])


@pytest.fixture
def pages(history):
    """Every kind of public page: the national ones, each council's page and inspection pages, by what they show."""
    national = [
        reverse("overview"),
        reverse("council-list"),
        reverse("council-list") + "?region=E12000007",
        reverse("finding-search") + "?q=caseload",
        reverse("coverage"),
        reverse("export-index"),
        reverse("feed-england", args=["atom"]),
        reverse("feed-council", args=["manchester", "rss"]),
        reverse("api-council-list"),
        reverse("api-inspection-detail", args=[history.short.pk]),
    ]
    councils = {slug: council_page(slug) for slug in SHOWING_MANCHESTER | NOT_SHOWING_MANCHESTER}
    inspections = {
        "tower-hamlets": reverse("inspection-detail", args=[history.short.pk]),
        "hackney": reverse("inspection-detail", args=[history.hackney.inspections.get().pk]),
        "manchester": reverse("inspection-detail", args=[history.manchester.inspections.get().pk]),
    }
    return {"national": national, "councils": councils, "inspections": inspections}


def every_page(pages):
    return [*pages["national"], *pages["councils"].values(), *pages["inspections"].values()]


def rendered(client, url):
    """Requests the page: whether it was rendered for it (more queries than the one for its versions)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries) > 1


def store(client, urls):
    for url in urls:
        client.get(url)
    assert not [url for url in urls if rendered(client, url)]


def rendered_again(client, urls):
    """Requests each page once; the pages that were rendered for it (the others were served as stored)."""
    return {url for url in urls if rendered(client, url)}


def assert_every_stored_page_is_a_fresh_render(client, urls):
    stored = {url: client.get(url).content for url in urls}
    caches["pages"].clear()
    for url in urls:
        assert client.get(url).content == stored[url], url


# -- The writes ------------------------------------------------------------------------------------------


def admin_change(url, **changes):
    """Posts the admin's change form at `url` as a browser would, with `changes` made to it."""
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", "admin@example.com", "not-used"))
    page = admin.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()})
        for each in formset.initial_forms:
            values = {name: each[name].value() for name in each.fields}
            data.update({f"{each.prefix}-{name}": value for name, value in values.items() if value is not None})
    data.update(changes)
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def rename_in_the_admin(history):
    admin_change(reverse("admin:councils_council_change", args=[history.manchester.pk]), name="Manchester City")


def new_grade_in_the_admin(history):
    event = history.manchester.inspections.get()
    admin_change(
        reverse("admin:inspections_inspection_change", args=[event.pk]),
        **{"judgements-0-grade": Grade.INADEQUATE, "lead_inspector": "A name changed in the admin"},
    )


def inspection_added_in_the_admin(history):
    admin_change(
        reverse("admin:inspections_inspection_add"),
        **inspection_form(
            history.manchester,
            status=Inspection.Status.PUBLISHED,
            start_date="2025-01-13",
            end_date="2025-01-24",
            published_date="2025-03-01",
        ),
    )


def imported(history):
    """An importer's bulk write: Ofsted's statistics give Manchester a new inspection (no signals sent)."""
    statistics = Source.objects.get(key="statistics")
    with transaction.atomic():
        writer = InspectionWriter(statistics, ImportSummary("outcomes.ods"), official=True)
        writer.apply(
            InspectionRecord(
                council=history.manchester,
                event_type=EventType.STANDARD_INSPECTION,
                framework=Framework.ILACS,
                start_date=datetime.date(2025, 1, 13),
                published_date=datetime.date(2025, 3, 1),
                grades={"overall": Grade.INADEQUATE, "leaders": Grade.INADEQUATE},
            )
        )
        writer.finish()
    assert history.manchester.inspections.count() == 2


def undeleted(history):
    restore_inspection(history.deleted_pk)


WRITES_TO_MANCHESTER = [rename_in_the_admin, new_grade_in_the_admin, inspection_added_in_the_admin, imported, undeleted]


@pytest.fixture
def before_the_write(history):
    """What each write needs in the database before the pages are stored."""
    SourceFactory(key="statistics", kind=Source.Kind.OFSTED_STATISTICS, title="Local authority inspection outcomes")
    kept = history.manchester.inspections.get()
    deleted = inspection(
        history.manchester,
        EventType.FOCUSED_VISIT,
        Framework.ILACS,
        datetime.date(2024, 10, 7),
        datetime.date(2024, 10, 8),
        published=datetime.date(2024, 11, 12),
    )
    history.deleted_pk = deleted.pk
    deleted.delete()
    assert history.manchester.inspections.get() == kept
    return history


# -- The tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("write", WRITES_TO_MANCHESTER, ids=lambda write: write.__name__)
def test_a_write_to_one_council_renders_only_the_pages_that_show_it(client, pages, before_the_write, write):
    urls = every_page(pages)
    store(client, urls)
    write(before_the_write)
    assert rendered_again(client, urls) == {
        *pages["national"],
        *(pages["councils"][slug] for slug in SHOWING_MANCHESTER),
        pages["inspections"]["manchester"],
    }
    assert_every_stored_page_is_a_fresh_render(client, urls)


@pytest.mark.parametrize("write", WRITES_TO_MANCHESTER, ids=lambda write: write.__name__)
def test_another_councils_stored_page_is_served_after_one_query(
    client, pages, before_the_write, write, django_assert_max_num_queries
):
    unrelated = [pages["councils"]["hackney"], pages["inspections"]["hackney"], pages["councils"]["camden"]]
    before = {url: client.get(url) for url in unrelated}
    write(before_the_write)
    for url in unrelated:
        with django_assert_max_num_queries(1):  # the versions: the page comes from the cache
            response = client.get(url)
        assert response.context is None and response.content == before[url].content, url
        assert response["ETag"] == before[url]["ETag"] and response["Last-Modified"] == before[url]["Last-Modified"]
        with django_assert_max_num_queries(1):
            assert client.get(url, headers={"if-none-match": before[url]["ETag"]}).status_code == 304


def test_the_changed_councils_pages_answer_a_held_etag_with_the_new_page(client, pages, before_the_write):
    url = pages["councils"]["tower-hamlets"]  # shows Manchester as its closest neighbour
    first = client.get(url)
    rename_in_the_admin(before_the_write)
    response = client.get(url, headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]})
    assert response.status_code == 200 and "Manchester City" in response.content.decode()
    assert response["ETag"] != first["ETag"]
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_write_that_cannot_say_which_councils_renders_every_page(client, pages, history):
    urls = every_page(pages)
    store(client, urls)
    Inspection.objects.filter(council=history.council).update(lead_inspector="Changed in bulk")  # no signal
    national_cache.invalidate()  # as restore, load_data and the synthetic data say it
    assert rendered_again(client, urls) == set(urls)
    assert_every_stored_page_is_a_fresh_render(client, urls)


def test_a_change_to_the_comparison_tables_membership_renders_the_page(client, pages, history):
    """A council joining the region shows in its peers' tables, though no row of theirs changed."""
    url = pages["councils"]["camden"]
    store(client, [url])
    history.manchester.region = history.council.region
    history.manchester.save()
    assert rendered(client, url)
    assert_every_stored_page_is_a_fresh_render(client, [url])


@pytest.mark.django_db(transaction=True)
def test_a_restore_renders_every_councils_page_afresh(client, tmp_path):
    """A restore writes every council back under the same id, and its council's version as it was."""
    CouncilFactory(name="Before The Backup", slug="restored")
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    council = Council.objects.get(slug="restored")
    council.name = "After The Backup"
    council.save()
    url = council_page("restored")
    assert "After The Backup" in client.get(url).content.decode()
    call_command("restore", str(path), replace=True, force=True)
    assert "Before The Backup" in client.get(url).content.decode()
