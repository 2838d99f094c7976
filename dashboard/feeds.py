"""Feeds to follow new inspection reports (Django's syndication framework): nationally, per region, per council.

Each feed lists the newest published inspections and visits, newest report first, each entry with its grades
in words and a link to its page. An entry is dated by Ofsted's publication date or, where the sources give
none, by when the event was published here, so that every published event appears. An Atom (RFC 4287) and an
RSS 2.0 version of each; the pages link them with <link rel="alternate"> and a visible "Follow" link.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from councils.models import Council, Region
from inspections.frameworks import GRADED_EVENT_TYPES, Area, EventType, area_wording, no_longer_judged
from inspections.dates import DatePrecision, format_date
from inspections.models import Inspection

from .templatetags.tracker import possessive

ENTRIES = 50
FORMATS = {"atom": Atom1Feed, "rss": Rss201rev2Feed}
SITE = "Inspection Tracker"


def published_here():
    """When an inspection was first published on this site: the time of the save that made its first recorded
    version with the status published (the admin's publish action saves each one, so that the history records
    it), else, for rows loaded without a history, when it was created."""
    first_published = (
        Inspection.history.filter(id=OuterRef("pk"), status=Inspection.Status.PUBLISHED)
        .order_by("history_date")
        .values("updated")[:1]
    )
    return Coalesce(Subquery(first_published), F("created"))


def grades_in_words(inspection):
    """The inspection's grades as a sentence, in Ofsted's report order and words."""
    judgements = inspection.judgements_in_report_order()
    if judgements:
        words = [f"{area_wording(j.framework, j.area)}: {j.get_grade_display()}." for j in judgements]
        # The 2026 framework gives no overall grade: say so, so that no reader looks for one.
        ended_by = no_longer_judged(inspection.framework, (Area.OVERALL_EFFECTIVENESS,), inspection.placed_on)
        if ended_by:
            words.insert(0, f"Overall effectiveness: not given under {ended_by}.")
        return " ".join(words)
    if inspection.event_type in GRADED_EVENT_TYPES:
        return "Grades not recorded in our sources."
    return f"{EventType(inspection.event_type).label} is not graded: Ofsted reports what it found."


class InspectionsFeed(Feed):
    """England's newest reports; subclasses narrow it to a region or a council."""

    description = "Ofsted's newest published inspections and visits of councils' children's services."
    author_name = SITE
    item_author_name = "Ofsted"  # the entry tells of Ofsted's report

    def get_object(self, request):
        return None

    def inspections(self, obj):
        return Inspection.objects.public()

    def items(self, obj):
        return (
            self.inspections(obj)
            .annotate(published_here=published_here())
            .annotate(day=Coalesce("published_date", TruncDate("published_here")))
            # On one day, one published here during the day is newer than Ofsted's reports of that day (midnight).
            .order_by("-day", F("published_date").asc(nulls_first=True), "-published_here", "-pk")
            .prefetch_related("judgements")[:ENTRIES]
        )

    def title(self, obj):
        return "New Ofsted reports on councils' children's services in England"

    def link(self, obj):
        return reverse("overview")

    def item_title(self, item):
        return f"{item.council.name}: {item.get_event_type_display()} {item.dates_display}"

    def item_description(self, item):
        if item.published_date is None:
            published = f"Ofsted's publication date is not recorded; published here on {format_date(timezone.localdate(item.published_here), DatePrecision.DAY)}."
        else:
            published = f"Published by Ofsted on {format_date(item.published_date, DatePrecision.DAY)}."
        return f"{published} {grades_in_words(item)}"

    def item_link(self, item):
        return item.get_absolute_url()

    # The entry's id is its page's address, absolute (Django's default guid is the link with the domain added).
    item_guid_is_permalink = True

    def item_pubdate(self, item):
        if item.published_date is None:
            return item.published_here
        # Ofsted publishes on a day, not at an hour: midnight in England.
        return timezone.make_aware(datetime.datetime.combine(item.published_date, datetime.time()))

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        region = item.council.region  # not every council's region is recorded
        return [item.council.name, *([region.name] if region else [])]


class RegionFeed(InspectionsFeed):
    def get_object(self, request, code):
        return get_object_or_404(Region, code=code)

    def inspections(self, region):
        return super().inspections(region).filter(council__region=region)

    def title(self, region):
        return f"New Ofsted reports on councils' children's services in {region.name}"

    def description(self, region):
        return f"Ofsted's newest published inspections and visits of councils' children's services in {region.name}."

    def link(self, region):
        return reverse("council-list") + f"?region={region.code}"


class CouncilFeed(InspectionsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Council.objects.select_related("region"), slug=slug)

    def inspections(self, council):
        return super().inspections(council).filter(council=council)

    def title(self, council):
        return f"{council.name}: new Ofsted reports on its children's services"

    def description(self, council):
        return f"Ofsted's inspections and visits of {possessive(council.name)} children's services, newest report first."

    def link(self, council):
        return reverse("council-detail", args=[council.slug])


def feed_view(feed_class):
    """A view serving `feed_class` as Atom or RSS (the URL's `fmt`), one feed object per format."""
    feeds = {fmt: type(feed_class.__name__, (feed_class,), {"feed_type": feed_type})() for fmt, feed_type in FORMATS.items()}

    def view(request, fmt, **kwargs):
        return feeds[fmt](request, **kwargs)

    return view
