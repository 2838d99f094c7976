"""Schemathesis against the API's own OpenAPI schema: every operation, every check, in process.

The schema is the one /api/schema.json serves (drf-spectacular's generator), and each request goes through
the site's WSGI application (middleware, page cache and all) on a small data set built with the factories.
Examples are few enough to keep this to well under a minute.
"""

import json
import os
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from inspection_tracker.wsgi import application
from inspections.models import Finding
from tests.factories import FindingFactory, SourceFactory

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))))
schema.app = application

# Filters naming a record: the schema can only say "a string", so a made-up council is a valid request that
# the API rightly refuses (400, with the pages' message). Valid requests name one of the data set's instead.
RECORDS_NAMED = {
    "council": ["tower-hamlets", "hackney", "camden", "manchester", "northamptonshire"],
    "region": ["E12000007", "london", "North West"],
    "metric": ["social_worker_turnover_rate", "agency_worker_rate", "children_looked_after_rate"],
    # A cursor comes from a page's `next` link; an empty one is the first page.
    "cursor": [""],
}


@schema.hook
def map_case(context, case):
    if case.meta is not None and case.meta.generation.mode.is_positive and isinstance(case.query, dict):
        for name, known in RECORDS_NAMED.items():
            value = case.query.get(name)
            if isinstance(value, str) and value:
                case.query[name] = known[zlib.crc32(value.encode()) % len(known)]
    return case


@pytest.fixture
def data_set(record):
    """The API tests' record, with the empty values an answer can hold: an undated source and a finding of an
    undated visit, cited from no source."""
    record.undated.sources.add(SourceFactory(title="Letter without a date", published_date=None))
    FindingFactory(inspection=record.undated, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, order=1, source=None, text="Undated.")
    # Every example comes from one address: unthrottled (tests/conftest.py turns the limit off), or most
    # would be a 429.
    # The WSGI application is called as a server would, and a server's request ends close the database
    # connection: on PostgreSQL that is the test's own transaction. Django's test client holds these
    # signals back for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield record
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# CI draws the same examples every run (derandomize), so that a submission is judged on what it changed;
# run locally, each run draws new ones and may find more (CI=true to draw CI's).
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, data_set):
    # The in-process client does not undo gzip as an HTTP client would: ask for the plain body.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
