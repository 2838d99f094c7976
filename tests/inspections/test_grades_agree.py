"""One truth for grades: for every council of the shipped data, the council page, the council list,
councils.csv, the API and judgements.csv give the same latest grade, status, previous grade and change
(grades.py), and the same months since the last full inspection (schedule.py)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from inspections import grades, schedule
from inspections.frameworks import Area, Grade
from dashboard.charts import GradeCell
from inspections.filtersets import CouncilFilterSet
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


def list_rows(client, **params):
    """{slug: (council, {line key: current grade entry})} from every page of the council list (each asked
    for once: a page asked for again comes from the page cache, without a context)."""
    rows, page = {}, 1
    while True:
        response = client.get(reverse("council-list"), {**params, "page": page})
        assert response.status_code == 200
        for council, cells in response.context["rows"]:
            rows[council.slug] = (council, {entry.line.key: entry for entry in cells})
        if not response.context["page"].has_next():
            return rows
        page += 1


def api_rows(client, url):
    rows = []
    while url:
        body = client.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return {row["slug"]: row for row in rows}


def test_pages_list_exports_and_api_agree_on_every_council(client, shipped):
    """For every council, current or former: its page, its list row, councils.csv and the API give as
    current grades exactly the grades its latest full inspection gave, each with the same status, previous
    grade and change; its page and councils.csv count the same months since that inspection's last day, of
    which the list and the API name the same inspection; and judgements.csv gives each judgement's previous
    grade and change as the pages do."""
    today = timezone.localdate()
    councils = list(Council.objects.order_by("name"))
    assert len(councils) > 150
    council_rows = {row["council_slug"]: row for row in read_csv(client, "/export/councils.csv?status=all")}
    judgement_rows = {
        (int(row["inspection_id"]), row["area"]): row for row in read_csv(client, "/export/judgements.csv")
    }
    listed = list_rows(client, status="all")
    api = api_rows(client, "/api/councils/?status=all&page_size=200")
    assert set(listed) == set(api) == set(council_rows) == {council.slug for council in councils}

    compared = {"lines": 0, "judgements": 0, "not_given": 0, "cross_area": 0, "history": 0, "months": 0, "ended_later": 0}
    for council in councils:
        response = client.get(council.get_absolute_url())
        assert response.status_code == 200
        on_page = {entry.line.key: entry for entry in response.context["latest_grades"]}
        inspections = list(council.inspections.published().prefetch_related("judgements"))
        latest = grades.latest_full_inspection(inspections)
        judged_at_latest = {j.area: j for j in latest.judgements.all()} if latest else {}
        expected = grades.latest_grades(inspections, grades.COUNCIL_LINES)
        row = council_rows[council.slug]
        list_council, cells = listed[council.slug]
        api_lines = {line["line"]: line for line in api[council.slug]["latest_grades"]}
        # Months since the last full inspection, counted from its last day (a council is being inspected
        # until then), and none for a former council: on the page and in councils.csv. The list and the API
        # give no count, but name the inspection it counts from.
        months = schedule.months_between(latest.last_day, today) if latest and council.is_current else None
        assert response.context["months_since_last_full"] == months, council
        assert row["months_since_latest_inspection"] == ("" if months is None else str(months)), council
        latest_id = latest.pk if latest else None
        assert (list_council.latest_inspection_id, api[council.slug]["latest_inspection_id"]) == (latest_id, latest_id)
        assert row["latest_inspection_id"] == str(latest_id or ""), council
        compared["months"] += months is not None
        compared["ended_later"] += months is not None and latest.last_day != latest.placed_on
        for entry in expected:
            key, current = entry.line.key, entry.current
            in_line = [judgement for area, judgement in judged_at_latest.items() if area in entry.line.areas]
            # The rule itself, read from the database: a current grade is one the latest full inspection gave.
            assert ([current.judgement] if current else []) == in_line, (council, key)
            assert entry.grade == (in_line[0].grade if in_line else None)
            previous = current.previous.grade if current and current.previous else None
            # The council page (which shows the lines with a grade given at some time).
            if entry.last_given:
                shown = on_page[key]
                assert (shown.status, shown.grade, shown.change, shown.previous_grade) == (
                    entry.status, entry.grade, entry.change, previous), (council, key)  # fmt: skip
            # The council list.
            cell = cells[key] if key in cells else None
            if cell is not None:
                assert (cell.status, cell.grade, cell.change, cell.previous_grade) == (
                    entry.status, entry.grade, entry.change, previous), (council, key)  # fmt: skip
            # councils.csv
            at_latest = words(entry.grade) if entry.grade else (
                grades.LatestStatus(entry.status).label if entry.status else "")  # fmt: skip
            assert row[key] == at_latest, (council, key)
            assert (row[f"{key}_previous"], row[f"{key}_change"]) == (words(previous), entry.change or ""), (council, key)
            assert row[f"{key}_last_given"] == words(entry.last_given and entry.last_given.judgement.grade)
            # The API.
            line = api_lines[key]
            assert (line["status"], line["grade"], line["change"], line["previous_grade"]) == (
                entry.status, entry.grade, entry.change, previous), (council, key)  # fmt: skip
            compared["lines"] += 1
            compared["not_given"] += entry.status == grades.LatestStatus.NOT_GIVEN
            compared["history"] += bool(entry.last_given) and not current
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
    # The walk covered what it is for: lines not given, grades that are history, areas across frameworks,
    # months counted for councils whose latest full inspection ended after the day it started.
    assert compared["lines"] > 1000 and compared["judgements"] > 1000
    assert compared["not_given"] > 300 and compared["history"] > 300 and compared["cross_area"] > 0
    assert compared["months"] > 140 and compared["ended_later"] > 100


# What each column of a council's grade table may hold, stated here apart from grades.LINES: the column's
# own area and the areas Ofsted's frameworks replaced it with or by (issue: a judgement stands only in
# its own area or the one the framework table names as the same line; 2009-12's looked after children
# judgement continues children in care and is never an adoption or care leavers grade; ILACS's joint
# judgement of 2018-22 spans children in care and care leavers).
COLUMN_AREAS = {
    "Overall effectiveness": {Area.OVERALL_EFFECTIVENESS},
    "Leaders": {Area.LEADERSHIP},
    "Help and protection": {Area.HELP_AND_PROTECTION, Area.SAFEGUARDING_OVERALL},
    "Children in care": {Area.CHILDREN_IN_CARE, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
                         Area.LOOKED_AFTER_AND_PERMANENCE, Area.LOOKED_AFTER_OVERALL},
    "Care leavers": {Area.CARE_LEAVERS, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS},
    "Adoption": {Area.ADOPTION},
    "Local Safeguarding Children Board": {Area.LSCB},
    "Safeguarding: capacity for improvement": {Area.SAFEGUARDING_CAPACITY},
    "Looked after children: capacity for improvement": {Area.LOOKED_AFTER_CAPACITY},
}  # fmt: skip


def test_no_page_shows_a_grade_in_an_area_its_inspection_did_not_judge(client, shipped):
    """Every cell of every council's grade table holds a judgement of that inspection in an area the
    column may hold, and every such judgement has its cell."""
    checked = 0
    for council in Council.objects.order_by("name"):
        response = client.get(council.get_absolute_url())
        table = response.context["grade_chart"].table
        for inspection_cell, *cells in table.rows:
            inspection = Inspection.objects.get(pk=int(inspection_cell.url.strip("/").split("/")[-1]))
            judged = {j.area: j.grade for j in inspection.judgements.all()}
            for label, cell in zip(table.head[1:], cells, strict=True):
                in_line = [grade for area, grade in judged.items() if area in COLUMN_AREAS[label]]
                if isinstance(cell, GradeCell):
                    assert in_line == [cell.grade], (council, inspection, label)
                    checked += 1
                else:
                    assert in_line == [], (council, inspection, label)
    assert checked > 1000


def test_the_headline_cases(client, shipped):
    """Trafford, South Tyneside and Liverpool, inspected under the 2026 framework; Tower Hamlets' 2012
    inspection; the councils that were replaced."""
    inadequate = list_rows(client, grade="inadequate")
    assert "trafford" in inadequate and "south-tyneside" not in inadequate and "liverpool" not in inadequate
    _trafford, cells = inadequate["trafford"]
    assert (cells["leaders"].grade, cells["help_and_protection"].grade) == (Grade.INADEQUATE, Grade.INADEQUATE)
    assert cells["leaders"].date.isoformat() == "2026-06-08"
    overall = cells["overall_effectiveness"]
    assert (overall.grade, overall.change, overall.status_words) == (None, None, "Not given under the 2026 framework")
    html = client.get(reverse("council-list"), {"q": "Trafford"}).content.decode()
    row = html[html.index(">Trafford<"):html.index("</tr>", html.index(">Trafford<"))]
    overall_cell = row[row.index('data-label="Overall effectiveness"'):row.index('data-label="Leaders"')]
    assert "Not given under the 2026 framework" in overall_cell and "Improved" not in overall_cell

    # Every council inspected under the 2026 framework: no current overall grade anywhere.
    current = list_rows(client)
    under_2026 = [slug for slug, (council, cells) in current.items()
                  if cells["overall_effectiveness"].status == grades.LatestStatus.NOT_GIVEN]  # fmt: skip
    assert len(under_2026) >= 11
    overall_inadequate = list_rows(client, area="overall_effectiveness", grade="inadequate")
    for slug in under_2026:
        assert slug not in overall_inadequate
    council_rows = {row["council_slug"]: row for row in read_csv(client, "/export/councils.csv")}
    api = api_rows(client, "/api/councils/?page_size=200")
    for slug in under_2026:
        assert council_rows[slug]["overall_effectiveness"] == "Not given"
        assert council_rows[slug]["overall_effectiveness_change"] == ""
        overall = next(line for line in api[slug]["latest_grades"] if line["line"] == "overall_effectiveness")
        assert (overall["grade"], overall["change"], overall["status"]) == (None, None, "not_given")

    # Tower Hamlets, July 2012: two judgements, neither an adoption nor a care leavers grade.
    response = client.get(reverse("council-detail", args=["tower-hamlets"]))
    table = response.context["grade_chart"].table
    row_2012 = next(row for row in table.rows if "2012" in row[0].text)
    by_column = dict(zip(table.head[1:], row_2012[1:], strict=True))
    assert by_column["Adoption"] == by_column["Care leavers"] == "Not judged"

    # Former councils name their successors and predict nothing; current lists leave them out.
    former = {council.slug: client.get(council.get_absolute_url()) for council in Council.objects.former()}
    for slug, successors in {
        "northamptonshire": ["North Northamptonshire", "West Northamptonshire"],
        "bournemouth": ["Bournemouth, Christchurch and Poole"],
        "poole": ["Bournemouth, Christchurch and Poole"],
        "cumbria": ["Cumberland", "Westmorland and Furness"],
    }.items():
        html = former[slug].content.decode()
        assert all(f">{name}</a>" in html for name in successors), slug
    for slug, response in former.items():
        assert response.context["next_due"].event_type is None, slug
        assert response.context["council"].successors.exists(), slug
        assert slug not in current and slug not in council_rows and slug not in api


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
    assert "Not given under the 2026 framework" in page and "Last given: requires improvement, Dec 2022" in page


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


def test_the_grade_and_change_filters_match_the_current_grades_of_every_council(client, shipped):
    """The filters (SQL) and the pages' rule (Python) agree for every grade, change and area: the councils
    the FilterSet of the list, councils.csv and the API finds are those whose latest full inspection gave it."""
    councils = list(Council.objects.current())
    latest = grades.latest_grades_of(councils, grades.COUNCIL_LINES)
    slugs = {council.pk: council.slug for council in councils}
    checked = 0
    for name, values in (("grade", Grade.values), ("change", grades.GradeChange.values)):
        for value in values:
            for line in (None, *grades.COUNCIL_LINES):
                query = {name: value, **({"area": line.key} if line else {})}
                listed = set(CouncilFilterSet(query).qs.values_list("slug", flat=True))
                expected = {
                    slugs[pk] for pk, entries in latest.items()
                    if any(getattr(entry, name) == value for entry in entries if line is None or entry.line == line)
                }  # fmt: skip
                assert listed == expected, query
                checked += bool(expected)
    assert checked > 30
