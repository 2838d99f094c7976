"""The council page: timeline, grade chart, latest grades, what is due next, context, comparison, findings."""

import datetime
import html as html_module
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from inspections.frameworks import Area, EventType, Framework, Grade
from councils.importers.councils_csv import import_local_authorities
from inspections.schedule import months_between
from inspections.models import Finding
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory
from tests.inspections.importers.conftest import REFERENCE_CSV

pytestmark = pytest.mark.django_db


def get_page(client, slug="tower-hamlets"):
    response = client.get(reverse("council-detail", args=[slug]))
    assert response.status_code == 200
    return response, response.content.decode()


def chart_json(html, chart_id):
    match = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no data for chart {chart_id}"
    return json.loads(match.group(1))


def test_timeline_lists_every_published_event_oldest_first(client, history):
    response, html = get_page(client)
    timeline = response.context["timeline"]
    assert [entry["inspection"] for entry in timeline] == [
        history.unannounced,
        history.safeguarding,
        history.sif,
        history.monitoring_4,
        history.monitoring_5,  # undated, placed after visit 4 by its number
        history.standard,
        history.focused,
        history.short,
    ]
    assert "Secret draft theme" not in html
    section = html[html.index('id="timeline"') : html.index('id="comparison"')]
    for text in ["Marcie Taylor", "Amanda Maxwell", "Front door", "date not known", "July 2012"]:
        assert text in section
    assert "10 June 2019 to 21 June 2019" in section


def test_timeline_links_to_inspection_pages_and_reports(client, history):
    _response, html = get_page(client)
    assert f'href="{history.standard.get_absolute_url()}"' in html
    assert 'href="https://files.ofsted.gov.uk/v1/file/2019-report"' in html
    assert f'id="inspection-{history.short.pk}"' in html


def test_grades_are_words_in_tags(client, history):
    _response, html = get_page(client)
    assert re.search(r'<strong class="govuk-tag app-grade govuk-tag--green[^"]*">Outstanding</strong>', html)
    assert ">Requires improvement to be good</strong>" in html
    assert ">Adequate</strong>" in html  # the 2012 looked-after judgement, not "requires improvement"


def test_latest_grades_summary_is_the_last_full_inspection(client, history):
    response, html = get_page(client)
    assert response.context["last_full"] == history.short
    lines = {entry.line.label: entry for entry in response.context["latest_grades"]}
    assert lines["Overall effectiveness"].grade == "outstanding"
    assert lines["Care leavers"].grade == "outstanding"
    assert lines["Children in care"].grade == "good"
    # The short inspection judged care leavers apart; the standard one before it jointly with children in care.
    assert lines["Care leavers"].last_given.previous.inspection == history.standard
    assert lines["Care leavers"].last_given.change == "improved"
    # 2012's judgement on looked after children services is no adoption grade: no adoption line at all.
    assert "Adoption" not in lines


def test_an_overall_grade_not_given_under_the_2026_framework_is_history(client, history):
    """From April 2026 no overall grade: the page says so, and the last one given is history, dated,
    never a current grade and never the basis of a change."""
    later = InspectionFactory(
        council=history.council, framework=Framework.ILACS, event_type=EventType.STANDARD_INSPECTION,
        start_date=datetime.date(2026, 6, 8), end_date=datetime.date(2026, 6, 19),
    )  # fmt: skip
    for area, grade in ((Area.LEADERSHIP, Grade.INADEQUATE), (Area.HELP_AND_PROTECTION, Grade.GOOD),
                        (Area.CHILDREN_IN_CARE, Grade.GOOD), (Area.CARE_LEAVERS, Grade.GOOD)):  # fmt: skip
        JudgementFactory(inspection=later, area=area, grade=grade)
    response, html = get_page(client)
    lines = {entry.line.label: entry for entry in response.context["latest_grades"]}
    overall = lines["Overall effectiveness"]
    assert overall.grade is None and overall.change is None
    assert overall.last_given.judgement.inspection == history.short
    assert lines["Leaders"].grade == Grade.INADEQUATE and lines["Leaders"].change == "declined"
    summary = html[html.index('id="latest"'):html.index('id="next-title"')]
    assert "Not given under the 2026 framework" in summary
    assert "Last given: outstanding" in summary
    # The overall row says nothing of a change: only the leaders row declined.
    overall_row = summary[summary.index("Overall effectiveness"):summary.index("Leaders")]
    assert "Previously" not in overall_row and "improved" not in overall_row


