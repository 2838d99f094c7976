"""Reading the layouts and wordings found across Ofsted's 2013-2026 reports, on PDFs built in the test.

Each case is a wording a real report in the national archive prints (named in the test); the PDFs here are
written by hand so the tests need no copy of the archive.
"""

import datetime
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.importers import report_pdf
from inspections.importers.report_pdf import AREA_FOR_PRIORITY_ACTION, WHAT_NEEDS_TO_IMPROVE, ReportError, parse_report

from .test_report_pdf_parsing import TABLE_2024, ilacs_pdf, pdf_pages, refusal

O, G, RI, I = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
OVERALL, HELP, LEADERS = Area.OVERALL_EFFECTIVENESS, Area.HELP_AND_PROTECTION, Area.LEADERSHIP
LAC, ADOPTION, LEAVERS = Area.LOOKED_AFTER_AND_PERMANENCE, Area.ADOPTION, Area.CARE_LEAVERS


def day(text):
    return datetime.datetime.strptime(text, "%d %B %Y").date()


SIF_TABLE = (
    "1. Children who need help and protection Requires improvement",
    "2. Children looked after and achieving",
    "permanence Good",
    "2.1 Adoption performance Good",
    "2.2 Experiences and progress of care leavers Requires improvement",
    "3. Leadership, management and governance Requires improvement",
)


def sif_pdf(
    overall="Children's services in Anytown require improvement to be good",
    dates="Inspection dates: 6 July 2015 - 30 July 2015",
    table=SIF_TABLE,
    later_pages=(),
    lscb="The Local Safeguarding Children Board is good",
):
    page_one = (
        "Anytown Council",
        "Inspection of services for children in need of help and",
        "protection, children looked after and care leavers",
        "and",
        "Review of the effectiveness of the Local Safeguarding Children",
        "Board",
        dates,
        "Report published: 20 October 2015",
        overall,
        "There are no widespread or serious failures.",
        "The judgements on areas of the service that contribute to overall effectiveness are:",
        *table,
    )
    recommendations = (
        "What does the local authority need to improve?",
        "Priority and immediate action",
        "1. Ensure that children missing from care are seen on their return.",
        "Areas for improvement",
        "Leadership, management and governance",
        "2. Ensure that managers oversee casework and that",
        "supervision is regular.",
        "The local authority’s strengths",
        "3. Partners work well together.",
    )
    board = (
        "The Local Safeguarding Children Board (LSCB)",
        lscb,
        "The arrangements in place to evaluate the effectiveness of what is done are good.",
        "What does the LSCB need to improve?",
        "Areas for improvement",
        "4. Ensure that the board evaluates its training.",
        "Inspection judgement about the LSCB",
        "5. The board is well led.",
    )
    team = ("The inspection team", "Lead inspector: Helen Cawston", "Deputy lead inspector: Anne Smith")
    pages = (page_one, recommendations, *later_pages, board, team)
    return pdf_pages(*([part for line in page for part in line.split("\n")] for page in pages))


def test_sif_report_of_2014_15_is_read_whole():
    report = parse_report(sif_pdf())
    assert report.framework == Framework.SIF
    assert report.council_name == "Anytown Council"
    assert report.lead_inspector == "Helen Cawston"  # from the inspection team, at the end
    assert dict(report.judgements) == {
        OVERALL: RI, HELP: RI, LAC: G, ADOPTION: G, LEAVERS: RI, LEADERS: RI, Area.LSCB: G
    }
    assert [(point.kind, point.area, point.page) for point in report.findings] == [
        (AREA_FOR_PRIORITY_ACTION, "", 2),
        (WHAT_NEEDS_TO_IMPROVE, LEADERS, 2),
        (WHAT_NEEDS_TO_IMPROVE, Area.LSCB, 3),
    ]
    assert report.findings[1].text == "Ensure that managers oversee casework and that supervision is regular."
    assert [point.text for point in report.what_needs_to_improve][-1] == "Ensure that the board evaluates its training."


