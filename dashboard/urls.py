from django.contrib import admin
from django.urls import path

from . import export_views, health, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("councils/", views.council_list, name="council-list"),
    path("councils/<slug:slug>/", views.council_detail, name="council-detail"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("findings/", views.finding_search, name="finding-search"),
    path("coverage/", views.coverage, name="coverage"),
    path("export/", export_views.export_index, name="export-index"),
    path("export/<str:name>.csv", export_views.export_csv, name="export-csv"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "dashboard.health.server_error"
