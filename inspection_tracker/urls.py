"""The site's addresses: the public pages and exports, the JSON API, the admin and the health check.

Only what is wrapped in `public()` is a public page (public_pages.py): cached, and read from the replica.
"""

from django.contrib import admin
from django.urls import include, path

import api.urls
import dashboard.urls

from . import health
from .public_pages import public

urlpatterns = [
    path("", include(public(dashboard.urls.urlpatterns))),
    path("api/", include(public(api.urls.urlpatterns))),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "inspection_tracker.health.server_error"