@pytest.mark.parametrize(
    "printed, grade",
    [
        ("Children's services in Anytown require improvement to be good", RI),  # Bedford 2018
        ("Children's services in Anytown requires improvement to be good", RI),  # Rutland 2016
        ("Children's services in Anytown require improvement.", RI),  # Luton 2016
        ("The overall judgement is requires improvement", RI),  # Barnsley 2014
        ("The overall judgement is that children's services require improvement", RI),  # Isle of Wight 2014
        ("The overall judgement is that children's service requires improvement.", RI),  # Newham 2014
        ("The overall judgement is that children's services are inadequate", I),  # Lambeth 2015
        ("The overall judgement is good.", G),  # Derbyshire 2014
        ("Children's services in the London Borough of Anytown are outstanding", O),
    ],
)
def test_sif_overall_judgement_however_worded(printed, grade):
    assert parse_report(sif_pdf(overall=printed)).grade_for(OVERALL) == grade


@pytest.mark.parametrize(
    "printed, grade",
    [
        (("The Local Safeguarding Children Board is inadequate",), I),
        (("The effectiveness of the LSCB is good.",), G),
        (("The Anytown Safeguarding Children Board (LSCB) requires improvement",), RI),
        (("The effectiveness of the Local Safeguarding Children Board (LSCB) is", "inadequate."), I),  # wrapped
        (("The Local Safeguarding Children is outstanding",), O),  # Somerset 2015, sic
        (("The Local Safeguarding Children Board is Good",), G),  # Cheshire West and Chester 2016
    ],
)
def test_lscb_judgement_however_worded(printed, grade):
    report = parse_report(sif_pdf(lscb="\n".join(printed)))
    assert report.grade_for(Area.LSCB) == grade


def test_areas_not_judged_are_listed_not_graded():
    # Isles of Scilly 2016: no children looked after, so three areas were not judged.
    table = (
        "1. Children who need help and protection Good",
        "2. Children looked after and achieving",
        "permanence Not Judged",
        "2.1 Adoption performance Not Judged",
        "2.2 Experiences and progress of care leavers Not judged",
        "3. Leadership, management and governance Good",
    )
    report = parse_report(sif_pdf(overall="Children's services in the Isles of Scilly are good", table=table))
    assert dict(report.judgements) == {OVERALL: G, HELP: G, LEADERS: G, Area.LSCB: G}
    assert set(report.not_judged) == {LAC, ADOPTION, LEAVERS}
    assert any("Not judged" in warning for warning in report.warnings)


def test_grade_wrapped_around_a_two_line_label():
    table = (
        "Judgement Grade",
        "The impact of leaders on social work Requires improvement to",
        "practice with children and families be good",
        "The experiences and progress of",
        "children who need help and protection Good",
        "The experiences and progress of",
        "children in care Outstanding",
        "The experiences and progress of care",
        "leavers Inadequate",
        "Overall effectiveness Requires improvement to be good",
    )
    report = parse_report(ilacs_pdf(table=table))
    assert dict(report.judgements) == {LEADERS: RI, HELP: G, Area.CHILDREN_IN_CARE: O, LEAVERS: I, OVERALL: RI}


@pytest.mark.parametrize(
    "printed, start, end",
    [
        ("Inspection date: 12/09/2016 to 06/10/2016", "12 September 2016", "6 October 2016"),  # Redbridge 2016
        ("Inspection date: 1/06/2015 – 25/06/2015", "1 June 2015", "25 June 2015"),  # Stoke-on-Trent 2015
        ("Inspection date: 28 July 2016", "28 July 2016", "28 July 2016"),  # City of London 2016
    ],
)
def test_dates_as_numbers_and_a_single_date(printed, start, end):
    report = parse_report(sif_pdf(dates=printed))
    assert (report.start_date, report.end_date) == (day(start), day(end))


def test_single_date_is_warned_about():
    report = parse_report(sif_pdf(dates="Inspection date: 28 July 2016"))
    assert any("one inspection date" in warning for warning in report.warnings)