def summary_text(html):
    paragraph = html[html.index('id="summary"') : html.index("</p>", html.index('id="summary"'))]
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", paragraph.split(">", 1)[1])).split())


def test_the_page_opens_with_a_plain_summary(client, history):
    _response, html = get_page(client)
    summary = summary_text(html)
    # When, what kind of inspection, the framework said in words the first time it is named, the headline grade.
    assert summary.startswith("Ofsted last inspected Tower Hamlets' children's services in November 2024: a short inspection (one week on site) under ILACS (inspecting local authority children's services), the framework")
    assert "It judged them outstanding overall." in summary
    assert re.search(r"Next: short inspection, expected between \w+ \d{4} and \w+ \d{4}\.", summary)
    assert html.index('id="summary"') < html.index('id="latest"') < html.index('id="timeline"')


def test_each_framework_is_explained_where_the_page_first_names_it(client, history):
    _response, html = get_page(client)
    timeline = html_module.unescape(html[html.index('id="timeline"') : html.index('id="comparison"')]).lower()
    assert timeline.count("the single inspection framework, under which ofsted inspected") == 1
    assert timeline.count("inspections of safeguarding and looked after children services, 2009-12") == 1
    # ILACS is explained once, in the summary at the top, not again in the timeline.
    assert "the framework ofsted has inspected councils' children's services under since january 2018" not in timeline
    assert "(ILACS, 2018-)" not in html and " lac" not in re.sub(r"<[^>]+>", " ", timeline)


def test_the_summary_says_why_there_is_no_overall_grade_from_april_2026(client, history):
    later = InspectionFactory(
        council=history.council, framework=Framework.ILACS, event_type=EventType.STANDARD_INSPECTION,
        start_date=datetime.date(2026, 6, 8), end_date=datetime.date(2026, 6, 19),
    )  # fmt: skip
    JudgementFactory(inspection=later, area=Area.LEADERSHIP, grade=Grade.INADEQUATE)
    summary = summary_text(get_page(client)[1])
    assert "a standard inspection (two weeks on site)" in summary
    assert "since April 2026 it gives no overall grade" in summary
    assert "It gave no overall grade, as none is given under the 2026 framework; it judged the impact of leaders inadequate." in summary
    assert "outstanding overall" not in summary


def test_what_ofsted_said_needs_to_improve_leads_with_priority_actions(client, history):
    latest = InspectionFactory(
        council=history.council, framework=Framework.ILACS, event_type=EventType.SHORT_INSPECTION,
        start_date=datetime.date(2025, 10, 6), end_date=datetime.date(2025, 10, 10),
    )  # fmt: skip
    for order, text in enumerate(["Plans for children in need.", "Supervision.", "Return interviews.", "Case audits.",
                                  "Placement sufficiency.", "Care leavers' housing.", "Advocacy."], start=1):  # fmt: skip
        FindingFactory(inspection=latest, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, text=text, order=order)
    FindingFactory(inspection=latest, kind=Finding.Kind.AREA_FOR_PRIORITY_ACTION, text="Act on referrals.", order=1)
    FindingFactory(inspection=history.short, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, text="An older point.", order=9)
    _response, html = get_page(client)
    section = html[html.index('id="asked"') : html.index('id="next-title"')]
    points = re.findall(r"<li>(.*?)</li>", section)
    assert points[0] == "<strong>Priority:</strong> Act on referrals."
    assert points[1:] == ["Plans for children in need.", "Supervision.", "Return interviews.", "Case audits.", "Placement sufficiency."]
    assert "the first 6 of 8 points" in section and "All 8 points" in section
    assert "An older point." not in section  # only the latest full inspection's report


