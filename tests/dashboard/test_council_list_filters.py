"""The council list and CouncilFilterSet: region, type, latest grade, change, dates, name, status, sort."""

import pytest
from django.urls import reverse

from inspections.filtersets import CouncilFilterSet
from councils.models import Council

pytestmark = pytest.mark.django_db


def names(client, **params):
    response = client.get(reverse("council-list"), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [council.name for council in response.context["councils"]]


def test_lists_all_councils_by_name_with_latest_grade_and_change(client, history):
    response = client.get(reverse("council-list"))
    assert [c.name for c in response.context["councils"]] == [
        "Camden",
        "Hackney",
        "Manchester",
        "Northamptonshire",
        "Tower Hamlets",
    ]
    html = response.content.decode()
    assert "Former council" in html
    tower = next(c for c in response.context["councils"] if c.slug == "tower-hamlets")
    assert tower.overall_effectiveness_grade == "outstanding"
    assert tower.overall_effectiveness_previous_grade == "good"
    assert tower.overall_effectiveness_change == "improved"
    assert str(tower.latest_inspection_date) == "2024-11-11"


def test_filter_by_region_and_type(client, history):
    assert names(client, region="E12000002") == ["Manchester", "Northamptonshire"]
    assert names(client, la_type="London Borough") == ["Camden", "Hackney", "Tower Hamlets"]
    assert names(client, region="E12000007", la_type="County") == []


def test_filter_by_latest_overall_grade(client, history):
    assert names(client, grade="good") == ["Camden", "Manchester"]
    assert names(client, grade="outstanding") == ["Tower Hamlets"]
    assert names(client, grade="requires_improvement") == ["Hackney"]


def test_filter_by_change_since_previous_inspection(client, history):
    assert names(client, change="improved") == ["Camden", "Tower Hamlets"]
    assert names(client, change="declined") == []
    assert names(client, change="unchanged") == []


def test_filter_by_last_inspection_date(client, history):
    assert names(client, start_date_after="2024-01-01") == ["Hackney", "Tower Hamlets"]
    assert names(client, start_date_before="2023-12-31") == ["Camden", "Manchester"]
    assert names(client, start_date_after="2023-01-01", start_date_before="2023-12-31") == ["Manchester"]


def test_text_search_by_name_and_status(client, history):
    assert names(client, q="ham") == ["Northamptonshire", "Tower Hamlets"]
    assert names(client, q="  HACK ") == ["Hackney"]
    assert names(client, status="former") == ["Northamptonshire"]
    assert "Northamptonshire" not in names(client, status="current")


def test_sorting(client, history):
    assert names(client, sort="-name")[0] == "Tower Hamlets"
    # Best grade first; councils never inspected come last either way.
    assert names(client, sort="grade") == ["Tower Hamlets", "Camden", "Manchester", "Hackney", "Northamptonshire"]
    worst_first = names(client, sort="-grade")
    assert worst_first[0] == "Hackney" and worst_first[-1] == "Northamptonshire"
    assert names(client, sort="-date") == ["Tower Hamlets", "Hackney", "Manchester", "Camden", "Northamptonshire"]
    assert names(client, sort="date")[-1] == "Northamptonshire"


def test_apply_and_clear_filters_in_the_page(client, history):
    html = client.get(reverse("council-list"), {"grade": "good", "region": "E12000007"}).content.decode()
    assert "1 council matches the filters" in html
    assert '<option value="good" selected>' in html
    assert 'href="/councils/">Clear filters</a>' in html


def test_filterset_is_usable_without_a_view(history):
    filterset = CouncilFilterSet({"grade": "good", "sort": "name"}, queryset=Council.objects.all())
    assert filterset.is_valid()
    assert [c.name for c in filterset.qs] == ["Camden", "Manchester"]
    assert list(CouncilFilterSet.base_filters) == [
        "q",
        "region",
        "la_type",
        "grade",
        "change",
        "start_date",
        "status",
        "sort",
    ]


def test_invalid_filter_values_are_form_errors(history):
    filterset = CouncilFilterSet({"grade": "brilliant", "start_date_after": "2024-02-30", "sort": "size"})
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"grade", "start_date", "sort"}
