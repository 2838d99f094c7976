"""Filter pieces shared by every FilterSet (pages, CSV exports and the API alike)."""

import django_filters
from django import forms
from django.db.models import F

from .query_parameters import INVALID_CHOICE, INVALID_DATE, INVALID_MODEL_CHOICE


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values get messages a reader can act on."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.error_messages["invalid_choice"] = INVALID_MODEL_CHOICE
                elif isinstance(field, forms.ChoiceField):
                    field.error_messages["invalid_choice"] = INVALID_CHOICE
                for sub in getattr(field, "fields", ()):
                    if isinstance(sub, forms.DateField):
                        sub.error_messages["invalid"] = INVALID_DATE
        return self._form


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """OrderingFilter that puts missing values (a council never inspected) last in either direction.

    SQLite and PostgreSQL disagree on where NULLs sort; this makes both put them at the end, and
    breaks ties by the queryset's default ordering fields given as `tiebreak`.
    """

    def __init__(self, *args, tiebreak=("pk",), **kwargs):
        self.tiebreak = tuple(tiebreak)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            if param in django_filters.constants.EMPTY_VALUES:
                continue
            name = self.get_ordering_value(param)
            if name.startswith("-"):
                ordering.append(F(name[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, *self.tiebreak)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """A from/to date filter whose two query parameters are <name>_after and <name>_before (inclusive)."""
