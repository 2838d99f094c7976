"""Reading Ofsted report PDFs: every sample report field by field, layouts it has not seen, and files it refuses."""

import datetime
import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from inspections.frameworks import Area, EventType, Framework, Grade, judgement_problem
from inspections.importers.report_pdf import ReportError, parse_report, parse_visits

REPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "reports"
TOWER_HAMLETS = REPORTS / "tower-hamlets"
SAMPLE = REPORTS / "sample"

O, G, RI, I = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
LEADERS, HELP, OVERALL = Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.OVERALL_EFFECTIVENESS
IN_CARE, LEAVERS, IN_CARE_AND_LEAVERS = Area.CHILDREN_IN_CARE, Area.CARE_LEAVERS, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS
SIF_AREAS = (OVERALL, HELP, Area.LOOKED_AFTER_AND_PERMANENCE, Area.ADOPTION, LEAVERS, LEADERS, Area.LSCB)


def day(text):
    return datetime.datetime.strptime(text, "%d %B %Y").date()


# file: (council as printed, event type, start, end, lead inspector, judgements, points to improve)
EXPECTED = {
    "tower-hamlets/tower-hamlets_published-2017-04-07.pdf": (
        "London Borough of Tower Hamlets", EventType.FULL_INSPECTION, "23 January 2017", "16 February 2017",
        "Brenda McLaughlin", dict(zip(SIF_AREAS, (I, I, RI, RI, RI, I, I))), 20,
    ),
    "tower-hamlets/tower-hamlets_published-2019-07-22.pdf": (
        "London Borough of Tower Hamlets", EventType.STANDARD_INSPECTION, "10 June 2019", "21 June 2019",
        "Marcie Taylor", {LEADERS: G, HELP: G, IN_CARE_AND_LEAVERS: G, OVERALL: G}, 3,
    ),
    "tower-hamlets/tower-hamlets_published-2025-01-13.pdf": (
        "Tower Hamlets", EventType.SHORT_INSPECTION, "11 November 2024", "15 November 2024",
        "Amanda Maxwell", {LEADERS: O, HELP: G, IN_CARE: G, LEAVERS: O, OVERALL: O}, 2,
    ),
    "sample/birmingham_published-2019-01-17.pdf": (
        "Birmingham City Council", EventType.STANDARD_INSPECTION, "3 December 2018", "14 December 2018",
        "Pauline Higham", {LEADERS: RI, HELP: RI, IN_CARE_AND_LEAVERS: RI, OVERALL: RI}, 6,
    ),
    "sample/blackpool_published-2026-07-28.pdf": (
        "Blackpool", EventType.STANDARD_INSPECTION, "8 June 2026", "19 June 2026",
        "Margaret Burke", {LEADERS: O, HELP: G, IN_CARE: O, LEAVERS: O}, 1,
    ),
    "sample/bracknell-forest_published-2026-01-28.pdf": (
        "Bracknell Forest", EventType.SHORT_INSPECTION, "8 December 2025", "12 December 2025",
        "Naintara Khosla", {LEADERS: O, HELP: O, IN_CARE: O, LEAVERS: O, OVERALL: O}, 1,
    ),
    "sample/brighton-and-hove_published-2024-05-16.pdf": (
        "Brighton and Hove", EventType.SHORT_INSPECTION, "11 March 2024", "15 March 2024",
        "Máire Atherton", {LEADERS: O, HELP: G, IN_CARE: O, LEAVERS: O, OVERALL: O}, 2,
    ),
    "sample/bury_published-2021-12-17.pdf": (
        "Bury", EventType.STANDARD_INSPECTION, "25 October 2021", "5 November 2021",
        "Lorna Schlechte", {LEADERS: I, HELP: I, IN_CARE_AND_LEAVERS: RI, OVERALL: I}, 9,
    ),
    "sample/cheshire-east_published-2024-05-16.pdf": (
        "Cheshire East", EventType.STANDARD_INSPECTION, "26 February 2024", "8 March 2024",
        "Teresa Godfrey", {LEADERS: RI, HELP: RI, IN_CARE: RI, LEAVERS: I, OVERALL: I}, 7,
    ),
    "sample/devon_published-2020-03-17.pdf": (
        "Devon County Council", EventType.STANDARD_INSPECTION, "20 January 2020", "31 January 2020",
        "Steve Lowe", {LEADERS: I, HELP: RI, IN_CARE_AND_LEAVERS: I, OVERALL: I}, 8,
    ),
    "sample/dorset_published-2021-11-19.pdf": (
        "Dorset", EventType.STANDARD_INSPECTION, "27 September 2021", "8 October 2021",
        "Steve Lowe", {LEADERS: O, HELP: G, IN_CARE_AND_LEAVERS: G, OVERALL: G}, 1,
    ),
    "sample/isle-of-wight_published-2023-12-15.pdf": (
        "Isle of Wight", EventType.SHORT_INSPECTION, "30 October 2023", "3 November 2023",
        "Amanda Maxwell", {LEADERS: G, HELP: RI, IN_CARE: G, LEAVERS: G, OVERALL: G}, 4,
    ),
    "sample/kent_published-2017-06-13.pdf": (
        "Kent County Council", EventType.FULL_INSPECTION, "6 March 2017", "30 March 2017",
        "Linda Steele", dict(zip(SIF_AREAS, (G, RI, G, G, G, G, RI))), 16,
    ),
    "sample/norfolk_published-2015-10-20.pdf": (
        "Norfolk County Council", EventType.FULL_INSPECTION, "6 July 2015", "30 July 2015",
        "Helen Cawston", dict(zip(SIF_AREAS, (I, RI, I, RI, I, RI, RI))), 25,
    ),
}


