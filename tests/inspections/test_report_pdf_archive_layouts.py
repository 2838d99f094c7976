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
from inspections.importers.report_pdf import (
    AREA_FOR_PRIORITY_ACTION,
    STRENGTH,
    WHAT_NEEDS_TO_IMPROVE,
    ReportError,
    parse_report,
)

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
        (STRENGTH, "", 2),
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


# Kent, Medway, Norfolk and Sandwell 2013: an inspection of looked after children's services alone, graded on the
# 2009-12 scale in its "Record of main findings", its areas for improvement bulleted under timescales.
LOOKED_AFTER_PAGES = (
    (
        "Inspection of looked after children",
        "services",
        "Kent County Council",
        "Inspection dates: 15 – 19 July 2013",
        "Reporting inspector Helen Cawston HMI",
        "Age group: All",
        "Published: 23 August 2013",
    ),
    (
        "Contents",
        "About this inspection 2",
        "Overall effectiveness of services for looked after children and",
        "young people 4",
        "Outcomes for looked after children and young people 8",
        "Record of main findings 19",
    ),
    (
        "Overall effectiveness of services for looked",
        "after children and young people",
        "Grade 3 (Adequate)",
        "Areas for improvement",
        "22. In order to improve the quality of provision and services for looked after",
        "children and young people in Kent, the local authority should take the",
        "following action.",
        "Immediately:",
        "\u2022 improve the quality of supervision and management oversight in",
        "casework",
        "\u2022 ensure that the voice of the child contributes effectively to care",
        "planning and service delivery.",
        "Within three months:",
        "\u2022 improve the timeliness of care proceedings.",
        "Outcomes for looked after children and young",
        "people",
        "Grade 3 (Adequate)",
        "23. Outcomes for looked after children and young people are adequate.",
    ),
    (
        "Record of main findings",
        "Services for looked after children",
        "Overall effectiveness Adequate",
        "Capacity to improve Good",
        "Outcomes for looked after children and",
        "young people",
        "Adequate",
    ),
)


def test_inspection_of_looked_after_childrens_services_alone_is_its_own_event():
    report = parse_report(pdf_pages(*LOOKED_AFTER_PAGES))
    assert (report.framework, report.event_type) == (
        Framework.LOOKED_AFTER_CHILDREN,
        EventType.LOOKED_AFTER_INSPECTION,
    )
    assert report.council_name == "Kent County Council"
    assert (report.start_date, report.end_date, report.published_date) == (
        day("15 July 2013"),
        day("19 July 2013"),
        day("23 August 2013"),
    )
    assert report.lead_inspector == "Helen Cawston"
    # Only the two judgements the 2009-12 frameworks also gave, on their scale ("adequate").
    assert report.judgements == ((Area.LOOKED_AFTER_OVERALL, Grade.ADEQUATE), (Area.LOOKED_AFTER_CAPACITY, G))
    assert [(point.text, point.kind, point.page) for point in report.findings] == [
        ("improve the quality of supervision and management oversight in casework", WHAT_NEEDS_TO_IMPROVE, 3),
        ("ensure that the voice of the child contributes effectively to care planning and service delivery.", WHAT_NEEDS_TO_IMPROVE, 3),
        ("improve the timeliness of care proceedings.", WHAT_NEEDS_TO_IMPROVE, 3),
    ]  # fmt: skip


def test_inspection_of_looked_after_childrens_services_without_its_grade_is_refused():
    pages = (*LOOKED_AFTER_PAGES[:3], ("Record of main findings", "Services for looked after children"))
    assert "record of main findings" in refusal(pdf_pages(*pages))


# Surrey 2015: the board reviewed on its own, some months after the council's inspection.
LSCB_REVIEW_PAGE = (
    "Surrey Safeguarding Children Board",
    "Review of the effectiveness of the Local Safeguarding Children",
    "Board",
    "Inspection date: 15 June 2015 – 17 June 2015",
    "Report published: 3 August 2015",
    "The Local Safeguarding Children Board requires improvement",
    "The arrangements in place to evaluate the effectiveness of what is done by the",
    "authority and board partners to safeguard and promote the welfare of children",
    "require improvement.",
    "Recommendations",
    "\u2022 Update the early help document as a matter of urgency (paragraph 4).",
    "\u2022 Put in place a process for assessing the impact of training on improving the",
    "quality of practice (paragraph 15).",
    "Inspection findings",
    "1. The independent chair has been central to the developing authority of the board.",
    "Lead inspector: Dominic Stevens, HMI",
)


