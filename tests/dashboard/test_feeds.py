"""Feeds to follow new reports: valid Atom and RSS, the right entries newest first, linked from the pages."""

import datetime
import email.utils
import pathlib
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from inspections.models import Inspection

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 4287's own schema (Appendix B), in RELAX NG's XML syntax: see the file's opening comment.
ATOM_SCHEMA = etree.RelaxNG(etree.parse(pathlib.Path(__file__).parent / "schemas" / "atom.rng"))


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.bozo_exception}"
    return response, feed


def published_here(inspection):
    """When the inspection was first published here: the save of its first version in the history with the status published."""
    versions = inspection.history.filter(status=Inspection.Status.PUBLISHED).order_by("history_date")
    return versions[0].updated if versions else inspection.created


def dated(inspection):
    """An entry's date: Ofsted's publication day (midnight in England) or, lacking one, its publication here."""
    if inspection.published_date is None:
        return published_here(inspection)
    return timezone.make_aware(datetime.datetime.combine(inspection.published_date, datetime.time()))


def published_newest_first(queryset):
    """Every published event, undated ones too, newest first."""
    return sorted(queryset.published(), key=lambda i: (dated(i), i.pk), reverse=True)


@pytest.mark.parametrize("fmt, version, content_type", [("atom", "atom10", "application/atom+xml"), ("rss", "rss20", "application/rss+xml")])
def test_a_councils_feed_lists_its_published_reports_newest_first(client, history, fmt, version, content_type):
    response, feed = read_feed(client, reverse("feed-council", args=["tower-hamlets", fmt]))
    assert feed.version == version
    assert response["Content-Type"].startswith(content_type)
    expected = published_newest_first(history.council.inspections)
    assert [entry.link for entry in feed.entries] == [f"http://testserver{i.get_absolute_url()}" for i in expected]
    assert history.draft.get_absolute_url() not in response.content.decode()
    assert feed.feed.title == "Tower Hamlets: new Ofsted reports on its children's services"
    assert feed.feed.link == "http://testserver/councils/tower-hamlets/"


def test_each_entry_gives_the_grades_in_words_and_the_publication_day(client, history):
    _response, feed = read_feed(client, reverse("feed-council", args=["tower-hamlets", "atom"]))
    newest = next(entry for entry in feed.entries if entry.link.endswith(history.short.get_absolute_url()))
    assert newest.title == f"Tower Hamlets: {history.short.get_event_type_display()} {history.short.dates_display}"
    assert newest.summary == (
        "Published by Ofsted on 13 January 2025. Overall effectiveness: Outstanding. "
        "The impact of leaders on social work practice with children and families: Outstanding. "
        "The experiences and progress of children who need help and protection: Good. "
        "The experiences and progress of children in care: Good. "
        "The experiences and progress of care leavers: Outstanding."
    )
    assert newest.published_parsed[:3] == (2025, 1, 13)
    visit = next(entry for entry in feed.entries if entry.link.endswith(history.focused.get_absolute_url()))
    assert "is not graded: Ofsted reports what it found." in visit.summary


def test_the_england_and_region_feeds_hold_every_councils_reports(client, history):
    _response, england = read_feed(client, reverse("feed-england", args=["atom"]))
    assert len(england.entries) == len(published_newest_first(Inspection.objects))
    assert {entry.link.split("testserver")[1] for entry in england.entries} >= {
        history.short.get_absolute_url(),
        *(i.get_absolute_url() for i in history.camden.inspections.published()),
    }
    region = history.council.region
    _response, regional = read_feed(client, reverse("feed-region", args=[region.code, "rss"]))
    in_region = published_newest_first(Inspection.objects.filter(council__region=region))
    assert [entry.link for entry in regional.entries] == [f"http://testserver{i.get_absolute_url()}" for i in in_region]
    assert len(in_region) < len(england.entries)


@pytest.mark.parametrize(
    "url", ["/feeds/councils/no-such-council.atom", "/feeds/regions/E99999999.rss", "/feeds/england.json", "/feeds/england.atom/"]
)
def test_a_feed_that_does_not_exist_is_a_404(client, history, url):
    assert client.get(url).status_code == 404


def test_pages_link_their_feeds_for_readers_and_feed_readers(client, history):
    council_page = client.get(reverse("council-detail", args=["tower-hamlets"])).content.decode()
    atom = reverse("feed-council", args=["tower-hamlets", "atom"])
    assert f'<link rel="alternate" type="application/atom+xml" title="Tower Hamlets: new Ofsted reports (Atom)" href="{atom}">' in council_page
    assert f'<a class="govuk-link" href="{atom}">Follow Tower Hamlets&#x27; new Ofsted reports</a>' in council_page
    assert reverse("feed-region", args=[history.council.region.code, "atom"]) in council_page
    overview = client.get(reverse("overview")).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" title="New Ofsted reports in England (Atom)" href="{reverse("feed-england", args=["atom"])}">' in overview
    assert "Follow every new Ofsted report" in overview


def test_a_feed_costs_the_same_few_queries_however_many_entries(client, history, django_assert_max_num_queries):
    # The data version, the inspections with their councils and regions, their judgements.
    with django_assert_max_num_queries(3):
        client.get(reverse("feed-england", args=["atom"]))
    with django_assert_max_num_queries(1):  # stored, like the pages
        client.get(reverse("feed-england", args=["atom"]))