@pytest.fixture(scope="module")
def parsed():
    cache = {}

    def parse(name):
        if name not in cache:
            cache[name] = parse_report(REPORTS / name)
        return cache[name]

    return parse


def test_every_report_in_the_samples_is_checked():
    pdfs = {str(path.relative_to(REPORTS)) for path in REPORTS.glob("*/*.pdf")}
    assert pdfs - set(EXPECTED) == {"sample/birmingham_published-2012-10-19.pdf"}  # the HTML page, refused below


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_report_is_read_field_by_field(parsed, name):
    council, event_type, start, end, inspector, judgements, points = EXPECTED[name]
    report = parsed(name)
    assert report.council_name == council
    assert report.framework == (Framework.SIF if event_type == EventType.FULL_INSPECTION else Framework.ILACS)
    assert report.event_type == event_type
    assert (report.start_date, report.end_date) == (day(start), day(end))
    assert report.lead_inspector == inspector
    assert dict(report.judgements) == judgements
    assert len(report.what_needs_to_improve) == points


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_report_judgements_are_valid_for_its_framework(parsed, name):
    report = parsed(name)
    for area, grade in report.judgements:
        assert judgement_problem(report.framework, area, grade, report.start_date) is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_points_to_improve_are_clean_sentences(parsed, name):
    for point in parsed(name).what_needs_to_improve:
        assert point.text[0].isupper(), point.text
        assert "\n" not in point.text and "  " not in point.text
        assert "◼" not in point.text and "PAGE" not in point.text


def test_tower_hamlets_2019_standard_inspection(parsed):
    report = parsed("tower-hamlets/tower-hamlets_published-2019-07-22.pdf")
    assert report.framework == Framework.ILACS
    assert report.event_type == EventType.STANDARD_INSPECTION
    assert report.start_date == datetime.date(2019, 6, 10)
    assert report.end_date == datetime.date(2019, 6, 21)
    assert report.published_date is None  # ILACS reports do not print it
    assert report.lead_inspector == "Marcie Taylor"
    assert report.judgements == (
        (LEADERS, G),
        (HELP, G),
        (IN_CARE_AND_LEAVERS, G),
        (OVERALL, G),
    )
    points = report.what_needs_to_improve
    assert len(points) == 3
    assert points[0].text == (
        "The quality of plans for children in need across the family support and protection teams in order to "
        "ensure that they are consistently good or better."
    )
    assert points[-1].text == (
        "The quality and coordination of plans to support children returning home from care to remain with their "
        "families."
    )
    assert {point.area for point in points} == {""}


def test_tower_hamlets_2024_short_inspection(parsed):
    report = parsed("tower-hamlets/tower-hamlets_published-2025-01-13.pdf")
    assert report.council_name == "Tower Hamlets"
    assert report.framework == Framework.ILACS
    assert report.event_type == EventType.SHORT_INSPECTION
    assert report.start_date == datetime.date(2024, 11, 11)
    assert report.end_date == datetime.date(2024, 11, 15)
    assert report.lead_inspector == "Amanda Maxwell"
    assert report.judgements == (
        (LEADERS, O),
        (HELP, G),
        (IN_CARE, G),
        (LEAVERS, O),
        (OVERALL, O),
    )
    points = report.what_needs_to_improve
    assert len(points) == 2
    assert points[0].text == (
        "Focus and in-depth understanding of the impact of family culture on a child’s lived experience."
    )
    assert points[-1].text == (
        "The impact of plans when parental engagement is inconsistent and children are subject to longer periods of "
        "child protection planning."
    )


