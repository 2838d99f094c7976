"""Middleware that keeps the site safe to run in public (see inspection_tracker/settings.py for their order).

* RequestSizeLimitMiddleware: a body larger than MAX_REQUEST_BYTES is refused (413) from its Content-Length,
  before anything reads or parses it.
* ContentSecurityPolicyMiddleware: django-csp's, with the one exception the Django admin needs.
* ReadReplicaMiddleware: public pages and exports read from the replica (inspection_tracker/routers.py).
* IgnoredParametersMiddleware: a public page's query loses the parameters every address ignores (utm_* ...).
* DatabaseUnavailableMiddleware: a database that cannot be reached is a 503 page, not a traceback.
* AdminQueryGuardMiddleware: refuses the few query strings that make the admin's lists fail.
* SessionMiddleware: Django's, except that a request that never read its session writes none.
* GZipMiddleware: Django's, except that "gzip;q=0" (gzip refused) is read as refusing gzip.
* client_ip: the client's address for django-axes, behind PROXY_COUNT proxies.
"""

import ipaddress
import logging
import re

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.core.signals import request_finished
from django.db import connections
from django.http import HttpResponseBadRequest, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from inspections.query_parameters import without_ignored

from . import routers
from .health import DATABASE_ERRORS, database_unavailable_response
from .public_pages import is_public_page

logger = logging.getLogger(__name__)

# -- sessions ----------------------------------------------------------------------------------------------


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a request that never read its session writes none.

    With SESSION_SAVE_EVERY_REQUEST (an editor's idle time counts from their last request), Django saves
    the session of any request that brought a session cookie it has not yet read, even a made-up one: it
    then finds no such session and creates one. Public pages, feeds, exports and the API never read the
    session, so a forged cookie there would add a row and a Set-Cookie to every answer (and keep the page
    from the page cache). The admin reads it on every request (request.user), so editors' sessions are
    kept going as before.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.accessed:
            return response
        return super().process_response(request, response)


# -- compression -------------------------------------------------------------------------------------------


def accepts_gzip(request):
    """Whether the client's Accept-Encoding allows gzip (RFC 9110, 12.5.3): named, or covered by "*", with
    a weight above 0. Django reads any mention of "gzip" as yes, even "gzip;q=0", which says no."""
    weights = {}
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, *parameters = (part.strip() for part in coding.split(";"))
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name.lower()] = weight
    weight = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return weight > 0


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(self, request, response):
        if not accepts_gzip(request):
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        # Django's own check looks for the word "gzip" alone (not "GZIP", not "*"): the header has been read
        # above and allows gzip, which is what Django is told.
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip"
        return super().process_response(request, response)


# -- request size ------------------------------------------------------------------------------------------


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(length)
        except ValueError:
            length = -1
        if length < 0:
            return render(request, "400.html", status=400)
        if length > settings.MAX_REQUEST_BYTES:
            # Megabytes of 2**20 bytes, as settings, docs/deploying.md and the upload form count them.
            limit_mb = settings.REPORT_UPLOAD_MAX_BYTES / 2**20
            # The body is never read. gunicorn then closes the connection rather than wait for the body
            # (pre_request in gunicorn.conf.py): a WSGI application cannot ask for that itself.
            return render(request, "413.html", {"limit_mb": f"{limit_mb:.0f}"}, status=413)
        return self.get_response(request)


# -- Content Security Policy -------------------------------------------------------------------------------

# One exception, for the admin only: django-simple-history's history page (every record's "History") has a
# `style="border-top: 0"` attribute, which a policy without 'unsafe-inline' blocks. Under /admin/, style-src
# also allows exactly that attribute by its hash ('unsafe-hashes' lets a hash match a style attribute);
# nothing else inline. Scripts stay 'self' everywhere. tests/security/test_browser_csp.py opens the admin's
# pages in Chromium and fails on any violation, so an upgrade that adds inline styles shows up there.
ADMIN_STYLE_HASHES = [
    "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # style="border-top: 0"
]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(admin_prefix()):
            replace = dict(parts.replace or {})
            replace["style-src"] = [SELF, "'unsafe-hashes'", *ADMIN_STYLE_HASHES]
            parts = PolicyParts(parts.config, parts.update, replace, parts.nonce)
        return parts


_admin_prefix = None


