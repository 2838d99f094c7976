"""Each API address answers in one format, whatever the client's Accept header says.

Stored answers are kept per address (inspection_tracker/page_cache.py), so an answer chosen by Accept could be served
to a client that asked for another format; and a client asking for YAML at a JSON address is better served
the JSON than a 406. The schema has an address per format instead (api/schema/ and api/schema.json).
"""

from rest_framework.negotiation import BaseContentNegotiation


class OneFormatPerAddress(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