def test_a_council_without_a_recorded_region_is_in_the_england_feed(client, history):
    from tests.factories import CouncilFactory, InspectionFactory

    council = CouncilFactory(name="Regionless", region=None)
    inspection = InspectionFactory(council=council)
    _response, feed = read_feed(client, reverse("feed-england", args=["atom"]))
    entry = next(entry for entry in feed.entries if entry.link.endswith(inspection.get_absolute_url()))
    assert [tag.term for tag in entry.tags] == ["Regionless"]


def absolute(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def rfc822(text):
    """RSS 2.0 dates are RFC 822 dates: parsed strictly, with a time zone."""
    parsed = email.utils.parsedate_to_datetime(text)
    assert parsed.tzinfo is not None, text
    return parsed


FEEDS = [("feed-england", []), ("feed-region", ["E12000007"]), ("feed-council", ["tower-hamlets"])]


@pytest.mark.parametrize("name, args", FEEDS)
def test_the_atom_feeds_are_valid_under_rfc_4287(client, history, name, args):
    response = client.get(reverse(name, args=[*args, "atom"]))
    document = etree.fromstring(response.content)
    assert ATOM_SCHEMA.validate(document), ATOM_SCHEMA.error_log
    # What the RFC's text asks beyond its schema: absolute ids, an author for every entry, self and alternate links.
    entries = document.findall(f"{ATOM}entry")
    assert entries
    for element in [document, *entries]:
        assert absolute(element.findtext(f"{ATOM}id"))
        assert all(absolute(link.get("href")) for link in element.findall(f"{ATOM}link"))
        assert element.findtext(f"{ATOM}author/{ATOM}name")
        assert element.find(f"{ATOM}link[@rel='alternate']") is not None
    assert document.find(f"{ATOM}link[@rel='self']").get("href") == response.wsgi_request.build_absolute_uri()
    assert [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries] == ["Ofsted"] * len(entries)


@pytest.mark.parametrize("name, args", FEEDS)
def test_the_rss_feeds_have_what_rss_2_requires(client, history, name, args):
    channel = etree.fromstring(client.get(reverse(name, args=[*args, "rss"])).content).find("channel")
    assert all(channel.findtext(element) for element in ("title", "link", "description"))
    assert absolute(channel.findtext("link"))
    rfc822(channel.findtext("lastBuildDate"))
    items = channel.findall("item")
    assert items
    for item in items:
        assert item.findtext("title") and item.findtext("description")
        assert absolute(item.findtext("link"))
        guid = item.find("guid")
        assert guid.text == item.findtext("link") and guid.get("isPermaLink", "true") == "true"
        rfc822(item.findtext("pubDate"))


def test_an_event_published_in_the_admin_without_a_publication_date_is_the_newest_entry(admin_client, client, history):
    from tests.factories import InspectionFactory

    undated = InspectionFactory(council=history.council, published_date=None, status=Inspection.Status.DRAFT)
    before = timezone.now()
    response = admin_client.post(
        reverse("admin:inspections_inspection_changelist"), {"action": "publish", "_selected_action": [undated.pk]}
    )
    assert response.status_code == 302
    after = timezone.now()
    # Entered later but published by Ofsted today, so dated midnight: older.
    InspectionFactory(council=history.council, published_date=timezone.localdate())
    for name, args in FEEDS:
        _response, feed = read_feed(client, reverse(name, args=[*args, "atom"]))
        newest = feed.entries[0]
        assert newest.link == f"http://testserver{undated.get_absolute_url()}"
        published = datetime.datetime.fromisoformat(newest.published)
        assert before <= published <= after
        assert datetime.datetime.fromisoformat(newest.updated) >= published
        today = timezone.localdate(published)
        assert newest.summary.startswith(
            f"Ofsted's publication date is not recorded; published here on {today.day} {today:%B %Y}."
        )
    _response, rss = read_feed(client, reverse("feed-council", args=["tower-hamlets", "rss"]))
    assert rss.entries[0].link == f"http://testserver{undated.get_absolute_url()}"


def test_entries_are_updated_when_their_record_is(client, history):
    _response, feed = read_feed(client, reverse("feed-council", args=["tower-hamlets", "atom"]))
    history.short.refresh_from_db()
    entry = next(entry for entry in feed.entries if entry.link.endswith(history.short.get_absolute_url()))
    assert datetime.datetime.fromisoformat(entry.updated) == history.short.updated
    assert entry.published_parsed[:3] == (2025, 1, 13)


def test_a_councils_feed_says_its_name_as_a_possessive(client, history):
    _response, feed = read_feed(client, reverse("feed-council", args=["tower-hamlets", "rss"]))
    assert feed.feed.description == "Ofsted's inspections and visits of Tower Hamlets' children's services, newest report first."


def test_an_event_loaded_without_a_history_is_dated_by_its_creation_here(client, history):
    from tests.factories import InspectionFactory

    loaded = InspectionFactory(council=history.council, published_date=None)
    loaded.history.all().delete()  # as bulk loads leave it (manage.py generate_synthetic)
    _response, feed = read_feed(client, reverse("feed-council", args=["tower-hamlets", "atom"]))
    entry = next(entry for entry in feed.entries if entry.link.endswith(loaded.get_absolute_url()))
    assert datetime.datetime.fromisoformat(entry.published) == loaded.created
