"""Errors as JSON: {"detail": what went wrong, "errors": [{"parameter", "message"}] for bad query parameters}.

A bad query parameter carries the very message the pages' and the exports' 400s show (inspections/query_parameters.py),
so a reader and a script are told the same thing.
"""

from django.http import JsonResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
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


class ProblemSerializer(serializers.Serializer):
    parameter = serializers.CharField(allow_null=True, help_text="The query parameter at fault; null for the query as a whole.")
    message = serializers.CharField(help_text="What is wrong with it, in the words the pages use.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")
    errors = ProblemSerializer(many=True, required=False, help_text="In a 400: every bad query parameter at once.")


class ErrorAnsweringSchema(AutoSchema):
    """The schema of an API operation with the errors exception_handler() answers: a bad query parameter or
    cursor (400, any operation, as every one reads the query), a record not there (404) and too many requests
    from one address (429)."""

    def get_response_serializers(self):
        found = super().get_response_serializers()
        answers = {200: found, 400: OpenApiResponse(ErrorSerializer, description="A query parameter, value or cursor that cannot be used.")}
        if not self._is_list_view(found):
            answers[404] = OpenApiResponse(ErrorSerializer, description="There is no such record.")
        answers[429] = OpenApiResponse(ErrorSerializer, description="Too many requests from your address: try again after Retry-After seconds.")
        return answers
