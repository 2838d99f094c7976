"""URLs for benchmark processes only: the site's own URLs plus a floor view.

The floor is the least a page can cost here: a minimal view rendering a small template through the
same middleware, templates engine and URL resolver as every page. Benchmarks set ROOT_URLCONF to this
module in their own process; production never serves it (inspection_tracker.urls does not include it).
"""

from django.template import engines
from django.http import HttpResponse
from django.urls import include, path

FLOOR_TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>{{ title }}</title></head>\n"
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>\n"
)


def floor(request):
    return HttpResponse(FLOOR_TEMPLATE.render({"title": "Floor", "items": ["one", "two", "three"]}, request))


urlpatterns = [
    path("__bench__/floor/", floor, name="bench-floor"),
    path("", include("inspection_tracker.urls")),
]
