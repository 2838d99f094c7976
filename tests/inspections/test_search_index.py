"""On PostgreSQL, findings search uses the GIN index that migration 0002 creates (same expression)."""

import pytest
from django.db import connection

from inspections.models import Finding

pytestmark = pytest.mark.django_db


def test_full_text_search_uses_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("full-text search and its index are PostgreSQL's")
    queryset = Finding.objects.search("caseloads").order_by().values("pk")  # the search alone, no joins
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table would otherwise be scanned
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "finding_text_search" in plan, plan