def test_tower_hamlets_2017_sif_with_lscb_review(parsed):
    report = parsed("tower-hamlets/tower-hamlets_published-2017-04-07.pdf")
    assert report.framework == Framework.SIF
    assert report.published_date == datetime.date(2017, 4, 7)
    assert report.grade_for(Area.LSCB) == I
    points = report.what_needs_to_improve
    assert [point.area for point in points] == [""] * 15 + [Area.LSCB] * 5
    assert points[0].text.startswith("Take immediate action to ensure that work with children")
    assert points[14].text.endswith("consistency in the quality of practice.")
    assert points[15].text == (
        "Urgently review monitoring and governance arrangements to ensure that the board is fulfilling all of its "
        "statutory functions."
    )


def test_sub_points_are_joined_to_their_point(parsed):
    points = parsed("sample/isle-of-wight_published-2023-12-15.pdf").what_needs_to_improve
    assert points[2].text == (
        "The quality of oversight and monitoring of: the pre-proceedings process in the Public Law Outline (PLO); "
        "permanence for children; private fostering."
    )


def test_footnote_is_not_read_into_the_points(parsed):
    (point,) = parsed("sample/blackpool_published-2026-07-28.pdf").what_needs_to_improve
    assert point.text.endswith("(outcome 1, national framework)")


# Layouts and wordings the samples do not show -------------------------------------------------------------------


