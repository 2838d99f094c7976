from django.urls import path

from . import views

urlpatterns = [
    path("", views.export_index, name="export-index"),
    path("<str:name>.csv", views.export_csv, name="export-csv"),
]
