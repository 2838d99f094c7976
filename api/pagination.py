"""Cursor pagination for the API's lists, in whatever order the list's FilterSet sorted them: REST framework's
face on inspections/keyset.py, which says how a cursor works and why.

Every page also says how many rows the whole query matches (`count`, exact: one COUNT of the filtered list,
cheap at these sizes), so that a script knows how much is coming without walking every page.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from inspections import keyset, query_parameters

DAMAGED_CURSOR = "This cursor is damaged: start again from the first page (leave out cursor)."
OTHER_ORDER_CURSOR = (
    "This cursor belongs to another list or another sort: use it with the query it came from, "
    "or start again from the first page (leave out cursor)."
)


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
        rows = keyset.Keyset(queryset, list_name=view.basename)
        try:
            page, self.next_cursor = rows.page(request.query_params.get(self.cursor_query_param), self.page_size)
        except keyset.ForeignCursor:
            raise ValidationError({self.cursor_query_param: [OTHER_ORDER_CURSOR]}) from None
        except keyset.CursorError:
            raise ValidationError({self.cursor_query_param: [DAMAGED_CURSOR]}) from None
        return page

    def requested_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]})
        return int(text)

    def next_link(self):
        if self.next_cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor)

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
