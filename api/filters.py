"""The lists' filters: each view's FilterSet (inspections/filtersets.py), as on its page and in its export.

Unlike django-filter's own backend, a query parameter the list does not take is an error rather than ignored,
as on the pages and in the exports: the one policy for query parameters (inspections/query_parameters.py).
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.exceptions import ValidationError

from inspections import query_parameters

NOT_FILTERED = {"type": "string", "enum": [""]}


class FilterSetBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        try:
            return query_parameters.filtered(request.query_params, filterset, query_parameters.API_LIST)
        except query_parameters.BadQuery as error:
            by_parameter = {}
            for problem in error.problems:
                by_parameter.setdefault(problem.parameter, []).append(problem.message)
            raise ValidationError(by_parameter) from None


class FilterSetBackendSchema(DjangoFilterExtension):
    """The filters in the OpenAPI schema as the FilterSets read them.

    An empty value counts as left out, as when the pages' form sends an unchosen menu or an empty date, so the
    schema allows "" beside each filter's values; and a filter's bounds (a length, a range of years) are stated, so
    that what the schema allows is what the list accepts.
    """

    target_class = "api.filters.FilterSetBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        bounds = {
            keyword: filter_field.extra[name]
            for name, keyword in (("max_length", "maxLength"), ("min_value", "minimum"), ("max_value", "maximum"))
            if filter_field.extra.get(name) is not None
        }
        for parameter in parameters:
            schema = {**parameter["schema"], **bounds}
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], ""]
            elif "enum" in schema.get("items", {}):  # a list of values, as sort's
                schema["items"] = {**schema["items"], "enum": [*schema["items"]["enum"], ""]}
            elif schema.get("format") or schema.get("type") in ("number", "integer"):
                schema = {"anyOf": [schema, NOT_FILTERED]}
            parameter["schema"] = schema
            parameter["description"] = f"{parameter.get('description', '')}\n\nEmpty: as if left out.".lstrip()
        return parameters
