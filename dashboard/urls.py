from django.contrib import admin
from django.urls import path
from django.views.decorators.http import require_safe

from . import export_views, health, views

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
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "dashboard.health.server_error"
