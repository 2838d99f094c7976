"""The lists' filters: each view's FilterSet (inspections/filtersets.py), as on its page and in its export.

Unlike django-filter's own backend, a query parameter that is no filter of the list is an error rather than
ignored, as in the exports: a misspelt filter would otherwise return every row as if it had been applied.
Every problem of a query is reported at once.
"""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from inspections.filtering import accepts_parameter


class FilterSetBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        paging = set(getattr(view, "paging_parameters", ()))
        problems = {
            name: [f"“{name}” is not a filter of this list."]
            for name in sorted(request.query_params)
            if name not in paging and not accepts_parameter(type(filterset), name)
        }
        if not filterset.is_valid():
            problems.update(translate_validation(filterset.errors).detail)
        if problems:
            raise ValidationError(problems)
        return filterset.qs
