"""Which addresses are public pages, declared once: the site's URLconf wraps them in `public()`.

A public page only reads and shows every reader the same thing, so the site may serve it from the page
cache (page_cache.py) and read it from the read replica (routers.py). Both ask `is_public_page()`, and
nothing else lists pages: a page added to the pages or the API is cached and read from the replica with
no second list to keep (tests/inspection_tracker/test_public_pages.py walks every address).
"""

import functools

from django.urls import URLPattern, URLResolver


def public(urlpatterns):
    """These URL patterns, and any they include, as public pages."""
    return [_public(pattern) for pattern in urlpatterns]


def _public(pattern):
    if isinstance(pattern, URLResolver):
        return URLResolver(
            pattern.pattern, public(pattern.url_patterns), pattern.default_kwargs, pattern.app_name, pattern.namespace
        )
    return URLPattern(pattern.pattern, _marked(pattern.callback), pattern.default_args, pattern.name)


def _marked(view):
    # A wrapper rather than an attribute set on the view itself: the same view function may also be served
    # at an address that is not public. functools.wraps keeps what others read from the view (csrf_exempt,
    # the API's view class for its schema and throttling).
    @functools.wraps(view)
    def public_view(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    public_view.public_page = True
    return public_view


def is_public_view(view):
    return getattr(view, "public_page", False)


def is_public_page(request):
    """A GET or HEAD of a public page (only reading requests ever are)."""
    match = request.resolver_match
    return request.method in ("GET", "HEAD") and match is not None and is_public_view(match.func)
