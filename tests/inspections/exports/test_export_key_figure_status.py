"""Key figures: `value` holds numbers only; why a number is missing is in `status`, with the code's meaning."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from inspections.models import KeyFigure, MissingCode, Source
from tests.factories import CouncilFactory, KeyFigureFactory, SourceFactory
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

# The codes' meanings as DfE's children's social care dashboard ("KPI codes") and the Government
# Statistical Service's shorthand guidance word them: written out here so that a changed word shows.
PUBLISHED_MEANINGS = {
    "c": "confidential data which has been suppressed",
    "k": "rounds to 0 but is not 0",
    "low": "less than half the final digit shown and different from a real zero",
    "u": "observation is of low reliability",
    "x": "data is unavailable for other reason(s)",
    "z": "observation is not applicable",
}


@pytest.fixture
def figures():
    council = CouncilFactory(slug="camden")
    for year, code in enumerate(PUBLISHED_MEANINGS, start=2010):
        KeyFigureFactory(council=council, value=None, missing_code=code, date=datetime.date(year, 9, 30))
    KeyFigureFactory(council=council, value=Decimal("12.5"), date=datetime.date(2024, 9, 30))
    KeyFigureFactory(council=council, value=Decimal("0"), date=datetime.date(2025, 9, 30))
    return council


def test_the_official_codes_are_the_published_ones():
    assert dict(MissingCode.choices) == PUBLISHED_MEANINGS


def test_value_is_a_number_or_empty_and_status_says_why(client, figures):
    rows = read_csv(client.get("/export/key_figures.csv"))
    by_date = {r["date"]: (r["value"], r["status"], r["status_meaning"]) for r in rows}
    for year, (code, meaning) in enumerate(PUBLISHED_MEANINGS.items(), start=2010):
        assert by_date[f"{year}-09-30"] == ("", code, meaning)
    assert by_date["2024-09-30"] == ("12.5", "", "")
    assert by_date["2025-09-30"] == ("0", "", ""), "a real zero is a number, not a missing value"
    for row in rows:
        assert row["value"] == "" or float(row["value"]) >= 0, row


def test_the_data_dictionary_gives_every_code_and_its_meaning(client):
    page = client.get(reverse("export-index")).content.decode()
    columns = page.split('id="key_figures"', 1)[1].split("<tbody", 1)[1].split("</table>", 1)[0]
    status = columns.split("<code>status</code>", 1)[1].split("</tr>", 1)[0]
    for code, meaning in PUBLISHED_MEANINGS.items():
        assert f"{code} = {meaning}" in status.replace("&#x27;", "'"), code
    value = columns.split("<code>value</code>", 1)[1].split("</tr>", 1)[0]
    assert "empty where the source gives none" in value


def test_other_sources_of_a_merged_figure_are_listed(client):
    official = SourceFactory(kind=Source.Kind.DATASET, publisher="Department for Education", title="Children looked after")
    report = SourceFactory(title="=Inspection of Camden")
    figure = KeyFigureFactory(source=official, metric="children_looked_after", unit="count", value=305)
    figure.merge(KeyFigure(council=figure.council, metric=figure.metric, date=figure.date, unit="count", value=310, source=report))
    (row,) = read_csv(client.get("/export/key_figures.csv"))
    assert (row["value"], row["source"], row["also_reported_by"]) == ("305", "Children looked after", "'=Inspection of Camden")