def pdf_pages(*pages):
    """A PDF showing these pages, each a list of lines (cp1252 text), built by hand."""
    count = len(pages)
    kids = " ".join(f"{3 + 2 * number} 0 R" for number in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
    ]
    for number, lines in enumerate(pages):
        escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
        content = ("BT /F1 10 Tf 12 TL 40 800 Td " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET")
        content = content.encode("cp1252")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 "
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >> >>"
            % (4 + 2 * number)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def text_pdf(*lines):
    return pdf_pages(lines)


TABLE_2024 = (
    "Judgement Grade",
    "The impact of leaders on social work",
    "practice with children and families",
    "Requires improvement",
    "to be good",
    "The experiences and progress of",
    "children who need help and protection Good",
    "The experiences and progress of",
    "children in care Outstanding",
    "The experiences and progress of care",
    "leavers Inadequate",
    "Overall effectiveness Requires improvement",
)


POINTS = (
    "What needs to improve?",
    "• The quality of plans for children in need, so that they are multi-",
    "agency and consistently good.",
    "• Oversight of:",
    "– private fostering",
    "– children missing education.",
)


def ilacs_pdf(dates="Inspection dates: 11 to 15 November 2024", table=TABLE_2024, inspector=None, points=POINTS):
    return text_pdf(
        "Inspection of Anytown local",
        "authority children’s services",
        *([dates] if isinstance(dates, str) else dates),
        inspector or "Lead inspector: Anne-Marie O’Neill-Smith, His Majesty’s Inspector",
        *table,
        "Leaders in Anytown know their services well, but children in care and care leavers",
        "do not yet receive consistently good help.",
        *points,
        "The experiences and progress of children who need help and",
        "protection: good",
        "1. Children get help early.",
    )


def test_unseen_layout_is_read():
    report = parse_report(ilacs_pdf())
    assert report.council_name == "Anytown"
    assert report.lead_inspector == "Anne-Marie O’Neill-Smith"
    assert report.judgements == ((LEADERS, RI), (HELP, G), (IN_CARE, O), (LEAVERS, I), (OVERALL, RI))
    assert [point.text for point in report.what_needs_to_improve] == [
        "The quality of plans for children in need, so that they are multi-agency and consistently good.",
        "Oversight of: private fostering; children missing education.",
    ]


STANDARD, SHORT = EventType.STANDARD_INSPECTION, EventType.SHORT_INSPECTION


@pytest.mark.parametrize(
    "printed, start, end, event_type",
    [
        ("10 June 2019 to 21 June 2019", "10 June 2019", "21 June 2019", STANDARD),
        ("11 to 15 November 2024", "11 November 2024", "15 November 2024", SHORT),
        ("23 January to 3 February 2023", "23 January 2023", "3 February 2023", STANDARD),
        ("30 September – 11 October 2019", "30 September 2019", "11 October 2019", STANDARD),
        ("28 November - 2 December 2022", "28 November 2022", "2 December 2022", SHORT),
        ("30 December 2019 to 10 January 2020", "30 December 2019", "10 January 2020", STANDARD),
        ("29 December to 2 January 2026", "29 December 2025", "2 January 2026", SHORT),
    ],
)
def test_date_formats(printed, start, end, event_type):
    report = parse_report(ilacs_pdf(dates=f"Inspection dates: {printed}", table=TABLE_2024[:-1]))
    assert (report.start_date, report.end_date) == (day(start), day(end))
    assert report.event_type == event_type


def test_dates_wrapped_onto_the_next_line():
    report = parse_report(ilacs_pdf(dates=("Inspection dates: 30 September 2019 to 11 October", "2019")))
    assert (report.start_date, report.end_date) == (day("30 September 2019"), day("11 October 2019"))


def test_running_headers_and_page_numbers_are_not_read_as_text():
    header = ("Inspection of Bury local authority children’s services",)

    def dated(page):
        return (*header, f"11 to 15 November 2024 {page}")

    first = (
        *header,
        "Inspection dates: 11 to 15 November 2024",
        "Lead inspector: Jo Bloggs, His Majesty’s Inspector",
        *TABLE_2024,
        "Children in Bury are well served by leaders who know them.",
        "What needs to improve?",
        "• The quality of plans for children in need, so that they",
    )
    second = (*dated(2), "are reviewed on time.", "• Caseloads.", "The experiences and progress of", "1. Text.")
    prose = ("Children are helped early and well. Leaders know their services and act on what they learn.",)
    report = parse_report(pdf_pages(first, second, *[(*dated(page), *prose) for page in range(3, 7)]))
    assert report.council_name == "Bury"
    assert [point.text for point in report.what_needs_to_improve] == [
        "The quality of plans for children in need, so that they are reviewed on time.",
        "Caseloads.",
    ]


def test_points_marked_with_dashes_are_read():
    lines = ("What needs to improve?", "– Caseloads of social workers.", "– Oversight of private", "fostering.")
    report = parse_report(ilacs_pdf(points=lines))
    assert [point.text for point in report.what_needs_to_improve] == [
        "Caseloads of social workers.",
        "Oversight of private fostering.",
    ]


def test_report_before_2023_grades_children_in_care_and_care_leavers_together():
    table = (
        "Judgement Grade",
        "The impact of leaders on social work practice with children and families Good",
        "The experiences and progress of children who need help and",
        "protection Requires improvement to be good",
        "The experiences and progress of children in care and care",
        "leavers Good",
        "Overall effectiveness Good",
    )
    report = parse_report(ilacs_pdf(dates="Inspection dates: 10 June 2019 to 21 June 2019", table=table))
    assert report.judgements == ((LEADERS, G), (HELP, RI), (IN_CARE_AND_LEAVERS, G), (OVERALL, G))


def test_grade_printed_inside_an_area_wording_goes_to_that_area():
    table = (
        "Judgement Grade",
        "The impact of leaders on social work practice Good",
        "with children and families",
        "The experiences and progress of children who need help and Inadequate",
        "protection",
        "The experiences and progress of children in care Good",
        "The experiences and progress of care leavers Good",
        "Overall effectiveness Inadequate",
    )
    report = parse_report(ilacs_pdf(table=table))
    assert report.judgements == ((LEADERS, G), (HELP, I), (IN_CARE, G), (LEAVERS, G), (OVERALL, I))


def test_table_given_column_by_column():
    table = (
        "Judgement Grade",
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
        "Good",
        "Outstanding",
        "Requires improvement to be good",
        "Good",
    )
    report = parse_report(ilacs_pdf(dates="Inspection dates: 8 to 19 June 2026", table=table))
    assert report.judgements == ((LEADERS, G), (HELP, O), (IN_CARE, RI), (LEAVERS, G))


@pytest.mark.parametrize(
    "printed, name",
    [
        ("Lead inspector: Steve Lowe, Her Majesty’s Inspector", "Steve Lowe"),
        ("Lead inspector: Linda Steele HMI", "Linda Steele"),
        ("Lead inspector: Máire D’Arcy Senior HMI", "Máire D’Arcy"),
        ("Lead inspector: Rebecca Dubbins-Jones (HMI)", "Rebecca Dubbins-Jones"),
        ("Lead inspector on site: Pietro Battista", "Pietro Battista"),  # Hammersmith and Fulham 2016
    ],
)
def test_lead_inspector_is_named_without_title(printed, name):
    assert parse_report(ilacs_pdf(inspector=printed)).lead_inspector == name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6 July 2015 – 30 July 2015", [("6 July 2015", "30 July 2015")]),
        ("6th to 17th March 2017", [("6 March 2017", "17 March 2017")]),
        ("1 December — 12 December 2014", [("1 December 2014", "12 December 2014")]),
        ("27 Sept to 8 Oct 2021", [("27 September 2021", "8 October 2021")]),
        (
            "10 to 14 October and 24 to 28 October 2022",
            [("10 October 2022", "14 October 2022"), ("24 October 2022", "28 October 2022")],
        ),
        ("11 to 15 November 2024 2", [("11 November 2024", "15 November 2024")]),
    ],
)
def test_date_ranges(text, expected):
    assert parse_visits(text) == [(day(first), day(last)) for first, last in expected]


