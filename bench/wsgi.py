"""The site as a WSGI application with bench/urls.py's floor view, for benchmarks that run a real server
(bench/load_test.py). Production serves inspection_tracker/wsgi.py, which has no floor."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_tracker.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
