"""Each dataset's columns, in the documented order, and its values in the documented forms."""

import pytest
from django.urls import reverse

from inspections.exports import DATASETS
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

LEADING_COLUMNS = {
    "councils": ["council", "council_slug", "ons_code", "la_code", "ofsted_urn", "region", "la_type",
                 "latest_inspection_id", "latest_inspection_type", "latest_inspection_date",
                 "latest_inspection_date_precision", "months_since_latest_inspection", "last_event_date",
                 "last_event_date_precision", "last_event_type", "overall_effectiveness",
                 "overall_effectiveness_last_given", "overall_effectiveness_last_given_area",
                 "overall_effectiveness_last_given_inspection_id", "overall_effectiveness_last_given_date",
                 "overall_effectiveness_last_given_date_precision", "overall_effectiveness_previous",
                 "overall_effectiveness_change", "leaders"],
    "inspections": ["inspection_id", "council", "council_slug", "ons_code", "la_code", "region", "event_type",
                    "framework", "start_date", "end_date", "published_date", "lead_inspector",
                    "overall_effectiveness", "report_url"],
    "judgements": ["inspection_id", "council", "council_slug", "ons_code", "region", "event_type", "framework",
                   "start_date", "area", "grade", "grade_score", "previous_grade", "change", "start_date_precision",
                   "previous_area", "previous_inspection_id"],
    "findings": ["finding_id", "inspection_id", "council", "council_slug", "start_date", "event_type", "kind",
                 "area", "text", "source"],
    "key_figures": ["council", "council_slug", "ons_code", "metric", "value", "unit", "date", "source"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(LEADING_COLUMNS))
def test_columns_come_in_the_documented_order(client, country, name):
    response = client.get(reverse("export-csv", args=[name]))
    assert response.status_code == 200
    header = b"".join(response.streaming_content).decode().splitlines()[0].split(",")
    assert header[: len(LEADING_COLUMNS[name])] == LEADING_COLUMNS[name]
    assert header == DATASETS[name].header


def test_councils_give_each_grade_with_the_inspection_it_comes_from(client, country):
    rows = {row["council_slug"]: row for row in read_csv(client.get("/export/councils.csv"))}
    hamlets = rows["tower-hamlets"]
    latest = country["latest"]
    assert (hamlets["latest_inspection_id"], hamlets["latest_inspection_date"]) == (str(latest.pk), "2024-11-11")
    assert hamlets["latest_inspection_date_precision"] == "day"
    assert hamlets["last_event_type"] == "short_inspection"
    assert hamlets["overall_effectiveness"] == hamlets["overall_effectiveness_last_given"] == "Outstanding"
    assert (hamlets["overall_effectiveness_previous"], hamlets["overall_effectiveness_change"]) == ("Good", "improved")
    # ILACS judged leaders in 2024, but no grade is recorded here: "Not recorded", no current grade and so
    # no change; the 2019 grade is history, dated.
    assert hamlets["leaders"] == "Not recorded"
    assert hamlets["leaders_last_given"] == "Good"
    assert hamlets["leaders_last_given_date"] == "2019-06-10"
    assert hamlets["leaders_last_given_inspection_id"] != hamlets["latest_inspection_id"]
    assert (hamlets["leaders_previous"], hamlets["leaders_change"]) == ("", "")
    # Adoption is no ILACS judgement: "Not given".
    assert hamlets["adoption"] in ("Not given", "")
    assert (hamlets["is_current"], hamlets["latest_inspection_framework"]) == ("true", "ilacs")
    assert hamlets["care_leavers_change"] == "first"
    assert int(hamlets["months_since_latest_inspection"]) >= 12
    assert rows["camden"]["last_event_type"] == "focused_visit"
    assert rows["camden"]["latest_inspection_type"] == "standard_inspection"
    assert rows["bolton"]["latest_inspection_date"] == rows["bolton"]["overall_effectiveness"] == ""
    assert rows["bolton"]["last_event_date"] == "", "a draft is not an inspection yet"


def test_judgements_carry_score_previous_grade_and_change(client, country):
    rows = read_csv(client.get("/export/judgements.csv?council=tower-hamlets&area=overall_effectiveness"))
    assert [(r["start_date"], r["grade"], r["grade_score"], r["previous_grade"], r["change"]) for r in rows] == [
        ("2017-01-23", "Inadequate", "4", "", "first"),
        ("2019-06-10", "Good", "2", "Inadequate", "improved"),
        ("2024-11-11", "Outstanding", "1", "Good", "improved"),
    ]


def test_previous_grade_ignores_the_date_filter(client, country):
    rows = read_csv(client.get("/export/judgements.csv?council=tower-hamlets&area=leadership&start_date_after=2019-01-01"))
    assert [(r["grade"], r["previous_grade"], r["change"]) for r in rows] == [("Good", "Inadequate", "improved")]


def test_grades_are_in_ofsteds_words(client, country):
    rows = read_csv(client.get("/export/inspections.csv?council=camden"))
    assert [r["overall_effectiveness"] for r in rows] == ["Requires improvement to be good", ""]


def test_suppressed_key_figure_has_no_value_and_says_why(client, country):
    rows = read_csv(client.get("/export/key_figures.csv?council=tower-hamlets"))
    values = {(r["metric"], r["date"]): (r["value"], r["status"]) for r in rows}
    assert values[("children_looked_after", "2024-03-31")] == ("", "c")
    value, status = values[("social_worker_turnover_rate", "2018-06-01")]
    assert float(value) == 33 and status == ""


NEW_COLUMNS_AT_THE_END = {
    "inspections": ["start_date_precision", "end_date_precision", "published_date_precision"],
    "findings": ["start_date_precision", "said_by", "page"],
    "key_figures": ["status", "status_meaning", "date_precision", "also_reported_by"],
}


@pytest.mark.parametrize("name", list(NEW_COLUMNS_AT_THE_END))
def test_new_columns_come_after_the_older_ones(name):
    """Columns are stable: a script reading them by position still finds the older ones where they were."""
    header = DATASETS[name].header
    assert header[len(LEADING_COLUMNS[name]) :] == NEW_COLUMNS_AT_THE_END[name]


def test_file_name_says_dataset_and_date(client, country):
    response = client.get("/export/findings.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="findings-20')


def test_byte_order_mark_on_request_only(client, country):
    plain = b"".join(client.get("/export/councils.csv").streaming_content)
    excel = b"".join(client.get("/export/councils.csv?bom=1").streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf") and excel[3:] == plain
