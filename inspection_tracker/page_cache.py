"""Public pages served from a cache of their rendered, compressed bytes, and conditional requests.

When Ofsted publishes a report, many readers open the same few pages at once. Each public page is
rendered once per version of what it shows (page_versions.py, inspections/national_cache.py): the page is
stored gzipped in the "pages" cache under a key made of those versions, the path and the request's query
string with its parameters in a fixed order. A later request for it costs one small query (the versions) and
one cache read. A change to what a page shows changes one of its versions, so the next request renders it
afresh on every worker, whatever cache each uses; old entries are never read again and age out. A change
to one council leaves the pages that do not show it stored.

Keys and ETags also carry a digest of the site's own code, templates and static files (code_digest()), so
that after a release no reader is served a page rendered by the code it replaced.

Public pages and CSV exports carry a (weak) ETag made from the page's versions and the address, and a
Last-Modified (when what the page shows last changed), with Cache-Control: no-cache: a browser that holds a page asks
again each time and, if nothing changed, gets a 304 after that one query, without a byte of the page.

Nothing user-specific is ever stored: only GET and HEAD requests for the public pages (public_pages.py) are
looked at (never the admin), the pages show every reader the same thing (signed-in staff see the public
page), and a response that touched the session or set a cookie is passed on as it is, not stored.
"""

import functools
import gzip
import hashlib
import threading
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from inspections import keyset, national_cache

from . import page_versions
from .health import DATABASE_ERRORS
from .middleware import accepts_gzip, database_unavailable
from .public_pages import is_public_page
from .throttling import refused_page

# Lists are stored for their first pages only: readers rarely go further, and the cache would otherwise fill
# with the deep pages of every search. A page reached by a cursor ("Next" on the findings search, any later page
# of an API list) is never stored: its address names a row, one of as many as the list has.
FIRST_PAGES_STORED = 3

# Headers of the view's response that belong to the page; the middleware above adds the site's own
# (security headers, Content-Security-Policy) to every response, stored or not.
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


class PageCacheMiddleware:
    """Must come after ReadReplicaMiddleware: the versions are read from the database the page is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            if getattr(request, "page_render_owner", False):
                renders.end(request.page_cache_key)
        validators = getattr(request, "page_validators", None)
        if validators is None or response.status_code != 200:
            return response
        key = getattr(request, "page_cache_key", None)
        if key and storable(request, response):
            entry = stored_entry(response)
            if len(entry["body"]) <= settings.PAGE_CACHE_MAX_BYTES:
                caches["pages"].set(key, entry, national_cache.TIMEOUT)
            response = response_from(entry, request)
        return with_validators(response, validators)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_public_page(request):
            return None
        try:
            version, changed_at = page_versions.state(request)
        except DATABASE_ERRORS as error:
            # Answered now: the view would wait for the same database again (a frozen server: seconds more).
            return database_unavailable(request, error)
        address = normalised_address(request)
        page = page_digest(version, address)
        validators = {
            "etag": f'W/"{page[:32]}"',
            # Whole seconds, as HTTP dates are: If-Modified-Since holds what Last-Modified said.
            "last_modified": int(changed_at.timestamp()) if changed_at else None,
        }
        request.page_validators = validators
        not_modified = get_conditional_response(request, **validators)
        if not_modified is not None:
            # 304 Not Modified (or 412 for a failed If-Match): answered before any page is rendered.
            return with_validators(not_modified, validators)
        if stored_page_number(request):
            request.page_cache_key = cache_key(page)
            key = request.page_cache_key
            entry = caches["pages"].get(key)
            if entry is None and not renders.begin(key):
                # Another thread of this worker is rendering this page (a crowd just after a change): wait for
                # it rather than render the same page again at the same time, then serve what it stored.
                renders.wait(key)
                entry = caches["pages"].get(key)
            elif entry is None:
                request.page_render_owner = True
            if entry is not None:
                request.page_cache_key = None  # already stored
                return response_from(entry, request)
        # To be rendered: counted against the address's limit (the API's views count their own), so that
        # made-up addresses cannot render without end, nor push the stored pages out.
        return None if counts_its_own_requests(view_func) else refused_page(request)


@functools.cache
def code_digest():
    """A digest of what renders the pages: the apps' Python code, the templates and the static files."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in ("importing", "councils", "inspections", "dashboard", "api", "inspection_tracker", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".txt", ".css", ".js", ".svg"}:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def page_digest(version, address):
    """What names one page's content: the code, the versions of what it shows, the address (normalised_address)."""
    return hashlib.sha256(f"{code_digest()}:{version}:{address}".encode()).hexdigest()


def cache_key(digest):
    return f"page:{digest}"


class Renders:
    """The pages being rendered by this process's threads: the first request for a page renders it, the others
    wait for it (at most WAIT_SECONDS, then render themselves), so a crowd arriving just after a change costs
    one render per worker, not one per request."""

    WAIT_SECONDS = 10

    def __init__(self):
        self.lock = threading.Lock()
        self.in_progress = {}

    def begin(self, key):
        """True when the caller is to render the page; False when another thread already is."""
        with self.lock:
            if key in self.in_progress:
                return False
            self.in_progress[key] = threading.Event()
            return True

    def wait(self, key):
        with self.lock:
            done = self.in_progress.get(key)
        if done is not None:
            done.wait(self.WAIT_SECONDS)

    def end(self, key):
        with self.lock:
            done = self.in_progress.pop(key, None)
        if done is not None:
            done.set()


renders = Renders()


def normalised_address(request):
    """The address with the query's parameters sorted, so that ?a=1&b=2 and ?b=2&a=1 are one page.

    With the scheme and host: feeds and the API write absolute links, which differ between the site's names.
    """
    query = urlencode(sorted((key, value) for key, values in request.GET.lists() for value in values))
    return f"{request.scheme}://{request.get_host()}{request.path}?{query}"


def stored_page_number(request):
    if keyset.PARAMETER in request.GET:
        return False
    page = request.GET.get("page", "1")
    return page.isascii() and page.isdigit() and 1 <= int(page) <= FIRST_PAGES_STORED


def counts_its_own_requests(view):
    """The API's views (Django REST framework's, which carry their class) have their own throttle."""
    return getattr(view, "cls", None) is not None


def storable(request, response):
    """A complete page, the same for every reader: nothing read from the session, no cookie set."""
    session = getattr(request, "session", None)
    return not (
        response.streaming
        or response.cookies
        or response.has_header("Content-Encoding")
        or (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def stored_entry(response):
    # mtime=0: the same page compresses to the same bytes. No random padding (as Django's GZipMiddleware adds
    # against BREACH): a public page holds no secret for an attacker to guess.
    return {
        "headers": {header: response[header] for header in STORED_HEADERS if response.has_header(header)},
        "body": gzip.compress(response.content, compresslevel=6, mtime=0),
    }


def response_from(entry, request):
    if accepts_gzip(request):
        response = HttpResponse(entry["body"])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(entry["body"]))
    for header, value in entry["headers"].items():
        response[header] = value
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def with_validators(response, validators):
    response["ETag"] = validators["etag"]
    if validators["last_modified"] is not None:
        response["Last-Modified"] = http_date(validators["last_modified"])
    # Stored by browsers, but checked with us before each use: readers see a change at once.
    patch_cache_control(response, no_cache=True)
    return response