def test_text_without_a_date_range():
    assert parse_visits("Report published: 7 April 2017") is None


# Files refused --------------------------------------------------------------------------------------------------


def refusal(source):
    with pytest.raises(ReportError) as refused:
        parse_report(source)
    message = str(refused.value)
    assert message and "\n" not in message
    return message


def test_ofsteds_report_not_found_page_saved_as_pdf_is_refused():
    # Birmingham 2012: the archive saved the page Ofsted serves where it no longer publishes a report.
    message = refusal(SAMPLE / "birmingham_published-2012-10-19.pdf")
    assert "Report not found" in message and "no longer publishes" in message


def test_other_html_page_saved_as_pdf_is_refused():
    assert "HTML" in refusal(b"<!DOCTYPE html><html><head><title>Ofsted</title></head><body>Hello</body></html>")


def test_empty_file_is_refused():
    assert "empty" in refusal(b"")


def test_random_bytes_are_refused():
    assert "not a PDF" in refusal(bytes(range(256)) * 40)


def test_truncated_pdf_is_refused():
    whole = (TOWER_HAMLETS / "tower-hamlets_published-2019-07-22.pdf").read_bytes()
    assert "damaged" in refusal(whole[: len(whole) // 2])


def test_pdf_damaged_inside_is_refused():
    whole = bytearray((TOWER_HAMLETS / "tower-hamlets_published-2019-07-22.pdf").read_bytes())
    whole[1000:50000] = b"x" * 49000
    assert "damaged" in refusal(bytes(whole))


def test_password_protected_pdf_is_refused():
    writer = PdfWriter(clone_from=io.BytesIO(ilacs_pdf()))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    assert "password" in refusal(locked)


def test_pdf_encrypted_only_against_editing_is_read():
    writer = PdfWriter(clone_from=io.BytesIO(ilacs_pdf()))
    writer.encrypt(user_password="", owner_password="owner")
    locked = io.BytesIO()
    writer.write(locked)
    assert parse_report(locked.getvalue()).council_name == "Anytown"


def test_pdf_that_is_not_an_ofsted_report_is_refused():
    message = refusal(text_pdf("Anytown Parish Council", "Minutes of the meeting held on 3 March 2024"))
    assert "not an Ofsted inspection report" in message


def test_pdf_without_text_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    blank = io.BytesIO()
    writer.write(blank)
    assert "no text" in refusal(blank)


@pytest.mark.parametrize(
    "first_lines, expected",
    [
        (("Focused visit to Anytown children’s services", "This letter summarises the findings."), "focused visit"),
        (("Monitoring visit to Anytown children’s services", "This letter summarises it."), "monitoring visit"),
        (("Assurance visit to Anytown children’s services", "This letter summarises it."), "assurance visit"),
        (("Joint targeted area inspection of Anytown", "This letter summarises the findings."), "joint targeted"),
        (("Inspection of Anytown Primary School", "Inspection dates: 3 and 4 May 2023"), "school"),
        (("Inspection of safeguarding and looked after children services", "Anytown"), "2009-12"),
    ],
)
def test_other_ofsted_documents_are_refused_with_what_they_are(first_lines, expected):
    assert expected in refusal(text_pdf("Ofsted", "Piccadilly Gate", "Manchester", *first_lines))


def test_report_whose_judgements_cannot_be_read_is_refused():
    table = ("Judgement Grade", "The impact of leaders on social work practice with children and families Good")
    assert "judgement" in refusal(ilacs_pdf(table=table))


def test_report_without_dates_is_refused():
    assert "dates" in refusal(ilacs_pdf(dates="Inspection dates: to be confirmed"))


def test_missing_file_is_refused(tmp_path):
    assert "Cannot open" in refusal(tmp_path / "nowhere.pdf")