def test_review_of_a_safeguarding_board_alone_is_its_own_event():
    report = parse_report(pdf_pages(LSCB_REVIEW_PAGE))
    assert (report.framework, report.event_type) == (Framework.SIF, EventType.LSCB_REVIEW)
    assert report.council_name == "Surrey"
    assert (report.start_date, report.end_date, report.published_date) == (
        day("15 June 2015"),
        day("17 June 2015"),
        day("3 August 2015"),
    )
    assert report.lead_inspector == "Dominic Stevens"
    assert report.judgements == ((Area.LSCB, RI),)
    assert [(point.text, point.area) for point in report.findings] == [
        ("Update the early help document as a matter of urgency (paragraph 4).", Area.LSCB),
        ("Put in place a process for assessing the impact of training on improving the quality of practice "
         "(paragraph 15).", Area.LSCB),
    ]  # fmt: skip


def test_review_of_a_safeguarding_board_without_its_judgement_is_refused():
    page = tuple(line for line in LSCB_REVIEW_PAGE if "requires improvement" not in line)
    assert "Local Safeguarding Children Board cannot be read" in refusal(pdf_pages(page))


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


# Findings read whole and as what they are (SIF, 2013-18) -----------------------------------------------------------

PRIORITY, IMPROVE = AREA_FOR_PRIORITY_ACTION, WHAT_NEEDS_TO_IMPROVE


def sif_findings(*pages):
    """(kind, area, page, text) of each finding of a SIF report whose pages after the first are these."""
    report = parse_report(pdf_pages(sif_pdf_first_page(), *pages, ("Lead inspector: Jane Smith",)))
    return [(point.kind, point.area, point.page, point.text) for point in report.findings]


def test_strengths_are_kept_as_strengths_and_statements_of_none_are_no_findings():
    # Barnsley 2014: the strengths follow the points to improve, over a page break; Blackpool 2014: the board's
    # strengths; Portsmouth 2014: "No areas were identified for immediate improvement." numbered as a point.
    council = (
        "What does the local authority need to improve?",
        "Priority and immediate action",
        "The inspection did not find any areas for priority and immediate action.",
        "Areas for improvement",
        "10. Ensure that plans are clear.",
        "11. Ensure that supervision is regular.",
    )
    strengths = (
        "The local authority has the following strengths:",
        "12. Social workers know the children well.",
        "13. Managers in Anytown work hard to make sure",
        "they know their services well.",
        "Information about this inspection",
        "Inspectors looked at the experiences of children.",
    )
    board = (
        "Section 2: The effectiveness of the Local Safeguarding",
        "Children Board",
        "The effectiveness of the LSCB is good",
        "What does the LSCB need to improve?",
        "Priority and immediate action",
        "136. No areas were identified for immediate improvement.",
        "Areas for improvement",
        "137. Evaluate the training the board provides.",
        "The LSCB\u2019s strengths",
        "138. The chair is well respected.",
        "Inspection judgement about the LSCB",
        "139. The board is well led.",
    )
    assert sif_findings(council, strengths, board) == [
        (IMPROVE, "", 2, "Ensure that plans are clear."),
        (IMPROVE, "", 2, "Ensure that supervision is regular."),
        (STRENGTH, "", 3, "Social workers know the children well."),
        (STRENGTH, "", 3, "Managers in Anytown work hard to make sure they know their services well."),
        (IMPROVE, Area.LSCB, 4, "Evaluate the training the board provides."),
        (STRENGTH, Area.LSCB, 4, "The chair is well respected."),
    ]


@pytest.mark.parametrize(
    "printed",
    [
        "The inspection did not find any areas for priority and immediate action.",  # Hounslow 2014
        "There are no areas of priority action.",  # Herefordshire 2014
        "There are no areas for priority or immediate action.",  # Sheffield 2013
        "No areas were identified for immediate improvement.",  # Portsmouth 2014
    ],
)
def test_a_statement_that_there_is_nothing_to_list_is_no_finding(printed):
    page = ("Areas for priority action", f"1. {printed}", "Areas for improvement", "2. Ensure that plans are clear.")
    assert sif_findings(page) == [(IMPROVE, "", 2, "Ensure that plans are clear.")]


def test_a_point_that_there_are_no_delays_is_a_finding():
    page = ("Areas for improvement", "1. Ensure that there are no delays in adoption.")
    assert sif_findings(page) == [(IMPROVE, "", 2, "Ensure that there are no delays in adoption.")]


def test_a_heading_run_onto_the_line_above_is_no_part_of_the_point():
    # Calderdale 2015 p4: the PDF's text ends a point "...missing from home and care. Areas for improvement".
    page = (
        "What does the local authority need to improve?",
        "Priority and immediate action",
        "3. Ensure that return interviews are offered when children are",
        "missing from home and care. Areas for improvement",
        "Areas for improvement",
        "Leadership, management and governance",
        "4. Ensure that managers oversee plans.",
    )
    assert sif_findings(page) == [
        (PRIORITY, "", 2, "Ensure that return interviews are offered when children are missing from home and care."),
        (IMPROVE, LEADERS, 2, "Ensure that managers oversee plans."),
    ]