def admin_prefix():
    global _admin_prefix
    if _admin_prefix is None:
        _admin_prefix = reverse("admin:index")
    return _admin_prefix


# -- read replica ------------------------------------------------------------------------------------------


class ReadReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        routers.use_replica(False)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_page(request) and routers.replica_configured():
            # Stays set while a streamed export is written; reset when the response is closed.
            routers.use_replica(True)


def _stop_using_replica(**kwargs):
    routers.use_replica(False)


request_finished.connect(_stop_using_replica, dispatch_uid="inspection_tracker.routers.stop_using_replica")


# -- parameters every address ignores -----------------------------------------------------------------------


class IgnoredParametersMiddleware:
    """Drops from a public page's query the parameters links pick up on their way (campaign tags, click
    identifiers: inspections/query_parameters.py, rule 4) before the page cache or the view reads it, so that
    ?utm_source=... is the same stored page as the address without it, and no stored page's links carry one
    reader's tags to the next. Before PageCacheMiddleware, whose process_view reads the query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_page(request):
            kept = without_ignored(request.GET)
            if kept is not request.GET:
                # The raw query string too: links built from the whole address (the API's `next`) agree.
                request.GET = kept
                request.META["QUERY_STRING"] = kept.urlencode()
        return None


# -- database outages --------------------------------------------------------------------------------------

class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with the site's page, and a Retry-After.

    A streamed response (a CSV export) reads the database only after its 200 header has gone, too late for
    a 503: before one is handed over, the database it reads is asked a trivial query. Errors raised outside
    views (in other middleware) get the same page from inspection_tracker.health.server_error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse) and response.status_code == 200:
            try:
                with connections[routers.read_alias()].cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DATABASE_ERRORS as error:
                return self.unavailable(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, error):
        return database_unavailable(request, error)


def database_unavailable(request, error):
    """The 503 page for a request whose database did not answer, with the error in the log."""
    # With the traceback: an OperationalError is usually the database gone, but may be a query it refused.
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, error, exc_info=error)
    return database_unavailable_response(request)


# -- hostile query strings in the admin --------------------------------------------------------------------

DATE_PART = re.compile(r"(^|__)(year|month|day)$")
DATE_PART_RANGES = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


class AdminQueryGuardMiddleware:
    """Two kinds of query string that make the Django admin's lists fail with a 500, found by
    tests/security/test_hostile_admin_filters.py; they only come from hand-made links.

    * A NUL character in a search or filter value: PostgreSQL refuses it in a string, and the admin passes
      filter values to the database unchecked. Answered 400. (The public pages' forms refuse NUL already.)
    * A year, month or day no date has: a date_hierarchy builds a date from ?<field>__year=&__month=&__day=
      and catches only ValueError, so a year past 9998 or beyond a C long is a 500 (OverflowError, or year
      10000 when it adds one); the inspections list's own ?year= filter fails on 0 or 10000. These get what
      Django gives any other bad filter: the list again with ?e=1.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(admin_prefix()):
            if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
                return HttpResponseBadRequest("A web address may not hold a NUL character.", content_type="text/plain")
            if not self.real_dates(request.GET):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return self.get_response(request)

    @staticmethod
    def real_dates(params):
        for key, values in params.lists():
            match = DATE_PART.search(key)
            if not match:
                continue
            low, high = DATE_PART_RANGES[match[2]]
            for value in values:
                if not (value.isascii() and value.isdigit() and len(value) <= 4 and low <= int(value) <= high):
                    return False
        return True


# -- client address for login lockouts ---------------------------------------------------------------------


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT proxies the address the farthest of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N proxies the
    Nth entry from the right was written by our own outermost proxy; entries to its left came from the
    client and cannot be trusted. An entry that is not an address (a proxy may add a port) is read as one
    where it can be and otherwise ignored: REMOTE_ADDR counts instead. None when there is no address at all.
    """
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= count:
            address = ip_address(forwarded[-count])
            if address:
                return address
    return ip_address(request.META.get("REMOTE_ADDR", ""))


PORT_SUFFIX = re.compile(r"^\[(?P<v6>[^\]]+)\](?::\d+)?$|^(?P<v4>[0-9.]+):\d+$")


def ip_address(text):
    """`text` as a normalised IP address ("203.0.113.5", "2001:db8::1"), without a port; None if it is not one."""
    match = PORT_SUFFIX.match(text)
    if match:
        text = match["v6"] or match["v4"]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
