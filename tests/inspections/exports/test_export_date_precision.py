"""A date known only to the month or year says so in the CSVs: its precision travels in a column beside it."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import EventType, Framework
from tests.factories import FindingFactory, InspectionFactory, KeyFigureFactory
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def dates_of_every_precision():
    """A day-precise inspection, a month-precise one (July 2012), a year-precise visit (2019), an undated visit."""
    day = InspectionFactory(start_date=D(2017, 1, 23), end_date=D(2017, 2, 16), published_date=D(2017, 4, 7))
    council = day.council
    month = InspectionFactory(
        council=council, framework=Framework.SIF, event_type=EventType.FULL_INSPECTION,
        start_date=D(2012, 7, 1), end_date=None, published_date=None, date_precision="month",
    )  # fmt: skip
    year = InspectionFactory(
        council=council, framework="", event_type=EventType.MONITORING_VISIT,
        start_date=D(2019, 1, 1), end_date=None, published_date=None, date_precision="year",
    )  # fmt: skip
    undated = InspectionFactory(
        council=council, framework="", event_type=EventType.MONITORING_VISIT, visit_number=2,
        start_date=None, end_date=None, published_date=None,
    )  # fmt: skip
    for inspection in (day, month, year, undated):
        FindingFactory(inspection=inspection)
    KeyFigureFactory(council=council, metric="children_looked_after", unit="count", value=298, date=D(2012, 6, 1), date_precision="month")
    KeyFigureFactory(council=council, metric="children_population", unit="count", value=65000, date=D(2017, 1, 1), date_precision="year")
    KeyFigureFactory(council=council, metric="children_in_need", unit="count", value=3149, date=D(2017, 1, 31), date_precision="day")
    return council


def test_inspection_dates_carry_their_precision(client, dates_of_every_precision):
    rows = read_csv(client.get("/export/inspections.csv"))
    assert [
        (r["start_date"], r["start_date_precision"], r["end_date"], r["end_date_precision"],
         r["published_date"], r["published_date_precision"])
        for r in rows
    ] == [
        ("2012-07-01", "month", "", "", "", ""),
        ("2017-01-23", "day", "2017-02-16", "day", "2017-04-07", "day"),
        ("2019-01-01", "year", "", "", "", ""),
        ("", "", "", "", "", ""),
    ]  # fmt: skip


def test_finding_dates_carry_their_inspections_precision(client, dates_of_every_precision):
    rows = read_csv(client.get("/export/findings.csv"))
    assert sorted((r["start_date"], r["start_date_precision"]) for r in rows) == [
        ("", ""),
        ("2012-07-01", "month"),
        ("2017-01-23", "day"),
        ("2019-01-01", "year"),
    ]


def test_key_figure_dates_carry_their_precision(client, dates_of_every_precision):
    rows = read_csv(client.get("/export/key_figures.csv"))
    assert {r["metric"]: (r["date"], r["date_precision"]) for r in rows} == {
        "children_looked_after": ("2012-06-01", "month"),
        "children_population": ("2017-01-01", "year"),
        "children_in_need": ("2017-01-31", "day"),
    }


@pytest.mark.parametrize(
    "dataset, column, date_column",
    [
        ("inspections", "start_date_precision", "start_date"),
        ("inspections", "end_date_precision", "end_date"),
        ("inspections", "published_date_precision", "published_date"),
        ("findings", "start_date_precision", "start_date"),
        ("key_figures", "date_precision", "date"),
    ],
)
def test_the_data_dictionary_explains_each_precision_column(client, dataset, column, date_column):
    page = client.get(reverse("export-index")).content.decode().replace("<wbr>", "")  # break points in names
    columns = page.split(f'id="{dataset}"', 1)[1].split("<tbody", 1)[1].split("</table>", 1)[0]
    row = columns.split(f"<code>{column}</code>", 1)[1].split("</tr>", 1)[0]
    assert f"How precisely the sources give {date_column}" in row
    assert "month (written as the 1st of the month)" in row and "year (written as 1 January)" in row
    assert "day, month, year" in row  # the allowed values
    date_row = columns.split(f"<code>{date_column}</code>", 1)[1].split("</tr>", 1)[0]
    assert f"see {column}" in date_row
