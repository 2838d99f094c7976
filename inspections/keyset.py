"""Keyset (cursor) pagination: the next page starts after the last row of the page before, in any order.

A page ends with a cursor: the sort values of its last row, signed. The next page is the rows after that row
(a keyset), so page 500 of the findings costs what page 1 does, where an OFFSET walks every row before the
page, and a row added meanwhile is neither repeated nor skipped. The order is the queryset's own, made total
by the primary key; empty values (a council never inspected, an undated visit) come last in either
direction, as the lists' sorts put them (filtering.NullsLastOrderingFilter). Django REST framework's
CursorPagination cannot do this: it orders by plain field names, compares only the first of them, and loses
rows whose value is empty.

A cursor names the list and the order it was made for, and each value is read as its sort key's field: the
values of one order mean nothing in another (a council's name is no date), so a cursor that does not fit is a
CursorError rather than a wrong page or a database error. The API's lists (api/pagination.py) and the
findings search (dashboard/views.py) both page this way, with a `cursor` query parameter (PARAMETER).
"""

import datetime
import functools
import operator

from django.core import exceptions, signing
from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, Q
from django.db.models.expressions import BaseExpression

PARAMETER = "cursor"
# The API's salt from before the findings search shared these cursors: the ones it handed out stay good.
SALT = "inspection-tracker.api.cursor"
KEY_PREFIX = "cursor_key_"


class CursorError(ValueError):
    """A cursor that cannot be used here: start again from the first page."""


class DamagedCursor(CursorError):
    """Not a cursor the site made, or values that do not fit the order's fields."""


class ForeignCursor(CursorError):
    """A cursor the site made, for another list or another order."""


def sign(content):
    return signing.dumps(content, salt=SALT, compress=True)


def unsign(cursor):
    try:
        return signing.loads(cursor, salt=SALT)
    except signing.BadSignature as error:
        raise DamagedCursor("not a cursor this site made") from error


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


def rows_after(names_and_directions, values):
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
    after = functools.reduce(operator.or_, conditions)  # never empty: the last key, the primary key, has a value
    (first, descending), value = names_and_directions[0], values[0]
    if value is None:
        return after
    # Implied by the conditions above, but stated on its own so that PostgreSQL starts its walk of an index in
    # this order (the findings' inspection_newest) at the row's value rather than at the top.
    return (Q(**{f"{first}__{'lte' if descending else 'gte'}": value}) | Q(**{f"{first}__isnull": True})) & after


def as_json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def read_value(value, field):
    """A cursor's value as its field holds it: only what as_json() would have written for that field passes
    (2019-06-10 for a date, 3 for a number, never "3" or true)."""
    if value is None:
        return None
    try:
        typed = field.to_python(value)
    except (exceptions.ValidationError, TypeError, ValueError):
        typed = None
    written = as_json(typed)
    if typed is None or type(written) is not type(value) or written != value:
        raise DamagedCursor(f"{value!r} is not a value of {field!r}")
    return typed


class Keyset:
    """A list's rows in its queryset's order, ready to be paged by cursor: `queryset` holds them, ordered.

    `list_name` names the list in its cursors, so that one list's cursor is refused by another.
    """

    def __init__(self, queryset, list_name):
        keys = sort_keys(queryset)
        self.list_name = list_name
        self.order = ",".join(f"{'-' if descending else ''}{expression}" for expression, descending in keys)
        self.names = [(f"{KEY_PREFIX}{index}", descending) for index, (_expression, descending) in enumerate(keys)]
        queryset = queryset.annotate(**{name: expression for (name, _), (expression, _) in zip(self.names, keys)})
        # Empty values last whatever the database's habit, as rows_after() assumes.
        self.queryset = queryset.order_by(
            *(F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name, descending in self.names)
        )
        self.fields = [self.queryset.query.annotations[name].output_field for name, _ in self.names]

    def after(self, cursor):
        """The rows after the cursor's row; every row for no cursor (an empty one, as a form sends it)."""
        if not cursor:
            return self.queryset
        return self.queryset.filter(rows_after(self.names, self.values(cursor)))

    def page(self, cursor, size):
        """(rows, next): up to `size` rows after the cursor's, and the cursor of the page after (None on the last)."""
        rows = list(self.after(cursor)[: size + 1])
        return rows[:size], (self.cursor_after(rows[size - 1]) if len(rows) > size else None)

    def cursor_after(self, row):
        """The cursor of the page that starts after `row` (one of this keyset's rows)."""
        values = [as_json(getattr(row, name)) for name, _ in self.names]
        return sign({"list": self.list_name, "order": self.order, "after": values})

    def values(self, cursor):
        """The sort values a cursor holds, each read as its key's field."""
        content = unsign(cursor)
        if not (isinstance(content, dict) and isinstance(content.get("after"), list)):
            raise DamagedCursor("not a cursor of this form")
        if content.get("list") != self.list_name or content.get("order") != self.order or len(content["after"]) != len(self.fields):
            raise ForeignCursor(f"made for {content.get('list')!r} in the order {content.get('order')!r}")
        return [read_value(value, field) for value, field in zip(content["after"], self.fields)]


class KeysetPaginator(Paginator):
    """Numbered pages of a queryset's rows, any of which can be asked for by a cursor instead: the page after
    one shown then costs what the first does, while a page chosen by its number is counted to (an OFFSET).

    Told how many rows there are (`count`: the findings search adds up its counts per year), it runs no COUNT.
    """

    def __init__(self, queryset, per_page, count, list_name):
        self.keyset = Keyset(queryset, list_name)
        super().__init__(self.keyset.queryset, per_page)
        self.count = count

    def page_from(self, number, cursor):
        """Page `number` (as get_page() reads it), its rows those after the cursor's when there is one.

        A CursorError for a cursor that does not fit.
        """
        if not cursor:
            return self.get_page(number)
        rows = list(self.keyset.after(cursor)[: self.per_page])
        return self._get_page(rows, self.get_page(number).number, self)

    def _get_page(self, *args, **kwargs):
        return KeysetPage(*args, **kwargs)


class KeysetPage(Page):
    @property
    def next_cursor(self):
        """The cursor of the next page (None on the last): it starts after this page's last row."""
        return self.paginator.keyset.cursor_after(self[-1]) if self.has_next() and len(self) else None
