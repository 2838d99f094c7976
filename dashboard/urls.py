"""The public pages, the feeds and the CSV exports (the site's URLconf, inspection_tracker/urls.py, includes
them as public pages)."""

from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import export_views, feeds, views

# The public pages and the exports only read: GET and HEAD, anything else is 405.
urlpatterns = [
    path("", require_safe(views.overview), name="overview"),
    path("councils/", require_safe(views.council_list), name="council-list"),
    path("councils/<slug:slug>/", require_safe(views.council_detail), name="council-detail"),
    path("inspections/<int:pk>/", require_safe(views.inspection_detail), name="inspection-detail"),
    path("findings/", require_safe(views.finding_search), name="finding-search"),
    path("coverage/", require_safe(views.coverage), name="coverage"),
    path("sources/<slug:key>/document", require_safe(views.source_document), name="source-document"),
    path("export/", require_safe(export_views.export_index), name="export-index"),
    path("export/<str:name>.csv", require_safe(export_views.export_csv), name="export-csv"),
    re_path(r"^feeds/england\.(?P<fmt>atom|rss)$", require_safe(feeds.feed_view(feeds.InspectionsFeed)), name="feed-england"),
    re_path(
        r"^feeds/regions/(?P<code>[A-Za-z0-9]+)\.(?P<fmt>atom|rss)$",
        require_safe(feeds.feed_view(feeds.RegionFeed)),
        name="feed-region",
    ),
    re_path(
        r"^feeds/councils/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>atom|rss)$",
        require_safe(feeds.feed_view(feeds.CouncilFeed)),
        name="feed-council",
    ),
]
