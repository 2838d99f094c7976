"""Public pages are stored rendered per data version, answered conditionally, and never stale or personal."""

import datetime
import gzip
import html
import re
import threading

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from dashboard.views import FINDINGS_PER_PAGE
from dashboard import views
from inspection_tracker import page_cache
from inspections import national_cache
from inspections.models import Finding
from tests.factories import FindingFactory
from tests.settings_process import settings_in_a_new_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(history):
    """Every kind of public page, each address as a reader would type it."""
    return [
        reverse("overview"),
        reverse("council-list") + "?region=E12000007&sort=-date",
        reverse("council-detail", args=["tower-hamlets"]),
        reverse("inspection-detail", args=[history.short.pk]),
        reverse("finding-search") + "?q=caseload",
        reverse("coverage"),
        reverse("export-index"),
    ]


def test_a_stored_page_is_the_page_a_fresh_render_gives(client, pages, django_assert_max_num_queries):
    for url in pages:
        first = client.get(url)
        with django_assert_max_num_queries(1):  # the data version; the page itself comes from the cache
            stored = client.get(url)
        caches["pages"].clear()
        fresh = client.get(url)
        assert first.status_code == stored.status_code == fresh.status_code == 200, url
        assert first.context is not None and stored.context is None, url  # the second was not rendered
        assert stored.content == fresh.content, url
        assert stored["Content-Type"] == fresh["Content-Type"] == "text/html; charset=utf-8"
        # The site's own headers are added to stored pages too.
        assert "frame-ancestors 'none'" in stored["Content-Security-Policy"]
        assert stored["X-Frame-Options"] == "DENY"


def test_a_browser_that_takes_gzip_gets_the_stored_compressed_bytes(client, pages):
    url = pages[2]
    plain = client.get(url).content
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain)
    assert gzip.decompress(compressed.content) == plain


@pytest.mark.parametrize(
    "accept_encoding, compressed",
    [("gzip;q=0", False), ("gzip;q=0, deflate", False), ("br, *;q=0", False), ("", False), ("identity", False),
     ("gzip", True), ("GZIP;q=0.5", True), ("*", True), ("deflate, gzip;q=0.1", True), ("x-gzip", True)],
)  # fmt: skip
def test_gzip_only_where_the_client_accepts_it(client, pages, accept_encoding, compressed):
    """RFC 9110: "gzip;q=0" refuses gzip. Stored pages and the others (the admin's login page) alike."""
    for url in (pages[2], pages[2], reverse("admin:login")):  # rendered, then stored; and a page never stored
        response = client.get(url, headers={"accept-encoding": accept_encoding})
        assert response.status_code == 200
        assert (response.get("Content-Encoding") == "gzip") is compressed, (url, accept_encoding)
        assert "Accept-Encoding" in response["Vary"]


def test_a_change_to_the_data_shows_on_the_next_request(client, history):
    url = reverse("council-detail", args=["tower-hamlets"])
    client.get(url)
    history.short.lead_inspector = "A name changed by an editor"
    history.short.save()
    assert "A name changed by an editor" in client.get(url).content.decode()


def test_the_order_of_parameters_does_not_make_another_page(client, history, django_assert_max_num_queries):
    client.get(reverse("council-list") + "?region=E12000007&sort=-date")
    with django_assert_max_num_queries(1):
        client.get(reverse("council-list") + "?sort=-date&region=E12000007")


def test_only_the_first_pages_of_the_findings_search_are_stored(client, history):
    """The first pages by their number; neither a page past them nor one reached by "Next", whose cursor names a row."""
    for order in range(2, FINDINGS_PER_PAGE * page_cache.FIRST_PAGES_STORED + 2):
        FindingFactory(inspection=history.short, kind=Finding.Kind.STRENGTH, order=order, text=f"Strength {order}")
    url = reverse("finding-search")

    def stored(address):
        assert client.get(address).status_code == 200
        return client.get(address).context is None  # served without being rendered again

    next_page = html.unescape(re.search(r'href="([^"#]*)#results" rel="next"', client.get(url).content.decode())[1])
    assert "cursor=" in next_page
    assert stored(url)
    assert stored(f"{url}?page={page_cache.FIRST_PAGES_STORED}")
    assert not stored(f"{url}?page={page_cache.FIRST_PAGES_STORED + 1}")
    assert not stored(url + next_page)


def test_a_page_with_errors_is_not_stored(client, history, django_assert_max_num_queries):
    url = reverse("council-list")
    assert client.get(url, {"grade": "nonsense"}).status_code == 400
    response = client.get(url, {"grade": "nonsense"})
    assert response.status_code == 400 and response.context is not None
    assert "ETag" not in response


