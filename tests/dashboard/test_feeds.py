"""Feeds to follow new reports: valid Atom and RSS, the right entries newest first, linked from the pages."""

import feedparser
import pytest
from django.urls import reverse

from inspections.models import Inspection

pytestmark = pytest.mark.django_db


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.bozo_exception}"
    return response, feed


def published_newest_first(queryset):
    return list(queryset.published().exclude(published_date=None).order_by("-published_date", "-pk"))


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
    newest = feed.entries[0]
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