def test_months_since_last_full_inspection_and_next_due(client, history):
    response, html = get_page(client)
    expected = months_between(history.short.end_date, timezone.localdate())
    assert response.context["months_since_last_full"] == expected
    next_due = response.context["next_due"]
    assert next_due.label == "Short inspection"
    assert next_due.window_start.year == 2027 and next_due.window_end.year == 2028
    assert "Short inspection" in html and "Months since the last full inspection" in html


def test_grade_chart_has_one_line_per_area_with_gaps_and_framework_marks(client, history):
    _response, html = get_page(client)
    figure = chart_json(html, "grade-history")
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Overall effectiveness", "Leaders", "Help and protection", "Children in care", "Care leavers"]
    overall = next(t for t in figure["data"] if t["name"] == "Overall effectiveness")
    assert overall["connectgaps"] is False
    assert overall["y"][0] is None  # not judged in 2012: a gap
    assert [round(y) for y in overall["y"][1:]] == [4, 2, 1]
    in_care = next(t for t in figure["data"] if t["name"] == "Children in care")
    assert in_care["marker"]["symbol"][0].endswith("-open")  # 2012 looked after children: adequate, drawn hollow
    assert "Looked after children services" in in_care["text"][0]  # the area as judged then
    help_line = next(t for t in figure["data"] if t["name"] == "Help and protection")
    assert [round(y) for y in help_line["y"]] == [2, 4, 2, 2]  # 2009-12 safeguarding continues as help and protection
    labels = [a["text"] for a in figure["layout"]["annotations"]]
    assert labels == ["2009-12", "SIF", "ILACS"]
    assert len(figure["layout"]["shapes"]) == 2


def test_charts_share_a_time_axis_and_have_title_summary_and_table(client, history):
    response, html = get_page(client)
    grades = chart_json(html, "grade-history")
    context = chart_json(html, "context-indicators")
    assert grades["layout"]["xaxis"]["range"] == context["layout"]["xaxis"]["range"]
    assert grades["layout"]["margin"]["l"] == context["layout"]["margin"]["l"]
    for chart_id in ("grade-history", "context-indicators"):
        assert f'id="{chart_id}-title"' in html
        assert f'id="{chart_id}-summary"' in html
        assert f'id="{chart_id}-caption"' in html
    assert "<script>" not in html  # no inline scripts, only json_script data and files


def test_context_indicators_mark_inspections_and_leave_withheld_values_out(client, history):
    response, html = get_page(client)
    chart = response.context["context_chart"]
    names = [t["name"] for t in chart.figure["data"]]
    assert names == [
        "Social worker turnover rate",
        "Agency social worker rate",
        "Average caseload per social worker",
        "Children looked after per 10,000",
    ]
    looked_after = chart.figure["data"][3]
    assert looked_after["y"] == [51.0, None]
    assert any("Withheld (c)" in str(cell) for row in chart.table.rows for cell in row)
    marked = {shape["x0"] for shape in chart.figure["layout"]["shapes"]}
    assert "2019-06-10" in marked and "2021-03-02" in marked


def test_comparison_with_region_and_neighbours(client, history):
    response, html = get_page(client)
    neighbours = [row["council"].name for row in response.context["neighbours"]]
    assert neighbours == ["Tower Hamlets", "Manchester", "Hackney"]
    region = [row["council"].name for row in response.context["region_rows"]]
    assert region == ["Camden", "Hackney", "Tower Hamlets"]
    hackney = next(r for r in response.context["region_rows"] if r["council"].slug == "hackney")
    assert [cell.grade for cell in hackney["grades"][:2]] == ["requires_improvement", "good"]
    assert "Northamptonshire" not in region  # former councils elsewhere are not compared
    assert "Councils in London" in html