def test_staff_see_the_public_page_and_the_admin_is_never_stored(client, history):
    url = reverse("council-detail", args=["tower-hamlets"])
    staff = User.objects.create_superuser("admin", "admin@example.com", "not-used")
    client.force_login(staff)
    as_staff = client.get(url)
    admin_page = client.get(reverse("admin:inspections_inspection_changelist"))
    assert admin_page.status_code == 200
    assert "ETag" not in admin_page
    client.logout()
    as_reader = client.get(url)
    assert as_reader.context is None  # served what the staff request stored
    assert as_reader.content == as_staff.content
    assert "/admin/" not in as_reader.content.decode()


def test_a_page_larger_than_the_limit_is_served_but_not_stored(client, history, settings):
    settings.PAGE_CACHE_MAX_BYTES = 10
    url = reverse("council-detail", args=["tower-hamlets"])
    assert client.get(url).status_code == 200
    assert client.get(url).context is not None  # rendered again


def test_a_release_of_new_code_renders_pages_afresh(client, history, monkeypatch):
    url = reverse("overview")
    before = client.get(url)
    monkeypatch.setattr(page_cache, "code_digest", lambda: "another release")
    after = client.get(url)
    assert after.context is not None
    assert after["ETag"] != before["ETag"]


def test_the_code_digest_follows_the_templates():
    page_cache.code_digest.cache_clear()
    digest = page_cache.code_digest()
    assert digest == page_cache.code_digest() and len(digest) == 16


# -- Conditional requests ------------------------------------------------------------------------------


def conditional_urls():
    return [
        reverse("council-detail", args=["tower-hamlets"]),
        reverse("finding-search") + "?page=9",  # answered conditionally though never stored
        reverse("export-csv", args=["judgements"]) + "?council=tower-hamlets",
    ]


def test_a_browser_holding_the_page_gets_304_after_one_query(client, history, django_assert_max_num_queries):
    for url in conditional_urls():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["ETag"].startswith('W/"') and first["Last-Modified"]
        assert "no-cache" in first["Cache-Control"]
        with django_assert_max_num_queries(1):
            again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b"" and again["ETag"] == first["ETag"]
        with django_assert_max_num_queries(1):
            since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304, url


def test_last_modified_is_when_the_data_last_changed(client, history):
    response = client.get(reverse("overview"))
    assert response["Last-Modified"] == http_date(int(national_cache.state().changed_at.timestamp()))


def test_two_changes_in_one_second_have_different_last_modified(client, history, monkeypatch):
    """A client asking with If-Modified-Since alone is never sent a 304 for data changed since."""
    url = reverse("council-detail", args=["tower-hamlets"])
    second = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(national_cache.timezone, "now", lambda: second + datetime.timedelta(milliseconds=100))
    history.short.lead_inspector = "First name"
    history.short.save()
    first = client.get(url)
    monkeypatch.setattr(national_cache.timezone, "now", lambda: second + datetime.timedelta(milliseconds=700))
    history.short.lead_inspector = "Second name"
    history.short.save()
    response = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert response.status_code == 200 and "Second name" in response.content.decode()
    assert response["Last-Modified"] != first["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": response["Last-Modified"]}).status_code == 304


def test_after_a_change_the_old_etag_gets_the_new_page(client, history):
    url = reverse("council-detail", args=["tower-hamlets"])
    first = client.get(url)
    history.short.lead_inspector = "A name changed by an editor"
    history.short.save()
    response = client.get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "A name changed by an editor" in response.content.decode()


def test_each_address_has_its_own_etag(client, history):
    a = client.get(reverse("council-list"), {"sort": "name"})
    b = client.get(reverse("council-list"), {"sort": "-name"})
    assert a["ETag"] != b["ETag"]
    assert client.get(reverse("council-list"), {"sort": "name"}, headers={"if-none-match": b["ETag"]}).status_code == 200


# -- Every kind of write renders the pages afresh ------------------------------------------------------


def page_shows(client, text, url=None):
    return text in client.get(url or reverse("council-list")).content.decode()


