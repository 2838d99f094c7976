from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from . import health, views

# The public pages only read: GET and HEAD, anything else is 405.
urlpatterns = [
    path("", require_safe(views.overview), name="overview"),
    path("councils/", require_safe(views.council_list), name="council-list"),
    path("councils/<slug:slug>/", require_safe(views.council_detail), name="council-detail"),
    path("inspections/<int:pk>/", require_safe(views.inspection_detail), name="inspection-detail"),
    path("findings/", require_safe(views.finding_search), name="finding-search"),
    path("export/", include("inspections.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "dashboard.health.server_error"
