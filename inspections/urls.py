from django.urls import path
from django.views.decorators.http import require_safe

from . import views

# The exports only read: GET and HEAD, anything else is 405.
urlpatterns = [
    path("", require_safe(views.export_index), name="export-index"),
    path("<str:name>.csv", require_safe(views.export_csv), name="export-csv"),
]
