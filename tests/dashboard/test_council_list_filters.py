"""The council list and CouncilFilterSet: region, type, latest grade, change, dates, name, status, sort."""

import pytest
from django.urls import reverse

import datetime

from councils.models import Council
from inspections.filtersets import CouncilFilterSet
from inspections.frameworks import Area, EventType, Framework, Grade
from tests.factories import CouncilFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db


def names(client, **params):
    response = client.get(reverse("council-list"), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [council.name for council in response.context["councils"]]


def test_lists_current_councils_by_name_with_current_grades_and_change(client, history):
    response = client.get(reverse("council-list"))
    assert [c.name for c in response.context["councils"]] == ["Camden", "Hackney", "Manchester", "Tower Hamlets"]
    tower = next(c for c in response.context["councils"] if c.slug == "tower-hamlets")
    assert str(tower.latest_inspection_date) == "2024-11-11"
    # Each row gives the grade in every area the latest full inspection judged, with its change.
    cells = {entry.line.key: entry for entry in next(row for council, row in response.context["rows"] if council == tower)}
    assert cells["overall_effectiveness"].previous_grade == "good"
    assert {key: (entry.grade, entry.change) for key, entry in cells.items()} == {
        "overall_effectiveness": ("outstanding", "improved"),
        "leaders": ("outstanding", "improved"),
        "help_and_protection": ("good", "unchanged"),
        "children_in_care": ("good", "unchanged"),
        "care_leavers": ("outstanding", "improved"),
    }
    # Former councils only when asked for.
    former = names(client, status="all")
    assert "Northamptonshire" in former and len(former) == 5
    html = client.get(reverse("council-list"), {"status": "all"}).content.decode()
    assert "Former council" in html


def test_filter_by_region_and_type(client, history):
    assert names(client, region="E12000002") == ["Manchester"]
    assert names(client, region="E12000002", status="all") == ["Manchester", "Northamptonshire"]
    assert names(client, la_type="London Borough") == ["Camden", "Hackney", "Tower Hamlets"]
    assert names(client, region="E12000007", la_type="County") == []


def test_filter_by_grade_in_any_area_of_the_latest_full_inspection(client, history):
    # Hackney's leaders and Tower Hamlets' help and protection were judged good at their latest inspections.
    assert names(client, grade="good") == ["Camden", "Hackney", "Manchester", "Tower Hamlets"]
    assert names(client, grade="good", area="overall_effectiveness") == ["Camden", "Manchester"]
    assert names(client, grade="good", area="leaders") == ["Hackney"]
    assert names(client, grade="outstanding") == ["Tower Hamlets"]
    assert names(client, grade="requires_improvement") == ["Hackney"]
    # Camden's inadequate overall grade was replaced by a good one: it is history, not a current grade.
    assert names(client, grade="inadequate") == []
    # An area alone: the councils whose latest full inspection judged it.
    assert names(client, area="care_leavers") == ["Manchester", "Tower Hamlets"]


def test_filter_by_change_since_the_previous_grade(client, history):
    assert names(client, change="improved") == ["Camden", "Tower Hamlets"]
    assert names(client, change="unchanged") == ["Tower Hamlets"]
    assert names(client, change="first") == ["Hackney", "Manchester"]
    assert names(client, change="declined") == []
    assert names(client, change="improved", area="help_and_protection") == []
    assert names(client, change="improved", area="leaders") == ["Tower Hamlets"]


def test_filter_by_last_inspection_date(client, history):
    assert names(client, start_date_after="2024-01-01") == ["Hackney", "Tower Hamlets"]
    assert names(client, start_date_before="2023-12-31") == ["Camden", "Manchester"]
    assert names(client, start_date_after="2023-01-01", start_date_before="2023-12-31") == ["Manchester"]


def test_text_search_by_name_and_status(client, history):
    assert names(client, q="ham") == ["Tower Hamlets"]
    assert names(client, q="ham", status="all") == ["Northamptonshire", "Tower Hamlets"]
    assert names(client, q="  HACK ") == ["Hackney"]
    assert names(client, status="former") == ["Northamptonshire"]
    assert "Northamptonshire" not in names(client, status="current")


def test_sorting_by_any_area(client, history):
    assert names(client, sort="-name")[0] == "Tower Hamlets"
    # Best grade first; councils with no current grade in the area come last either way.
    assert names(client, sort="overall_effectiveness", status="all") == [
        "Tower Hamlets", "Camden", "Manchester", "Hackney", "Northamptonshire"]  # fmt: skip
    worst_first = names(client, sort="-overall_effectiveness", status="all")
    assert worst_first[0] == "Hackney" and worst_first[-1] == "Northamptonshire"
    assert names(client, sort="leaders") == ["Tower Hamlets", "Hackney", "Camden", "Manchester"]
    assert names(client, sort="-leaders") == ["Hackney", "Tower Hamlets", "Camden", "Manchester"]
    assert names(client, sort="-date") == ["Tower Hamlets", "Hackney", "Manchester", "Camden"]
    assert names(client, sort="date", status="all")[-1] == "Northamptonshire"


def test_apply_and_clear_filters_in_the_page(client, history):
    html = client.get(reverse("council-list"), {"grade": "good", "region": "E12000007"}).content.decode()
    assert "3 councils match the filters" in html
    assert '<option value="good" selected>' in html
    assert 'href="/councils/">Clear filters</a>' in html


def test_filterset_is_usable_without_a_view(history):
    filterset = CouncilFilterSet({"grade": "good", "area": "overall_effectiveness", "sort": "name"})
    assert filterset.is_valid()
    assert [c.name for c in filterset.qs] == ["Camden", "Manchester"]
    # Unbound, it lists the current councils.
    assert [c.name for c in CouncilFilterSet().qs] == ["Camden", "Hackney", "Manchester", "Tower Hamlets"]
    assert list(CouncilFilterSet.base_filters) == [
        "q",
        "region",
        "la_type",
        "grade",
        "change",
        "area",
        "start_date",
        "status",
        "sort",
    ]


@pytest.fixture
def inspected_in_2026(history):
    """Wigan: inadequate overall in 2022; in June 2026, under the framework that gives no overall grade,
    leaders and help and protection good."""
    wigan = CouncilFactory(name="Wigan", slug="wigan", region=history.council.region)
    for start, event_type, judged in (
        (datetime.date(2022, 11, 21), EventType.STANDARD_INSPECTION, {
            Area.OVERALL_EFFECTIVENESS: Grade.INADEQUATE, Area.LEADERSHIP: Grade.INADEQUATE,
            Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT}),
        (datetime.date(2026, 6, 8), EventType.STANDARD_INSPECTION, {
            Area.LEADERSHIP: Grade.GOOD, Area.HELP_AND_PROTECTION: Grade.GOOD,
            Area.CHILDREN_IN_CARE: Grade.REQUIRES_IMPROVEMENT, Area.CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT}),
    ):  # fmt: skip
        inspection = InspectionFactory(council=wigan, framework=Framework.ILACS, event_type=event_type, start_date=start)
        for area, grade in judged.items():
            JudgementFactory(inspection=inspection, area=area, grade=grade)
    return wigan


def test_an_overall_grade_from_before_the_2026_framework_is_never_current(client, inspected_in_2026):
    # Its 2022 overall grade is history: no grade filter, change, sort or cell takes it as current.
    assert "Wigan" not in names(client, grade="inadequate")
    assert "Wigan" not in names(client, grade="inadequate", area="overall_effectiveness")
    assert "Wigan" in names(client, grade="good")
    assert "Wigan" in names(client, grade="good", area="leaders")
    assert "Wigan" in names(client, change="improved", area="leaders")
    assert "Wigan" not in names(client, change="improved", area="overall_effectiveness")
    assert names(client, sort="overall_effectiveness")[-1] == "Wigan"
    assert names(client, sort="-overall_effectiveness")[-1] == "Wigan"
    response = client.get(reverse("council-list"), {"q": "wigan"})
    [(council, cells)] = response.context["rows"]
    overall = cells[0]
    assert (overall.line.key, overall.grade, overall.change) == ("overall_effectiveness", None, None)
    assert overall.last_grade == Grade.INADEQUATE
    html = response.content.decode()
    row = html[html.index(">Wigan<"):html.index("</tr>", html.index(">Wigan<"))]
    assert "Not given under the 2026 framework" in row and "Last given: inadequate, Nov 2022" in row
    assert row.count("Improved") == 2  # leaders and help and protection; nothing of the overall grade


def test_invalid_filter_values_are_form_errors(history):
    filterset = CouncilFilterSet({"grade": "brilliant", "start_date_after": "2024-02-30", "sort": "size"})
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"grade", "start_date", "sort"}
