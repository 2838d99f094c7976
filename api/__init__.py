"""The read-only JSON API at /api/: councils, inspections with their judgements, judgements, findings and key
figures, filtered by the FilterSets the pages and the CSV exports use, with an OpenAPI schema and its
documentation page (docs/api.md)."""
