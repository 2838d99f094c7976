"""How often one client address may ask the API for something not already cached (API_THROTTLE_RATE)."""

from rest_framework.throttling import SimpleRateThrottle

from dashboard.middleware import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """Counted per address (behind PROXY_COUNT proxies, the client's, as for login lockouts) in the "default"
    cache: shared by every worker with CACHE_URL, else each worker counts its own."""

    scope = "api"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