def test_split_visit_months_apart_is_one_inspection_typed_by_its_first_visit():
    # South Tyneside 2023: a short first week, paused, and two more days in February.
    report = parse_report(
        ilacs_pdf(dates="Inspection dates: 5 to 9 December 2022 and 14 to 15 February 2023", table=TABLE_2024)
    )
    assert (report.start_date, report.end_date) == (day("5 December 2022"), day("15 February 2023"))
    assert report.visits == (
        (day("5 December 2022"), day("9 December 2022")),
        (day("14 February 2023"), day("15 February 2023")),
    )
    assert report.event_type == EventType.SHORT_INSPECTION
    assert any("split" in warning for warning in report.warnings)


def test_split_standard_visit_stays_standard():
    # Devon 2025: a fortnight in autumn, then four days in January.
    dates = "Inspection dates: 30 September to 11 October 2024 and 13 to 16 January 2025"
    report = parse_report(ilacs_pdf(dates=dates, table=TABLE_2024))
    assert (report.start_date, report.end_date) == (day("30 September 2024"), day("16 January 2025"))
    assert report.event_type == EventType.STANDARD_INSPECTION


def test_dates_split_across_years_and_lines():
    # Sheffield 2014.
    report = parse_report(sif_pdf(dates="Inspection dates: 19 November-11 December 2013 and 28 – 30\nJanuary 2014"))
    assert (report.start_date, report.end_date) == (day("19 November 2013"), day("30 January 2014"))


def ilacs_title_pdf(*title):
    return pdf_pages(
        (
            *title,
            "Inspection dates: 12 to 23 January 2026",
            "Lead inspector: Catherine Heron, His Majesty’s Inspector",
            *TABLE_2024,
        )
    )


@pytest.mark.parametrize(
    "title, council",
    [
        (("Inspection of Bradford Children and", "Families Trust"), "Bradford"),
        (("Halton Borough Council", "Inspection of local authority children’s services"), "Halton Borough Council"),
        (("Tameside metropolitan borough", "Inspection of local authority children’s social care", "services"),
         "Tameside metropolitan borough"),
        (("Medway Children’s Services", "Inspection of children’s social care services"), "Medway"),
        (("Inspection of Derby City local authority", "children’s services"), "Derby City"),
        (("Inspection of Leeds City local authority", "children’s services"), "Leeds City"),
    ],
)
def test_council_named_as_printed_never_as_local_authority(title, council):
    report = parse_report(ilacs_title_pdf(*title))
    assert report.framework == Framework.ILACS
    assert report.council_name == council


def test_sif_reinspection_is_read():
    report = parse_report(
        pdf_pages(
            (
                "Norfolk Council",
                "Re-inspection of services for children in need of help and",
                "protection, children looked after and care leavers",
                "Inspection date: 13 November 2017 to 24 November 2017",
                "Children's services in Norfolk require improvement to be good",
                *SIF_TABLE,
                "Lead inspector: Jane Smith",
            )
        )
    )
    assert report.framework == Framework.SIF
    assert report.grade_for(OVERALL) == RI
    assert report.grade_for(Area.LSCB) is None


def test_lead_inspector_is_never_read_from_prose():
    prose = (
        "Lead inspector feedback was attended by both the director of children’s services and the",
        "chief executive.",
    )
    report = parse_report(ilacs_pdf(inspector=prose[0], points=(*prose, "What needs to improve?", "• Plans.")))
    assert report.lead_inspector == ""
    assert "The report names no lead inspector." in report.warnings


def test_what_needs_to_improve_in_any_case_and_page():
    points = ("What Needs to Improve", "• The quality of plans.", "• Oversight of private fostering.")
    report = parse_report(ilacs_pdf(points=points))
    assert [(point.text, point.kind, point.page) for point in report.findings] == [
        ("The quality of plans.", WHAT_NEEDS_TO_IMPROVE, 1),
        ("Oversight of private fostering.", WHAT_NEEDS_TO_IMPROVE, 1),
    ]


@pytest.mark.parametrize(
    "first_lines, expected",
    [
        (("Inspection of looked after children", "services", "Norfolk County Council"), "looked after children"),
        (
            (
                "Surrey Safeguarding Children Board",
                "Review of the effectiveness of the Local Safeguarding Children",
                "Board",
                "Inspection date: 15 June 2015 – 17 June 2015",
            ),
            "Local Safeguarding Children Board on its own",
        ),
    ],
)
def test_documents_that_are_not_inspection_reports_are_refused(first_lines, expected):
    message = refusal(pdf_pages(first_lines))
    assert expected in message


