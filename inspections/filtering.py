"""Filter pieces shared by every FilterSet (pages, CSV exports and any API alike)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F

INVALID_CHOICE = "“%(value)s” is not one of the options: choose one from the list."
INVALID_DATE = "Enter a real date as year-month-day, like 2024-03-31."


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values get messages a reader can act on."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.error_messages["invalid_choice"] = "That is not one of the options: choose one from the list."
                elif isinstance(field, forms.ChoiceField):
                    field.error_messages["invalid_choice"] = INVALID_CHOICE
                for sub in getattr(field, "fields", ()):
                    if isinstance(sub, forms.DateField):
                        sub.error_messages["invalid"] = INVALID_DATE
        return self._form

    def errors_by_parameter(self):
        """{query parameter: [messages]} for every invalid value, under the parameter the query sent: a date
        range's problem under <name>_after or <name>_before, whichever is wrong, not the range's own name."""
        problems = {}
        for name, messages in self.form.errors.items():
            field = self.form.fields.get(name)
            parts = self.range_errors(name, field) if isinstance(field, forms.MultiValueField) else {}
            for parameter, part_messages in (parts or {name: messages}).items():
                problems.setdefault(parameter, []).extend(part_messages)
        return problems

    def range_errors(self, name, field):
        """{<name>_<suffix>: [messages]} for each part of a range that is wrong by itself."""
        errors = {}
        for suffix, part in zip(field.widget.suffixes, field.fields):
            parameter = f"{name}_{suffix}"
            try:
                part.clean(self.data.get(parameter))
            except ValidationError as error:
                errors[parameter] = error.messages
        return errors


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


def accepts_parameter(filterset_class, name):
    """Whether a query parameter is one of the FilterSet's filters (a date range is two: _after, _before)."""
    filters = filterset_class.base_filters
    if name in filters:
        return True
    return any(name.endswith(suffix) and name[: -len(suffix)] in filters for suffix in ("_after", "_before"))


def errors_as_list(filterset):
    """[(field id, message)] for every invalid filter value, for an error summary."""
    problems = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None and field.label else name
        for error in errors:
            problems.append((name, f"{label}: {error}"))
    return problems
