"""The API's lists hold the CSV exports' rows, in the same order, for the same query: one FilterSet for both."""

import pytest

from tests.api.conftest import walk
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

# (list, its export, how a row is known in the API and in the CSV, queries)
LISTS = {
    "councils": (
        lambda row: row["slug"],
        lambda row: row["council_slug"],
        ["", "sort=-overall_effectiveness", "sort=leaders", "sort=date", "sort=-date", "region=london", "grade=good",
         "grade=good&area=leaders", "q=ham", "status=all", "status=former", "change=improved", "area=care_leavers"],
    ),
    "inspections": (
        lambda row: int(row["id"]),
        lambda row: int(row["inspection_id"]),
        [
            "council=tower-hamlets",
            "",
            "sort=-date",
            "sort=date",
            "sort=council",
            "sort=-published",
            "region=E12000007&event_type=focused_visit",
            "start_date_after=2019-01-01&start_date_before=2024-12-31",
            "q=marcie",
            "framework=ilacs",
        ],
    ),
    "judgements": (
        lambda row: (int(row["inspection_id"]), row["area"]),
        lambda row: (int(row["inspection_id"]), row["area"]),
        ["", "area=overall_effectiveness", "sort=-date", "sort=council", "council=camden", "grade=good&la_type=London Borough"],
    ),
    "findings": (
        lambda row: int(row["id"]),
        lambda row: int(row["finding_id"]),
        ["", "q=caseload", "council=tower-hamlets", "sort=-date", "said_by=press", "kind=strength", "year=2017"],
    ),
    "key_figures": (
        lambda row: (row["council"]["slug"], row["metric"], row["date"]),
        lambda row: (row["council_slug"], row["metric"], row["date"]),
        ["", "metric=agency_worker_rate", "council=tower-hamlets", "start_date_after=2019-01-01"],
    ),
}
@pytest.mark.parametrize("name", list(LISTS))
def test_the_api_list_holds_the_exports_rows_in_its_order(client, record, name):
    api_key, csv_key, queries = LISTS[name]
    api_path = "/api/" + name.replace("_", "-") + "/"
    for query in queries:  # one set of data for every query of the list: building it is most of the time
        # Two rows a page: every list here spans several pages, so the cursor is walked too.
        rows, pages = walk(client, f"{api_path}?{query}&page_size=2")
        exported = read_csv(client.get(f"/export/{name}.csv?{query}"))
        assert [api_key(row) for row in rows] == [csv_key(row) for row in exported], query
        assert pages == max(1, -(-len(exported) // 2)), query


def test_tower_hamlets_inspections_are_the_exports(client, record):
    """The issue's own example: /api/inspections/?council=tower-hamlets and the CSV for the same query."""
    rows, _pages = walk(client, "/api/inspections/?council=tower-hamlets")
    exported = read_csv(client.get("/export/inspections.csv?council=tower-hamlets"))
    assert [(row["id"], row["start_date"], row["event_type"]) for row in rows] == [
        (int(row["inspection_id"]), row["start_date"] or None, row["event_type"]) for row in exported
    ]
    assert record.draft.pk not in {row["id"] for row in rows}
    overall = {
        row["id"]: next((j["grade_label"] for j in row["judgements"] if j["area"] == "overall_effectiveness"), "")
        for row in rows
    }
    assert overall == {int(row["inspection_id"]): row["overall_effectiveness"] for row in exported}


def test_a_councils_latest_grades_read_as_in_the_councils_export(client, record):
    """One truth for grades: each line's latest grade, its status and its change read alike in both."""
    rows, _pages = walk(client, "/api/councils/")
    exported = {row["council_slug"]: row for row in read_csv(client.get("/export/councils.csv"))}
    at_latest_words = {"not_given": "Not given", "not_recorded": "Not recorded", None: ""}
    compared = 0
    for council in rows:
        csv_row = exported[council["slug"]]
        for line in council["latest_grades"]:
            key = line["line"]
            last_given = line["last_given"] or {}
            assert last_given.get("grade_label", "") == csv_row[f"{key}_last_given"], (council["slug"], key)
            assert str(last_given.get("inspection_id", "")) == csv_row[f"{key}_last_given_inspection_id"]
            # Only a current grade has a previous grade and a change.
            assert line["grade"] is not None or line["change"] is None, (council["slug"], key)
            assert (line["previous_grade_label"] or "") == csv_row[f"{key}_previous"], (council["slug"], key)
            assert (line["change"] or "") == csv_row[f"{key}_change"], (council["slug"], key)
            expected = line["grade_label"] if line["status"] == "given" else at_latest_words[line["status"]]
            assert expected == csv_row[key], (council["slug"], key)
            compared += line["grade"] is not None
    assert compared >= 10