def test_an_admin_save_shows_on_the_stored_page(client, history):
    url = reverse("council-detail", args=["tower-hamlets"])
    assert not page_shows(client, "Greater London", url)
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "not-used"))
    region = history.council.region
    response = client.post(
        reverse("admin:councils_region_change", args=[region.pk]), {"code": region.code, "name": "Greater London"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert page_shows(client, "Greater London", url)


def test_synthetic_data_show_on_the_stored_page(client, history):
    total = client.get(reverse("council-list")).context["total"]
    assert client.get(reverse("council-list")).context is None  # stored
    call_command("generate_synthetic", scale=1, seed=2, allow_real_data=True, events_per_council=1, findings_per_inspection=1)
    assert client.get(reverse("council-list")).context["total"] == total + 153


@pytest.mark.django_db(transaction=True)
def test_a_restore_shows_on_the_stored_page(client, tmp_path):
    from tests.factories import CouncilFactory

    council = CouncilFactory(name="Before The Backup")
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    council.name = "After The Backup"
    council.save()
    assert page_shows(client, "After The Backup")
    call_command("restore", str(path), replace=True, force=True)
    assert page_shows(client, "Before The Backup")


# -- Configuration --------------------------------------------------------------------------------------


PAGES_CACHE = "settings.CACHES['pages']['BACKEND'], settings.CACHES['pages'].get('OPTIONS')"


def test_each_worker_keeps_a_bounded_number_of_pages_without_cache_url():
    result = settings_in_a_new_process(PAGES_CACHE, CACHE_URL="", PAGE_CACHE_ENTRIES="42")
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache {'MAX_ENTRIES': 42}"


def test_cache_url_shares_pages_through_redis():
    result = settings_in_a_new_process(PAGES_CACHE, CACHE_URL="redis://cache.internal:6379/1")
    assert result.stdout.startswith("django.core.cache.backends.redis.RedisCache")


def test_a_cache_url_of_another_kind_is_a_one_line_error():
    result = settings_in_a_new_process(PAGES_CACHE, CACHE_URL="memcached://secret@cache:11211")
    assert result.returncode != 0
    assert "CACHE_URL must start with redis:// or rediss://, not 'memcached'." in result.stderr
    assert "secret" not in result.stderr


# -- A crowd just after a change ---------------------------------------------------------------------------


def test_one_thread_renders_a_page_while_the_others_wait_for_it():
    from inspection_tracker.page_cache import Renders

    renders, order = Renders(), []
    assert renders.begin("page:a") is True
    assert renders.begin("page:a") is False  # a second request for the same page does not render it
    assert renders.begin("page:b") is True  # another page does not wait

    waiting = threading.Event()

    def waiter():
        waiting.set()
        renders.wait("page:a")
        order.append("served")

    thread = threading.Thread(target=waiter)
    thread.start()
    assert waiting.wait(5)
    thread.join(0.2)
    assert thread.is_alive() and order == []  # still waiting for the render
    order.append("rendered")
    renders.end("page:a")
    thread.join(5)
    assert order == ["rendered", "served"]
    assert renders.begin("page:a") is True  # done: the next change's first request renders again


def test_a_request_during_another_threads_render_is_served_that_render(
    client, history, django_assert_max_num_queries, monkeypatch
):
    url = reverse("council-detail", args=["tower-hamlets"])
    versions = national_cache.state(views.councils_on_council_page("tower-hamlets")).version
    key = page_cache.cache_key(page_cache.page_digest(versions, "http://testserver" + url + "?"))
    assert page_cache.renders.begin(key)  # as if another thread of this worker had begun rendering it
    request_waits = threading.Event()
    wait = page_cache.renders.wait

    def waiting(key):
        request_waits.set()
        wait(key)

    monkeypatch.setattr(page_cache.renders, "wait", waiting)

    def the_other_thread():
        assert request_waits.wait(5)  # the request is waiting for this render: finish it now
        caches["pages"].set(key, page_cache.stored_entry(HttpResponse("<p>Rendered by the other thread</p>")))
        page_cache.renders.end(key)

    thread = threading.Thread(target=the_other_thread)
    thread.start()
    with django_assert_max_num_queries(1):  # the data version: this request rendered nothing
        response = client.get(url)
    thread.join(5)
    assert response.content == b"<p>Rendered by the other thread</p>"


def test_a_render_that_fails_lets_the_next_request_render(client, history, monkeypatch):
    url = reverse("council-detail", args=["tower-hamlets"])

    monkeypatch.setattr(views, "schedule", None)  # the view fails on its first use of it
    with pytest.raises(Exception):
        client.get(url)
    monkeypatch.undo()
    assert not page_cache.renders.in_progress  # no request will wait for a render that ended
    assert client.get(url).status_code == 200


def test_a_page_with_absolute_links_is_stored_per_site_name(client, history, settings):
    """Feeds and the API write absolute links: a page stored for one of the site's names is not served to another."""
    settings.ALLOWED_HOSTS = ["tracker.example.org", "www.tracker.example.org"]
    for host in ("tracker.example.org", "www.tracker.example.org", "tracker.example.org"):
        for url in (reverse("feed-council", args=["tower-hamlets", "atom"]), reverse("api-council-list")):
            response = client.get(url, HTTP_HOST=host)
            assert f"http://{host}/councils/tower-hamlets/" in response.content.decode(), (url, host)
