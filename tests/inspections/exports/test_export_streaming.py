"""Exports stream in chunks as the database produces rows, and a download stopped halfway harms nothing."""

import pytest

from inspections import postgresql_copy as copy_module
from inspections import exports
from inspections.exports import DATASETS, csv_lines
from inspections.models import Finding
from tests.factories import FindingFactory, InspectionFactory
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_findings(monkeypatch):
    inspection = InspectionFactory()
    for order in range(1, 301):
        FindingFactory(inspection=inspection, order=order, text=f"Finding number {order}, with “quotes” and, commas.")
    monkeypatch.setattr(copy_module, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(copy_module, "QUEUED_CHUNKS", 1)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 20)
    return inspection


def test_rows_arrive_in_many_chunks_and_read_back_whole(client, many_findings):
    response = client.get("/export/findings.csv")
    chunks = list(response.streaming_content)
    assert len(chunks) > 5
    rows = read_csv(b"".join(chunks).decode())
    # Every row once, in the export's order (by the finding's number, not its text), each read back whole
    # although chunk boundaries fall mid-file.
    assert [row["text"] for row in rows] == [
        f"Finding number {order}, with “quotes” and, commas." for order in range(1, 301)
    ]


def test_a_download_stopped_halfway_leaves_the_database_usable(many_findings):
    dataset = DATASETS["findings"]
    stream = csv_lines(dataset, dataset.base_queryset())
    next(stream)
    next(stream)
    stream.close()
    assert Finding.objects.count() == 300
    rows = read_csv("".join(csv_lines(dataset, dataset.base_queryset())))
    assert len(rows) == 300
