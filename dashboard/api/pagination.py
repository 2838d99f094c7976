"""Cursor pagination for the API's lists, in whatever order the list's FilterSet sorted them.

A page ends with a link to the next one whose cursor holds the sort values of the page's last row, signed;
the next page starts after that row (a keyset), so page 500 of the findings costs what page 1 does and a
row added meanwhile neither repeats nor skips one. REST framework's own CursorPagination cannot do this
here: it orders by plain field names, compares only the first of them, and loses rows whose value is
empty (a council never inspected, an undated visit), which the lists sort last in either direction.
"""

import datetime
import functools
import operator

from django.core import signing
from django.db.models import F, OrderBy, Q
from django.db.models.expressions import BaseExpression
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

SIGNING_SALT = "inspection-tracker.api.cursor"
KEY_PREFIX = "cursor_key_"
DAMAGED_CURSOR = "This cursor is damaged or belongs to another list: start again from the first page (leave out cursor)."


def sort_keys(queryset):
    """The queryset's ordering as [(expression, descending)], ending with the primary key so that it is total."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    keys = []
    for term in ordering:
        if isinstance(term, str):
            descending = term.startswith("-")
            name = term.lstrip("-")
            keys.append((F("pk" if name == queryset.model._meta.pk.name else name), descending))
        elif isinstance(term, OrderBy):
            keys.append((term.expression, term.descending))
        elif isinstance(term, BaseExpression):
            keys.append((term, False))
        else:  # pragma: no cover - Django's ordering is strings or expressions
            raise TypeError(f"Cannot page through an ordering by {term!r}")
    if not any(isinstance(expression, F) and expression.name in ("pk", "id") for expression, _ in keys):
        keys.append((F("pk"), False))
    return keys


def after(names_and_directions, values):
    """Rows that come after the row whose sort values are `values`, empty values sorting last in both directions."""
    conditions = []
    same_so_far = Q()
    for (name, descending), value in zip(names_and_directions, values):
        if value is not None:
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value}) | Q(**{f"{name}__isnull": True})
            conditions.append(same_so_far & beyond)
            same_so_far &= Q(**{name: value})
        else:  # only other empty values follow an empty one: they are equal, and a later key decides
            same_so_far &= Q(**{f"{name}__isnull": True})
    return functools.reduce(operator.or_, conditions)  # never empty: the last key, the primary key, has a value


def encode(values):
    return signing.dumps([value.isoformat() if isinstance(value, datetime.date) else value for value in values], salt=SIGNING_SALT, compress=True)


def decode(cursor, count):
    try:
        values = signing.loads(cursor, salt=SIGNING_SALT)
    except signing.BadSignature:
        values = None
    if not isinstance(values, list) or len(values) != count:
        raise ValidationError({"cursor": [DAMAGED_CURSOR]})
    return values


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 100
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.requested_page_size(request)
        keys = sort_keys(queryset)
        names = [(f"{KEY_PREFIX}{index}", descending) for index, (_expression, descending) in enumerate(keys)]
        # Empty values last whatever the database's habit, as after() assumes.
        queryset = queryset.annotate(**{name: expression for (name, _), (expression, _) in zip(names, keys)})
        queryset = queryset.order_by(
            *(F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name, descending in names)
        )
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is not None:
            queryset = queryset.filter(after(names, decode(cursor, len(names))))
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last_values = [getattr(rows[-1], name) for name, _ in names] if rows else None
        return rows

    def requested_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]})
        return int(text)

    def next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, encode(self.last_values))

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take the whole link from the previous page's `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
