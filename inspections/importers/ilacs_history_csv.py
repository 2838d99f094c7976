"""Import the per-report inspection history CSV (`ilacs_inspection_history.csv`).

One row per published full inspection report, 2012 to 2026, by Ofsted URN: publication date
(dd/mm/yy), inspection dates (dd/mm/yyyy), framework ("standard", "short", blank before 2018), lead
inspector, five grade columns and the report's link. The grades were machine-read from the reports:

* `data_unreadable`: the report could not be read (all pre-2018 reports), no grade;
* `inspection_pre_dates_judgement`: care leavers were not judged separately before 2023, no grade;
* `not_reported_post_reform`: no overall effectiveness from April 2026, no grade;
* blanks and anything else that is not Ofsted's wording (e.g. "to requires improvement"): no grade.

Rows without a framework are only matched to an inspection another source gives, never created: the
file does not say what they report on. Those with neither grades nor dates are the reports before 2018
(full inspections, reviews of a safeguarding board alone, inspections of looked after children's
services alone, and web pages saved where a report was): the report archive, read from the reports
themselves, says which each is (import_report_archive), so this file skips them.
"""

import datetime

from django.db import transaction
from django.utils.text import slugify

from councils.lookup import CouncilIndex

from ..frameworks import Framework
from ..models import Source
from importing.files import ImportFileError, ImportSummary, Progress, parse_date, read_csv_table
from .inspection_writer import InspectionRecord, InspectionWriter, person_name
from .ofsted_wording import parse_event_type
from .ofsted_wording import parse_grades as _parse_grades
from .provenance import source_for_file

REQUIRED_COLUMNS = (
    "urn",
    "local_authority",
    "inspection_link",
    "publication_date",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
)

GRADE_COLUMNS = {
    "overall": "overall_effectiveness_grade",
    "leaders": "impact_of_leaders_grade",
    "help": "help_and_protection_grade",
    "in_care": "in_care_grade",
    "care_leavers": "care_leavers_grade",
}

def _text(value):
    return " ".join(str(value or "").split())


def _date(row, column, summary, where):
    try:
        return parse_date(row.get(column))
    except ValueError:
        summary.skip(f"{column.replace('_', ' ')} not readable (left blank)", f"{where}: {_text(row.get(column))}")
        return None


def _record(line, row, councils, summary):
    where = f"line {line}"
    council, problem = councils.find(urn=_text(row.get("urn")), name=_text(row.get("local_authority")))
    if council is None:
        summary.skip(problem[0], f"{where}: {problem[1]}")
        return None
    published = _date(row, "publication_date", summary, where)
    start = _date(row, "inspection_start_date", summary, where)
    end = _date(row, "inspection_end_date", summary, where)
    grades = _parse_grades({role: row.get(column) for role, column in GRADE_COLUMNS.items()}, summary, where)
    framework_text = _text(row.get("inspection_framework"))
    if framework_text:
        event_type, framework = parse_event_type(framework_text)
        if event_type is None:
            summary.skip("inspection type not recognised", f"{where}: {framework_text}")
            return None
    elif grades or start:
        event_type, framework = None, Framework.ILACS  # graded, type not stated: matched only
    else:
        event_type, framework = None, ""  # a report before 2018, of a kind the file does not say
    if start is None and end is not None:
        end = None
    link = _text(row.get("inspection_link"))
    return InspectionRecord(
        council=council,
        event_type=event_type,
        framework=framework,
        start_date=start,
        end_date=end,
        published_date=published,
        lead_inspector=person_name(row.get("inspector_name")),
        report_url=link if link.startswith(("http://", "https://")) else "",
        grades=grades,
        where=where,
    )


def read_table(path):
    return read_csv_table(path, REQUIRED_COLUMNS, "the per-report inspection history")


def history_records(path, councils, summary=None):
    """Each row the importer can read, as the InspectionRecord it makes of it; rows it refuses are left out."""
    summary = summary or ImportSummary(path)
    for line, row in read_table(path).rows:
        record = _record(line, row, councils, summary)
        if record is not None:
            yield record


def import_ilacs_history_csv(path, *, progress_stream=None, show_progress=None):
    """Create or update inspections and judgements from the per-report history CSV."""
    table = read_table(path)
    summary = ImportSummary(path)
    progress = Progress(len(table.rows), f"Reports from {summary.name}", progress_stream, show_progress)
    with transaction.atomic():
        councils = CouncilIndex()
        if not len(councils):
            raise ImportFileError("no councils in the database: run import_councils first", path)
        stem = str(path).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        source = source_for_file(
            path,
            summary,
            key=slugify(stem.replace("_", "-"))[:120],
            kind=Source.Kind.DATASET,
            title="ILACS inspection history: one row per published inspection report, 2012-2026",
            publisher="ofsted-ilacs-scrape-tool (JT-39), machine-read from Ofsted's reports",
            notes=(
                "From the public repository JT-39/ofsted-ilacs-scrape-tool (MIT), read from Ofsted's reports "
                "(Open Government Licence v3.0). Grades were machine-read; some are blank or wrong."
            ),
        )
        writer = InspectionWriter(source, summary, official=False)
        links = set()
        for line, row in table.rows:
            progress.advance()
            record = _record(line, row, councils, summary)
            if record is None:
                continue
            if record.event_type is None and not (record.grades or record.start_date):
                summary.skip("kind of report not stated (the report archive reads it from the report)", record.where)
                continue
            if record.report_url:
                if record.report_url in links:
                    summary.skip("report listed twice", f"line {line}: {record.report_url}")
                    continue
                links.add(record.report_url)
            writer.apply(record)
        writer.finish()
    progress.done()
    return summary