def test_refusal_is_a_report_error():
    with pytest.raises(ReportError):
        parse_report(pdf_pages(("Inspection of looked after children services",)))


# Reading only the pages the reader uses ---------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "reports"


@pytest.fixture
def counted_pages(monkeypatch):
    """How many pages' text each parse extracts."""
    calls = []
    extract = PageObject.extract_text

    def counting(page, *args, **kwargs):
        calls.append(page)
        return extract(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counting)
    return calls


@pytest.mark.parametrize(
    "name, pages, at_most",
    [
        ("sample/bury_published-2021-12-17.pdf", 11, 4),  # ILACS: to just past "What needs to improve"
        ("sample/kent_published-2017-06-13.pdf", 35, 20),  # SIF: not the findings sections the contents place
        ("tower-hamlets/tower-hamlets_published-2017-04-07.pdf", 37, 20),
    ],
)
def test_only_the_pages_used_are_read_and_the_reading_is_the_same(monkeypatch, counted_pages, name, pages, at_most):
    selective = parse_report(SAMPLES / name)
    assert len(PdfReader(SAMPLES / name).pages) == pages
    assert len(counted_pages) <= at_most
    monkeypatch.setattr(report_pdf, "pages_to_read", lambda count, text: range(count))
    assert parse_report(SAMPLES / name) == selective


def test_contents_that_do_not_match_the_pages_mean_every_page_is_read(monkeypatch, counted_pages):
    # A section the contents place on a page that does not carry its heading: nothing is skipped.
    contents = ("Contents", "Recommendations 2", "Inspection findings 8", "Information about this inspection 15")
    pages = [sif_page for sif_page in sif_pages_for_contents(contents)]
    report = parse_report(pdf_pages(*pages))
    assert report.lead_inspector == "Helen Cawston"
    assert len(counted_pages) == len(pages)


def sif_pages_for_contents(contents):
    first = (
        "Anytown Council",
        "Inspection of services for children in need of help and",
        "protection, children looked after and care leavers",
        "Inspection dates: 6 July 2015 - 30 July 2015",
        "Children's services in Anytown are good",
        *SIF_TABLE,
        *contents,
    )
    prose = [("Prose about help and protection.",) for _ in range(12)]  # no "Inspection findings" heading
    return [first, ("Recommendations", "1. Ensure plans are clear."), *prose, ("Lead inspector: Helen Cawston",)]


def test_board_points_end_where_the_next_section_starts():
    # Birmingham 2014: "Priority actions", then "Areas for improvement", then the review's findings.
    board = (
        "Section 2: The effectiveness of the Local Safeguarding",
        "Children Board",
        "The effectiveness of the LSCB is inadequate",
        "Priority actions",
        "120. The board to ensure that each partner agency develops a plan.",
        "Areas for improvement",
        "121. Improve the attendance of partners at sub-groups.",
        "Key strengths and weaknesses of the LSCB",
        "122. Effective partnership working is not yet developed.",
        "Lead inspector: Marie McGuinness",
    )
    council = ("Areas for improvement", "1. Ensure that plans are clear.", "Summary of findings")
    report = parse_report(pdf_pages(sif_pdf_first_page(), council, board))
    assert report.grade_for(Area.LSCB) == I
    assert [(point.kind, point.area, point.text) for point in report.findings] == [
        (WHAT_NEEDS_TO_IMPROVE, "", "Ensure that plans are clear."),
        (AREA_FOR_PRIORITY_ACTION, Area.LSCB, "The board to ensure that each partner agency develops a plan."),
        (WHAT_NEEDS_TO_IMPROVE, Area.LSCB, "Improve the attendance of partners at sub-groups."),
    ]


def sif_pdf_first_page():
    return (
        "Birmingham City Council",
        "Inspection of services for children in need of help and",
        "protection, children looked after and care leavers",
        "Inspection dates: 18 March 2014 - 10 April 2014",
        "The overall judgement is inadequate",
        *SIF_TABLE,
    )
