"""On PostgreSQL, findings search uses the GIN index that migration 0002 creates (same expression)."""

import pytest
from django.db import connection

from django.db.models.functions import Coalesce

from inspections.models import Finding
from tests.factories import FindingFactory, InspectionFactory

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


NEWEST_FIRST = (Coalesce("inspection__start_date", "inspection__published_date").desc(nulls_last=True), "inspection_id", "order")


def test_matches_first_gives_the_same_findings_in_the_same_order():
    for inspection in InspectionFactory.create_batch(4):
        for order in range(1, 4):
            FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, order=order, text=f"Caseloads are fine {order}")
        FindingFactory(inspection=inspection, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, text="Plans are vague")
    order = NEWEST_FIRST
    found = Finding.objects.published().search("caseloads").order_by(*order)
    count = found.count()
    assert count == 12
    assert list(found.matches_first(count)) == list(found)
    assert list(found.matches_first(count)[:3]) == list(found[:3])


def test_matches_first_works_the_matches_out_in_a_subquery_the_database_cannot_fold_in():
    # A subquery with a LIMIT is worked out on its own (PostgreSQL cannot pull it up into the ordered query);
    # bench/scale.py shows what that is worth at national scale.
    queryset = Finding.objects.published().search("caseloads").matches_first(3).order_by(*NEWEST_FIRST)[:50]
    sql = str(queryset.query).upper()
    inner = sql[sql.index("IN (SELECT") :]
    assert "LIMIT 3" in inner
