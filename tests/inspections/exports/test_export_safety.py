"""Cells a spreadsheet would run as formulas come out as text; numbers stay numbers."""

import pytest

from inspections.exports import neutralise
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("dangerous", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("x")'])
def test_text_starting_with_a_formula_character_is_neutralised(dangerous):
    assert neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("safe", ["Good", "", None, 4, -3, 12.5])
def test_other_values_are_left_alone(safe):
    assert neutralise(safe) == safe


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
