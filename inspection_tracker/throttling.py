"""How often one client address may ask for what the cache cannot answer (API_THROTTLE_RATE).

One limit per address for the JSON API and the public pages alike: a request answered from the page cache
costs nothing and is never refused; one that has to be rendered (an API query or a page address not yet
stored, as a crowd of made-up query strings would be) counts. So one address cannot render pages faster
than the limit, nor push the pages everyone reads out of the page cache with addresses nobody else asks for.

The counts live in a cache of their own ("throttle" in settings.CACHES, THROTTLE_ENTRIES addresses per
worker, or Redis with CACHE_URL), so that neither a crowd of addresses nor the pages and aggregates can
evict them, and they cannot evict those.
"""

import math

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle

from .middleware import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """Counted per address (behind PROXY_COUNT proxies, the client's, as for login lockouts)."""

    scope = "api"

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        # Read when a request is counted, not when the class is defined, so that the one setting rules both.
        return None if settings.API_THROTTLE_RATE == "off" else settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def refused_page(request):
    """The page's answer when this address has asked for too many pages the cache could not answer: a
    429 page saying when to come back; None when the page may be rendered (and the request is counted)."""
    throttle = ClientAddressThrottle()
    if throttle.allow_request(request, None):
        return None
    seconds = max(1, math.ceil(throttle.wait() or 1))
    response = render(request, "429_pages.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