def test_findings_grouped_by_kind_for_each_inspection(client, history):
    response, html = get_page(client)
    by_inspection = {entry["inspection"]: entry["findings"] for entry in response.context["with_findings"]}
    assert [kind for kind, _ in by_inspection[history.unannounced]] == ["Strengths", "Areas for development"]
    sif = dict(by_inspection[history.sif])
    assert [f.order for f in sif["Recommendations"]] == [1, 2]
    assert "Draft finding" not in html


def test_council_with_no_inspections(client, db):
    from tests.factories import CouncilFactory

    council = CouncilFactory(region=None)
    response, html = get_page(client, council.slug)
    assert "No inspections or visits" in html
    assert response.context["next_due"].event_type is None
    assert response.context["grade_chart"].is_empty


def test_former_council_names_its_successors(client, history):
    history.former.successors.add(history.council)
    _response, html = get_page(client, "northamptonshire")
    assert "no longer exists" in html
    assert f'href="{history.council.get_absolute_url()}"' in html
    _response, html = get_page(client)
    assert "It took over the children's services of" in html and "Northamptonshire" in html  # no day recorded


@pytest.fixture
def reference_councils(db):
    """Every council of the shipped reference file, with its former councils and their successors."""
    import_local_authorities(REFERENCE_CSV)


REPLACED = {
    "northamptonshire": ("1 April 2021", ["north-northamptonshire", "west-northamptonshire"], "uksi/2020/156"),
    "bournemouth": ("1 April 2019", ["bournemouth-christchurch-and-poole"], "uksi/2018/648"),
    "poole": ("1 April 2019", ["bournemouth-christchurch-and-poole"], "uksi/2018/648"),
    "cumbria": ("1 April 2023", ["cumberland", "westmorland-and-furness"], "uksi/2022/331"),
}


def replaced_notice(html):
    start = html.index('id="replaced"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize("slug", sorted(REPLACED))
def test_former_council_page_names_its_successors_the_day_and_the_order(client, reference_councils, slug):
    day, successors, order = REPLACED[slug]
    former = Council.objects.get(slug=slug)
    # Judged inadequate: were it still in existence, a monitoring visit would be due.
    inspection = InspectionFactory(council=former, start_date=datetime.date(2018, 6, 4))
    JudgementFactory(inspection=inspection, grade=Grade.INADEQUATE)
    response, html = get_page(client, slug)
    notice = replaced_notice(html)
    assert f"On {day} its children's services passed to" in notice
    for successor in Council.objects.filter(slug__in=successors):
        assert f'<a class="govuk-link" href="{successor.get_absolute_url()}">{successor.name}</a>' in notice
    assert f'href="https://www.legislation.gov.uk/{order}/contents/made"' in notice
    assert "Source: legislation.gov.uk, " in notice
    assert response.context["next_due"].event_type is None and response.context["months_since_last_full"] is None
    assert "Nothing: the council no longer exists" in html
    assert "Expected between" not in html and "later than usual" not in html


@pytest.mark.parametrize(
    "slug, day, predecessors",
    [
        ("north-northamptonshire", "1 April 2021", ["northamptonshire"]),
        ("westmorland-and-furness", "1 April 2023", ["cumbria"]),
        ("bournemouth-christchurch-and-poole", "1 April 2019", ["bournemouth", "poole"]),
    ],
)
def test_successor_page_links_its_predecessors_history(client, reference_councils, slug, day, predecessors):
    _response, html = get_page(client, slug)
    assert f"On {day} it took over the children's services of" in html
    for predecessor in Council.objects.filter(slug__in=predecessors):
        assert f'<a class="govuk-link" href="{predecessor.get_absolute_url()}">{predecessor.name}</a>' in html
    assert ("see its inspections" if len(predecessors) == 1 else "see their inspections") in html
    assert 'href="https://www.legislation.gov.uk/uksi/' in html
    assert 'id="replaced"' not in html
