"""National aggregates are cached per data version, and any change of the data shows on the next request."""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.urls import reverse

from councils.models import Council, StatisticalNeighbour
from inspections import national_cache
from inspections.models import CouncilVersion, DataVersion, Inspection, Source
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def overview(client):
    response = client.get(reverse("overview"))
    assert response.status_code == 200
    return response


def test_the_overview_is_served_from_the_cache_until_the_data_change(client, history, django_assert_num_queries):
    first = overview(client)
    count = first.context["inspection_count"]
    with django_assert_num_queries(1):  # the data version only
        second = overview(client)
    assert second.content == first.content
    # A bulk update sends no signal: the cache, unaware, still serves the old page...
    Inspection.objects.filter(pk=history.short.pk).update(status=Inspection.Status.DRAFT)
    assert overview(client).content == first.content
    # ...until the writer says the data changed, as the importers and the generator do.
    national_cache.invalidate()
    assert overview(client).context["inspection_count"] == count - 1


def test_a_save_or_delete_shows_on_the_next_request(client, history):
    count = overview(client).context["inspection_count"]
    history.focused.theme = "A theme changed by an editor"
    history.focused.save()
    assert "A theme changed by an editor" in overview(client).content.decode()
    history.focused.findings.all().delete()
    history.focused.delete()
    after = overview(client)
    assert "A theme changed by an editor" not in after.content.decode()
    assert after.context["inspection_count"] == count - 1


def test_an_admin_edit_shows_on_the_next_request(client, history):
    assert "Greater London" not in overview(client).content.decode()
    admin = User.objects.create_superuser("admin", "admin@example.com", "not-used")
    client.force_login(admin)
    region = history.council.region
    response = client.post(
        reverse("admin:councils_region_change", args=[region.pk]), {"code": region.code, "name": "Greater London"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert "Greater London" in overview(client).content.decode()


def test_changes_in_a_transaction_change_the_version_once(history):
    before = national_cache.version()
    with transaction.atomic():
        history.focused.save()
        during = DataVersion.objects.get().value
        history.short.save()
        assert DataVersion.objects.get().value == during  # once a transaction: the row stays locked till commit
    assert during != before


def test_a_change_after_reading_the_version_in_the_same_transaction_changes_it_again(history):
    # As in a test, or a view that writes and then reads: the page must show the second change too.
    with transaction.atomic():
        history.focused.save()
        first = national_cache.version()
        history.short.save()
        assert national_cache.version() != first


def test_a_rolled_back_change_leaves_the_version(history):
    before = national_cache.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        history.focused.save()
        raise RuntimeError
    assert national_cache.version() == before


def test_the_council_list_shows_a_change_at_once(client, history):
    response = client.get(reverse("council-list"))
    assert [c.name for c in response.context["councils"] if c.slug == "tower-hamlets"]
    council = history.council
    council.name = "Tower Hamlets (renamed)"
    council.save()
    assert "Tower Hamlets (renamed)" in client.get(reverse("council-list")).content.decode()


# -- Versions per council ------------------------------------------------------------------------------


def council_versions(*councils):
    """The version of each council's pages, were they to show that council alone."""
    return {
        council.slug: national_cache.state(Council.objects.filter(pk=council.pk).values("pk")).version
        for council in councils
    }


def stored_version(council):
    """The council's version as stored, read as no page reads it (which would end the transaction's markers)."""
    return CouncilVersion.objects.filter(council=council).values_list("value", flat=True).first()


def test_a_change_changes_its_councils_version_and_no_others(history):
    before = council_versions(history.council, history.hackney)
    national = national_cache.version()
    history.short.lead_inspector = "A name changed by an editor"
    history.short.save()
    after = council_versions(history.council, history.hackney)
    assert after["tower-hamlets"] != before["tower-hamlets"]
    assert after["hackney"] == before["hackney"]
    assert national_cache.version() != national


def test_an_inspection_moved_to_another_council_changes_both(history):
    before = council_versions(history.council, history.hackney, history.camden)
    history.short.council = history.hackney
    history.short.save()
    after = council_versions(history.council, history.hackney, history.camden)
    assert after["tower-hamlets"] != before["tower-hamlets"] and after["hackney"] != before["hackney"]
    assert after["camden"] == before["camden"]


def test_a_change_undone_with_its_savepoint_is_recorded_again(history):
    """A version changed in a savepoint rolled back is back as it was: the next change must change it again."""
    national_cache.version()  # as a request would: the fixture's changes are done
    before = stored_version(history.manchester)
    with pytest.raises(RuntimeError), transaction.atomic():
        history.manchester.save()
        assert stored_version(history.manchester) != before
        raise RuntimeError
    assert stored_version(history.manchester) == before
    history.manchester.name = "Manchester City"
    history.manchester.save()
    assert stored_version(history.manchester) != before


@pytest.mark.parametrize(
    "row, councils",
    [
        (lambda h: h.council.region, {"tower-hamlets", "hackney", "camden"}),
        (lambda h: h.manchester, {"manchester"}),
        (lambda h: h.short.judgements.first(), {"tower-hamlets"}),
        (lambda h: h.council.key_figures.first(), {"tower-hamlets"}),
        (lambda h: StatisticalNeighbour.objects.get(neighbour=h.manchester), {"tower-hamlets"}),
        (lambda h: h.council.key_figures.first().source, {"tower-hamlets"}),
    ],
    ids=["region", "council", "judgement", "key figure", "neighbour link", "source"],
)
def test_a_rows_councils_are_those_whose_pages_show_it(history, row, councils):
    instance = row(history)
    ids = national_cache.councils_of(type(instance), [instance.pk], "default")
    assert set(Council.objects.filter(pk__in=ids).values_list("slug", flat=True)) == councils


def test_a_source_linked_to_an_inspection_changes_that_inspections_council(history):
    source = Source.objects.create(key="a-new-report", kind=Source.Kind.OFSTED_REPORT, title="A new report")
    before = council_versions(history.council, history.manchester)
    source.inspections.add(history.short)
    after = council_versions(history.council, history.manchester)
    assert after["tower-hamlets"] != before["tower-hamlets"] and after["manchester"] == before["manchester"]


def waiting_for_a_lock():
    """Whether another connection to the database waits for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database")
@pytest.mark.django_db(transaction=True)
def test_writers_to_two_councils_in_opposite_orders_queue_rather_than_deadlock():
    first, second = CouncilFactory(), CouncilFactory()
    holding, errors = threading.Event(), []

    def write(councils, hold):
        try:
            with transaction.atomic():
                for council in councils:
                    council.save()
                    if hold:
                        holding.set()
                        # Until the other writer waits for a lock this one holds: then take the second council.
                        deadline = time.monotonic() + 10
                        while not waiting_for_a_lock() and time.monotonic() < deadline:
                            time.sleep(0.01)
                        hold = False
        except Exception as error:  # a deadlock, detected by PostgreSQL, fails one of them
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=write, args=([first, second], True))
    one.start()
    assert holding.wait(10)
    other = threading.Thread(target=write, args=([second, first], False))
    other.start()
    one.join(20)
    other.join(20)
    assert errors == []
    assert CouncilVersion.objects.filter(council__in=[first, second]).count() == 2
