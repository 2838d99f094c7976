"""/healthz for load balancers and monitors, and the 503 page shown while the database cannot be reached."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .postgresql.base import response_limit

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def check_database(alias):
    """True when the database answers a trivial query within HEALTHZ_DATABASE_TIMEOUT seconds (plus, for a
    new connection, DATABASE_CONNECT_TIMEOUT): a load balancer's probe must not hang with the database."""
    try:
        with response_limit(settings.HEALTHZ_DATABASE_TIMEOUT), connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:  # any failure means "not healthy"; say so, never raise
        logger.warning("Health check: database %r unavailable: %s", alias, error)
        return False


@csrf_exempt
@never_cache
def healthz(request):
    """200 {"status": "ok"} when every configured database answers, else 503 {"status": "unavailable"}.

    Says which database failed, never why: the reason (host names, users) stays in the log.
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    databases = {alias: "ok" if check_database(alias) else "unavailable" for alias in settings.DATABASES}
    healthy = all(state == "ok" for state in databases.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", "databases": databases})
    if not healthy:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable_response(request):
    """The site's 503 page (templates/503.html), or plain text if even that cannot be drawn."""
    try:
        content = loader.render_to_string("503.html", request=request)
        response = HttpResponse(content, status=503)
    except Exception:  # the page must not fail because of the outage it reports
        logger.exception("Could not render 503.html")
        response = HttpResponse(
            "The service is unavailable for a moment. Please try again in a few minutes.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a database outage that broke a request outside a view still gets the 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response(request)
    try:
        return HttpResponse(loader.render_to_string("500.html", request=request), status=500)
    except Exception:
        logger.exception("Could not render 500.html")
        return HttpResponse("Sorry, there is a problem with the service.\n", status=500, content_type="text/plain")
