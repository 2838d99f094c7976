"""Exports hold exactly the published rows the filters select, checked against the database."""

import pytest

from inspections.models import Finding, Inspection, Judgement
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


def ids(rows, column):
    return sorted(int(row[column]) for row in rows)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {}),
        ("?region=E12000007", {"council__region__code": "E12000007"}),
        ("?council=camden", {"council__slug": "camden"}),
        ("?la_type=London+Borough&event_type=standard_inspection", {"council__la_type": "London Borough", "event_type": "standard_inspection"}),
        ("?framework=sif", {"framework": "sif"}),
        ("?start_date_after=2019-01-01&start_date_before=2023-12-31", {"start_date__range": ("2019-01-01", "2023-12-31")}),
    ],
)
def test_inspections_match_the_database(client, country, query, expected):
    rows = read_csv(client.get(f"/export/inspections.csv{query}"))
    assert ids(rows, "inspection_id") == sorted(Inspection.objects.published().filter(**expected).values_list("pk", flat=True))
    assert country["draft"].pk not in ids(rows, "inspection_id")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?grade=outstanding", {"grade": "outstanding"}),
        ("?area=overall_effectiveness&region=E12000007", {"area": "overall_effectiveness", "inspection__council__region__code": "E12000007"}),
        ("?framework=ilacs&la_type=London+Borough", {"framework": "ilacs", "inspection__council__la_type": "London Borough"}),
        ("?council=bolton", {"inspection__council__slug": "bolton"}),
    ],
)
def test_judgements_match_the_database(client, country, query, expected):
    rows = read_csv(client.get(f"/export/judgements.csv{query}"))
    expected_rows = Judgement.objects.published().filter(**expected)
    assert sorted((int(r["inspection_id"]), r["area"]) for r in rows) == sorted(expected_rows.values_list("inspection_id", "area"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?kind=strength", {"kind": "strength"}),
        ("?council=tower-hamlets&start_date_after=2024-01-01", {"inspection__council__slug": "tower-hamlets", "inspection__start_date__gte": "2024-01-01"}),
        ("?q=caseloads", {"text__icontains": "caseloads"}),
        ("?event_type=short_inspection&region=E12000007", {"inspection__event_type": "short_inspection", "inspection__council__region__code": "E12000007"}),
    ],
)
def test_findings_match_the_database(client, country, query, expected):
    rows = read_csv(client.get(f"/export/findings.csv{query}"))
    assert ids(rows, "finding_id") == sorted(Finding.objects.published().filter(**expected).values_list("pk", flat=True))
    assert "A draft finding nobody may see yet." not in {r["text"] for r in rows}


def test_councils_filter_by_region_and_type(client, country):
    rows = read_csv(client.get("/export/councils.csv?region=E12000007&la_type=London+Borough"))
    assert sorted(r["council_slug"] for r in rows) == ["camden", "tower-hamlets"]


def test_key_figures_filter_by_council_and_date(client, country):
    rows = read_csv(client.get("/export/key_figures.csv?start_date_after=2024-01-01"))
    assert sorted((r["council_slug"], r["metric"]) for r in rows) == [
        ("bolton", "social_worker_turnover_rate"),
        ("tower-hamlets", "children_looked_after"),
    ]
