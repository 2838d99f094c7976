"""Cells a spreadsheet would run as formulas come out as text (OWASP CSV injection); numbers stay numbers."""

import pytest

from tests.factories import CouncilFactory, FindingFactory, InspectionFactory
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("http://evil.example","click")']
SAFE = ["Good practice", "“Quoted” text", "1 in 3 children", "' already quoted"]


def test_every_formula_start_is_neutralised_and_other_text_is_not(client):
    inspection = InspectionFactory(lead_inspector="=cmd|' /C calc'!A0")
    for order, text in enumerate(DANGEROUS + SAFE, start=1):
        FindingFactory(inspection=inspection, text=text, order=order)
    texts = [row["text"] for row in read_csv(client.get("/export/findings.csv"))]
    assert texts == ["'" + text for text in DANGEROUS] + SAFE
    inspections = read_csv(client.get("/export/inspections.csv"))
    assert inspections[0]["lead_inspector"] == "'=cmd|' /C calc'!A0"


def test_council_names_are_neutralised_in_every_dataset(client):
    council = CouncilFactory(name="@Evil council", slug="evil")
    FindingFactory(inspection=InspectionFactory(council=council))
    for name in ("councils", "inspections", "findings"):
        rows = read_csv(client.get(f"/export/{name}.csv"))
        assert rows[0]["council"] == "'@Evil council", name


def test_hyperlink_finding_comes_out_neutralised(client, country):
    rows = read_csv(client.get("/export/findings.csv?council=tower-hamlets"))
    texts = {row["text"] for row in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in texts
    assert "'-Leaders know their services well." in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)


def test_numbers_stay_numbers(client, country):
    rows = read_csv(client.get("/export/judgements.csv?council=tower-hamlets"))
    assert all(row["grade_score"].isdigit() for row in rows)
    assert all(row["inspection_id"].isdigit() for row in rows)
    figures = read_csv(client.get("/export/key_figures.csv?council=bolton"))
    assert [row["value"] for row in figures] == ["12.5"]