def test_numbered_themes_head_their_bulleted_points():
    # Slough 2016 pp9-10: four numbered themes, a bulleted recommendation each line starting with a bullet; Milton
    # Keynes 2016: a numbered point that introduces its sub-points keeps them, every word as printed.
    first = (
        "Recommendations",
        "1. Quality and effectiveness of practice",
        "\u2022 Develop a multi-agency response to concerns",
        "about children.",
        "\u2022 Ensure that escalation processes are understood.",
        "2. Oversight and scrutiny by senior and political leaders",
        "\u2022 Prioritise a stable and skilled permanent workforce.",
    )
    second = (
        "\u2022 Evaluate the quality of early help.",
        "3. Improve services to care leavers by ensuring that:",
        "\u2022 pathway plans are reviewed regularly and",
        "\u2022 care leavers are aware of their rights",
        "\u2022 personal advisers are trained.",
        "Summary for children and young people",
    )
    assert sif_findings(first, second) == [
        (IMPROVE, "", 2, "Develop a multi-agency response to concerns about children."),
        (IMPROVE, "", 2, "Ensure that escalation processes are understood."),
        (IMPROVE, "", 2, "Prioritise a stable and skilled permanent workforce."),
        (IMPROVE, "", 3, "Evaluate the quality of early help."),
        (
            IMPROVE,
            "",
            3,
            "Improve services to care leavers by ensuring that: pathway plans are reviewed regularly and care leavers "
            "are aware of their rights; personal advisers are trained.",
        ),
    ]


def test_a_wrapped_line_that_reads_like_a_contents_entry_is_no_heading():
    # Milton Keynes 2016 p8: point 8 ends on a line "recommendations.", and the contents list "Recommendations".
    contents = ("Contents", "The local authority 3", "Recommendations 3", "Summary for children and young people 4")
    page = (
        "Recommendations",
        "8. Ensure that decisions are informed by assessments that provide a clear rationale for",
        "recommendations.",
        "9. Ensure that life story work is timely.",
        "Summary for children and young people",
    )
    assert sif_findings(contents, page) == [
        (IMPROVE, "", 3, "Ensure that decisions are informed by assessments that provide a clear rationale for "
         "recommendations."),
        (IMPROVE, "", 3, "Ensure that life story work is timely."),
    ]


def test_a_long_sub_heading_between_numbered_points_is_no_part_of_either():
    # Rotherham 2014 p5.
    page = (
        "Areas for improvement",
        "10. Ensure that children returning home are safe.",
        "Enable looked after children and young people to live in permanent homes",
        "11. Ensure that all routes to permanence are used.",
    )
    assert [text for *_, text in sif_findings(page)] == [
        "Ensure that children returning home are safe.",
        "Ensure that all routes to permanence are used.",
    ]


def test_sub_headings_of_a_bulleted_list_lead_to_more_of_its_points():
    # Slough 2014: bulleted priority actions, then "Areas for improvement"; Hull's LSCB 2015: bulleted points under
    # sub-headings ("Data and performance management", "Practice and policy").
    page = (
        "What does the local authority need to improve?",
        "Priority and immediate action",
        "\u2022 Develop a workforce strategy.",
        "Areas for improvement",
        "Data and performance management",
        "\u2022 Ensure that data is accurate.",
        "Practice and policy",
        "\u2022 Ensure that learning is shared.",
        "Information about this inspection",
    )
    assert sif_findings(page) == [
        (PRIORITY, "", 2, "Develop a workforce strategy."),
        (IMPROVE, "", 2, "Ensure that data is accurate."),
        (IMPROVE, "", 2, "Ensure that learning is shared."),
    ]


def test_strengths_and_points_to_improve_are_lists_of_their_own():
    # Slough 2014 lists the strengths first; each list has its own markers, so numbered strengths do not make the
    # bulleted points after them sub-points.
    page = (
        "The local authority has the following strengths",
        "1. Adoption support is good.",
        "What does the local authority need to improve?",
        "Areas for improvement",
        "\u2022 Ensure that plans are clear.",
        "\u2022 Ensure that supervision is regular.",
    )
    assert sif_findings(page) == [
        (STRENGTH, "", 2, "Adoption support is good."),
        (IMPROVE, "", 2, "Ensure that plans are clear."),
        (IMPROVE, "", 2, "Ensure that supervision is regular."),
    ]
