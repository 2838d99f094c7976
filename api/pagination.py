"""Cursor pagination for the API's lists, in whatever order the list's FilterSet sorted them.

A page ends with a link to the next one whose cursor holds the sort values of the page's last row, signed;
the next page starts after that row (a keyset), so page 500 of the findings costs what page 1 does and a
row added meanwhile neither repeats nor skips one. REST framework's own CursorPagination cannot do this
here: it orders by plain field names, compares only the first of them, and loses rows whose value is
empty (a council never inspected, an undated visit), which the lists sort last in either direction.

A cursor names the list and the order it was made for, and each value is read as its sort key's field: the
values of one order mean nothing in another (a council's name is no date), so any cursor that does not fit
is a 400 rather than a wrong page or a database error.

Every page also says how many rows the whole query matches (`count`, exact: one COUNT of the filtered list,
cheap at these sizes), so that a script knows how much is coming without walking every page.
"""

import datetime
import functools
import operator

from django.core import exceptions, signing
from django.db.models import F, OrderBy, Q
from django.db.models.expressions import BaseExpression
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from inspections import query_parameters

SIGNING_SALT = "inspection-tracker.api.cursor"
KEY_PREFIX = "cursor_key_"
DAMAGED_CURSOR = "This cursor is damaged: start again from the first page (leave out cursor)."
OTHER_ORDER_CURSOR = (
    "This cursor belongs to another list or another sort: use it with the query it came from, "
    "or start again from the first page (leave out cursor)."
)


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


def order_of(keys):
    """The order a cursor belongs to, as text: its keys, a descending one marked "-" ("-F(name),F(pk)")."""
    return ",".join(f"{'-' if descending else ''}{expression}" for expression, descending in keys)


def as_json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def encode(list_name, order, values):
    return signing.dumps({"list": list_name, "order": order, "after": [as_json(value) for value in values]}, salt=SIGNING_SALT, compress=True)


def decode(cursor, list_name, order, fields):
    """The values a cursor holds, each read as its sort key's field; a 400 for a cursor that does not fit."""
    try:
        content = signing.loads(cursor, salt=SIGNING_SALT)
    except signing.BadSignature:
        content = None
    if not (isinstance(content, dict) and isinstance(content.get("after"), list)):
        raise ValidationError({"cursor": [DAMAGED_CURSOR]})
    if content.get("list") != list_name or content.get("order") != order or len(content["after"]) != len(fields):
        raise ValidationError({"cursor": [OTHER_ORDER_CURSOR]})
    return [read_value(value, field) for value, field in zip(content["after"], fields)]


def read_value(value, field):
    """A cursor's value as its field holds it: only what encode() would have written for that field passes
    (2019-06-10 for a date, 3 for a number, never "3" or true)."""
    if value is None:
        return None
    try:
        typed = field.to_python(value)
    except (exceptions.ValidationError, TypeError, ValueError):
        typed = None
    written = as_json(typed)
    if typed is None or type(written) is not type(value) or written != value:
        raise ValidationError({"cursor": [DAMAGED_CURSOR]})
    return typed


class KeysetPagination(BasePagination):
    # Named with the lists' other parameters (inspections/query_parameters.py).
    cursor_query_param = query_parameters.CURSOR
    page_size_query_param = query_parameters.PAGE_SIZE
    page_size = 100
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.requested_page_size(request)
        self.count = queryset.order_by().count()
        keys = sort_keys(queryset)
        names = [(f"{KEY_PREFIX}{index}", descending) for index, (_expression, descending) in enumerate(keys)]
        # Empty values last whatever the database's habit, as after() assumes.
        queryset = queryset.annotate(**{name: expression for (name, _), (expression, _) in zip(names, keys)})
        queryset = queryset.order_by(
            *(F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name, descending in names)
        )
        self.list_name = view.basename
        self.order = order_of(keys)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:  # an empty cursor, as a form sends it, is the first page
            fields = [queryset.query.annotations[name].output_field for name, _ in names]
            queryset = queryset.filter(after(names, decode(cursor, self.list_name, self.order, fields)))
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
        return replace_query_param(url, self.cursor_query_param, encode(self.list_name, self.order, self.last_values))

    def get_paginated_response(self, data):
        return Response({"count": self.count, "next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many rows the query matches in all, over every page (exact).",
                },
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
                "description": (
                    "Where the page starts: take the whole link from the previous page's `next`. Left out or empty, "
                    "the first page. A cursor works only with the list and sort it came from; any other is a 400."
                ),
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
