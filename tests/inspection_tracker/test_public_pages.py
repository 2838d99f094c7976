"""Every address of the site is a public page (cached, and read from the replica) or one of the few named
here as not one: a new page cannot be left out of the cache or the replica, nor a private one let in."""

import pytest
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, resolve, reverse

from inspection_tracker.public_pages import is_public_page, is_public_view

NOT_PUBLIC = {
    "admin/": "signed-in staff: never stored, and it reads what it writes",
    "healthz": "checks each database itself, and must never be answered from a cache",
}


def routes(resolver, prefix=""):
    """(route, view) of every address, included ones too; an address NOT_PUBLIC names is not walked into."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route in NOT_PUBLIC:
            continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, route)
        else:
            yield route, pattern.callback


def test_every_address_is_a_public_page_or_named_as_not_one():
    walked = dict(routes(get_resolver()))
    assert len(walked) > 20  # the pages, the exports, the feeds and the API
    assert [route for route, view in walked.items() if not is_public_view(view)] == []


@pytest.mark.parametrize(
    "url",
    [
        reverse("overview"),
        reverse("coverage"),
        reverse("export-csv", args=["councils"]),
        reverse("feed-england", args=["atom"]),
        reverse("api-council-list"),
        reverse("api-schema"),
        "/api/no-such-list/",
    ],
)
def test_pages_exports_feeds_and_the_api_are_public_when_read(url):
    for method, public in (("get", True), ("head", True), ("post", False)):
        request = getattr(RequestFactory(), method)(url)
        request.resolver_match = resolve(url)
        assert is_public_page(request) is public, (method, url)


@pytest.mark.parametrize("url", [reverse("admin:index"), reverse("admin:councils_council_changelist"), "/healthz"])
def test_the_admin_and_the_health_check_are_not(url):
    request = RequestFactory().get(url)
    request.resolver_match = resolve(url)
    assert not is_public_page(request)
