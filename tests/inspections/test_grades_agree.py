"""One truth for grades: for every council of the shipped data, the council page, the council list,
councils.csv and judgements.csv give the same latest grade, previous grade and change (grades.py)."""

import csv
import io

import pytest
from django.urls import reverse

from councils.models import Council
from inspections import grades
from inspections.frameworks import Grade
from inspections.models import Inspection
from tests.inspections.conftest import loaded_for_the_module

pytestmark = pytest.mark.django_db

WORDS = dict(Grade.choices)


def read_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def words(grade):
    return WORDS.get(grade, "")


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(django_db_blocker, "load_data", verbosity=0)


def test_pages_list_and_exports_agree_on_every_council(client, shipped):
    councils = list(Council.objects.order_by("name"))
    assert len(councils) > 150
    council_rows = {row["council_slug"]: row for row in read_csv(client, "/export/councils.csv")}
    judgement_rows = {
        (int(row["inspection_id"]), row["area"]): row for row in read_csv(client, "/export/judgements.csv")
    }
    listed = {}
    page = 1
    while True:
        response = client.get(reverse("council-list"), {"page": page, "status": ""})
        listed.update({council.slug: council for council in response.context["councils"]})
        if not response.context["page"].has_next():
            break
        page += 1
    assert set(listed) == {council.slug for council in councils}

    compared = {"lines": 0, "judgements": 0, "not_given": 0, "cross_area": 0}
    for council in councils:
        response = client.get(council.get_absolute_url())
        assert response.status_code == 200
        on_page = {entry.line.key: entry for entry in response.context["latest_grades"]}
        inspections = list(council.inspections.published().prefetch_related("judgements"))
        expected = grades.latest_grades(inspections, grades.COUNCIL_LINES)
        row = council_rows[council.slug]
        for entry in expected:
            key, step = entry.line.key, entry.last_given
            # The page shows the lines in which a grade was ever given, as grades.latest_grades reads them.
            if step is None:
                assert key not in on_page
                assert row[f"{key}_last_given"] == ""
                continue
            shown = on_page[key]
            assert (shown.status, shown.last_given.judgement.pk) == (entry.status, step.judgement.pk)
            assert shown.last_given.change == step.change
            previous = step.previous.grade if step.previous else None
            # councils.csv
            assert row[f"{key}_last_given"] == words(step.judgement.grade), (council, key)
            assert row[f"{key}_last_given_inspection_id"] == str(step.judgement.inspection_id)
            assert row[f"{key}_previous"] == words(previous), (council, key)
            assert row[f"{key}_change"] == step.change, (council, key)
            at_latest = words(step.judgement.grade) if entry.status == grades.LatestStatus.GIVEN else (
                grades.LatestStatus(entry.status).label
            )
            assert row[key] == at_latest, (council, key)
            compared["lines"] += 1
            compared["not_given"] += entry.status != grades.LatestStatus.GIVEN
        # The council list: the overall line.
        overall = next(entry for entry in expected if entry.line is grades.OVERALL)
        item = listed[council.slug]
        step = overall.last_given
        assert item.overall_effectiveness_grade == (step.judgement.grade if step else None)
        assert item.overall_effectiveness_previous_grade == (step.previous.grade if step and step.previous else None)
        assert item.overall_effectiveness_change == (step.change if step else None)
        assert item.overall_effectiveness_status == overall.status
        # judgements.csv: each judgement's previous grade in its own line, and the change.
        for judgement_step in grades.grade_steps(inspections).values():
            judgement = judgement_step.judgement
            csv_row = judgement_rows[(judgement.inspection_id, judgement.area)]
            previous = judgement_step.previous
            assert csv_row["previous_grade"] == words(previous.grade if previous else None), judgement
            assert csv_row["previous_area"] == (previous.area if previous else "")
            assert csv_row["change"] == judgement_step.change, judgement
            compared["judgements"] += 1
            compared["cross_area"] += judgement_step.compared_with_other_area
    # The walk covered what it is for: grades from earlier inspections, and areas across frameworks.
    assert compared["lines"] > 600 and compared["judgements"] > 1000
    assert compared["not_given"] > 0 and compared["cross_area"] > 0


def test_inspection_pages_agree_with_judgements_csv(client, shipped):
    rows = read_csv(client, "/export/judgements.csv?council=tower-hamlets")
    by_key = {(int(row["inspection_id"]), row["area"]): row for row in rows}
    graded = Inspection.objects.published().graded().filter(council__slug="tower-hamlets").exclude(start_date=None)
    assert graded.count() == 4
    for inspection in graded:
        response = client.get(inspection.get_absolute_url())
        shown = {judgement_row["area"]: judgement_row for judgement_row in response.context["judgements"]}
        for judgement in inspection.judgements.all():
            csv_row = by_key[(inspection.pk, judgement.area)]
            page_row = shown[judgement.area_wording]
            assert words(page_row["previous"].grade if page_row["previous"] else None) == csv_row["previous_grade"]
            assert page_row["change"] == csv_row["change"]


def test_the_2017_page_shows_the_fall_from_2012(client, shipped):
    sif = Inspection.objects.get(council__slug="tower-hamlets", start_date="2017-01-23")
    response = client.get(sif.get_absolute_url())
    html = response.content.decode()
    rows = {row["area"]: row for row in response.context["judgements"]}
    help_row = rows["Children who need help and protection"]
    assert help_row["previous"].grade == Grade.GOOD and help_row["change"] == grades.GradeChange.DECLINED
    assert help_row["previous_area"] == "Safeguarding services: overall effectiveness"
    assert rows["Children looked after and achieving permanence"]["change"] == grades.GradeChange.DECLINED
    assert "July 2012" in html and ">Declined</strong>" in html


def test_blackpool_row_says_overall_not_given_and_where_the_last_one_comes_from(client, shipped):
    row = next(r for r in read_csv(client, "/export/councils.csv") if r["council_slug"] == "blackpool")
    assert row["latest_inspection_date"] == "2026-06-08"
    assert row["overall_effectiveness"] == "Not given"
    assert row["overall_effectiveness_last_given"] == "Requires improvement to be good"
    assert row["overall_effectiveness_last_given_date"] == "2022-12-05"
    given_by = Inspection.objects.get(pk=row["overall_effectiveness_last_given_inspection_id"])
    assert given_by.council.slug == "blackpool" and given_by.start_date.isoformat() == "2022-12-05"
    page = client.get(reverse("council-list"), {"q": "Blackpool"}).content.decode()
    assert "not given at the last" in page


def test_undated_visits_stand_where_the_sources_place_them(client, shipped):
    response = client.get(reverse("council-detail", args=["tower-hamlets"]))
    timeline = [entry["inspection"] for entry in response.context["timeline"]]
    dates = [event.dates_display for event in timeline]
    assert dates[-1].startswith("11 November 2024"), "nothing undated comes after the newest event"
    assert dates[3] == "date not known (after 7 April 2017; before 26 January 2018)"
    assert dates[4] == "August 2018" and dates[5] == "date not known (after 1 August 2018)"
    latest = timeline[-1]
    page = client.get(latest.get_absolute_url())
    assert page.context["previous"].start_date.isoformat() == "2019-06-10" and page.context["next"] is None
    fifth = timeline[5]
    page = client.get(fifth.get_absolute_url())
    assert (page.context["previous"], page.context["next"]) == (timeline[4], timeline[6])
