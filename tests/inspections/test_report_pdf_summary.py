"""The reader takes the report's own summary paragraph, and nothing else, from ILACS and SIF reports."""

import re

import pytest
from django.conf import settings

from inspections.frameworks import Framework
from inspections.importers.report_pdf import (
    Lines,
    ParsedReport,
    parse_report,
    summary_paragraph,
)

REPORTS = settings.FIXTURES_DIR / "reports"


def sentences(text):
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)


@pytest.mark.parametrize(
    ("path", "first", "last"),
    [
        (
            "sample/dorset_published-2021-11-19.pdf",  # ILACS: the first paragraph after the judgement table
            "Services for children and families in Dorset are of good quality and are continuing to improve.",
            ("Strong political and corporate commitment to the improvement agenda supports an environment where good "
            "social work can flourish, and children are increasingly better protected."),
        ),
        (
            "sample/birmingham_published-2019-01-17.pdf",  # ILACS 2018: a line broken at "re-vitalisation"
            ("The local authority, the shadow board, and since its inception in April 2018, Birmingham Children’s "
            "Trust (BCT), have made progress from a low base in improving the quality of services to children and "
            "families."),
            ("The delegation of statutory functions to BCT has enabled the re-vitalisation of both practice and "
            "working culture, and, as a result, progress has been made in improving the experiences and progress of "
            "children."),
        ),
        (
            "sample/kent_published-2017-06-13.pdf",  # SIF: the first paragraph under "Executive summary"
            "Kent County Council is delivering a good service to children and families.",
            "Political leaders have been responsive to budget pressures, supporting increased financial investment.",
        ),
        (
            "tower-hamlets/tower-hamlets_published-2017-04-07.pdf",
            ("There are widespread and serious failures in the services provided to children who need help and "
            "protection in Tower Hamlets."),
            ("In addition, as a result of identifying current risks to children, inspectors requested that the local "
            "authority review several aspects of the service urgently, including private fostering arrangements, "
            "care leavers in custody, the arrangements for the Public Law Outline (PLO) and the psychosocial team "
            "meetings."),
        ),
    ],
)
def test_summary_is_the_reports_first_paragraph(path, first, last):
    summary = parse_report(REPORTS / path).summary
    assert sentences(summary)[0] == first
    assert sentences(summary)[-1] == last


def test_no_summary_is_invented_where_none_can_be_told():
    paragraph = ["Services are good and have improved since the last inspection in 2019, as leaders know well.", "Short."]
    # No "Executive summary" heading: nothing to read.
    assert summary_paragraph(Framework.SIF, Lines([paragraph])) == ""
    # A heading, then lines none of which ends a sentence before the next heading.
    unfinished = ["Executive summary", "Services are good and have improved since the last", "What needs to improve"]
    assert summary_paragraph(Framework.SIF, Lines([unfinished])) == ""
    assert summary_paragraph(Framework.SIF, Lines([["Executive summary", *paragraph]])) == paragraph[0] + " Short."


def test_a_reading_survives_its_round_trip_through_plain_data():
    report = parse_report(REPORTS / "sample/kent_published-2017-06-13.pdf")
    assert ParsedReport.from_data(report.as_data()) == report


def test_data_that_is_not_a_reading_is_refused():
    with pytest.raises(ValueError, match="not a report reading"):
        ParsedReport.from_data({"council_name": "Kent"})
