"""Errors as JSON: {"detail": what went wrong, "errors": [{"parameter", "message"}] for bad query parameters}.

A bad filter value carries the very message the pages' 400s show (the FilterSet's own), so a reader and a
script are told the same thing.
"""

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as rest_framework_handler


def exception_handler(error, context):
    response = rest_framework_handler(error, context)
    if response is None:
        return None
    if isinstance(error, exceptions.ValidationError):
        detail = error.detail if isinstance(error.detail, dict) else {None: error.detail}
        errors = [
            {"parameter": parameter, "message": str(message)}
            for parameter, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
        response.data = {"detail": "The query could not be answered: correct the parameters below.", "errors": errors}
    elif isinstance(error, exceptions.Throttled):
        wait = f" in {error.wait:.0f} seconds" if error.wait is not None else " later"
        response.data = {"detail": f"Too many requests from your address: try again{wait}."}
    else:  # REST framework's own answer (a 404, a 405), with its detail only
        response.data = {"detail": str(response.data.get("detail", ""))}
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse({"detail": "There is nothing at this address: /api/ lists what there is."}, status=404)
