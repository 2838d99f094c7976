"""How well the built report archive agrees with Ofsted's official outcomes file and the history CSV, field by field.

    .venv/bin/python bench/archive_accuracy.py [--archive fixtures/data/ofsted/report_archive.jsonl]
                                               [--pdfs DIR]

Reads what `manage.py build_archive` wrote (no PDF is read for the figures) and compares:

* every ILACS inspection in the official outcomes file (LA_Inspection_Outcomes_as_at_31_March_2025.ods, sheet
  ILACS_inspection_history) with the archive's report for that council (by Ofsted URN) and start date: type,
  publication and every grade. An official row without a report is listed;
* every report the history CSV names with the CSV's dates, lead inspector and grades. The CSV is machine-read and
  has faults of its own (its SIF rows have no grades), so it is a cross-check;
* SIF reports: how many carry all their grades, both dates and the lead inspector. No file here holds SIF grades,
  so check those against the PDFs themselves: with --pdfs DIR each disagreement, and a sample of SIF readings,
  is shown beside the page text that decides it.

Per-field accuracy is printed by framework and by year of the inspection's start.

The PDF archive is not shipped, so CI's tiny run (bench/smoke.py) reads an archive built from the report PDFs
that are: `archive_build_speed.py fixtures/reports --output FILE`, then
`archive_accuracy.py --archive FILE --pdfs fixtures/reports --sample 2`.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_tracker.settings")

import django  # noqa: E402

django.setup()

from python_calamine import CalamineWorkbook  # noqa: E402

from inspections.dates import iso  # noqa: E402
from inspections.frameworks import Area, EventType  # noqa: E402
from inspections.importers.report_archive import ARCHIVE_FILE  # noqa: E402
from inspections.importers.report_pdf import ReportError, read_pages  # noqa: E402

OFSTED = PROJECT / "fixtures" / "data" / "ofsted"
OUTCOMES = OFSTED / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
COUNCILS = PROJECT / "fixtures" / "data" / "reference" / "local_authorities.csv"

OFFICIAL_GRADES = {  # official column -> archive areas that answer it
    "Overall effectiveness": (Area.OVERALL_EFFECTIVENESS,),
    "The impact of leaders on social work practice with children and families": (Area.LEADERSHIP,),
    "The experiences and progress of children who need help and protection": (Area.HELP_AND_PROTECTION,),
    "The experiences and progress of children in care": (Area.CHILDREN_IN_CARE, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS),
    "The experiences and progress of care leavers": (Area.CARE_LEAVERS,),
}
CSV_GRADES = {
    "overall_effectiveness_grade": OFFICIAL_GRADES["Overall effectiveness"],
    "impact_of_leaders_grade": (Area.LEADERSHIP,),
    "help_and_protection_grade": (Area.HELP_AND_PROTECTION,),
    "in_care_grade": (Area.CHILDREN_IN_CARE, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS),
    "care_leavers_grade": (Area.CARE_LEAVERS,),
}
CSV_UNKNOWN = {"", "data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform"}
OFFICIAL_TYPES = {
    "ILACS Standard Inspection": EventType.STANDARD_INSPECTION,
    "ILACS Short Inspection": EventType.SHORT_INSPECTION,
}
SIF_AREAS = (
    Area.OVERALL_EFFECTIVENESS,
    Area.HELP_AND_PROTECTION,
    Area.LOOKED_AFTER_AND_PERMANENCE,
    Area.ADOPTION,
    Area.CARE_LEAVERS,
    Area.LEADERSHIP,
)
# Where in a report the page text that decides a field is: a pattern for its lines.
EVIDENCE = {
    "start date": r"Inspection dates?",
    "end date": r"Inspection dates?",
    "lead inspector": r"Lead inspector",
    "event type": r"Inspection dates?",
    "published": r"published",
}


def main():
    arguments = argument_parser().parse_args()
    records = [json.loads(line) for line in arguments.archive.open(encoding="utf-8")]
    read = [record for record in records if record["status"] == "read"]
    tally, disagreements = Counter(), []
    official_missing = compare_official(read, tally, disagreements)
    compare_history(read, tally, disagreements)
    print_outcomes(records)
    print_sif_completeness(read)
    print_tally(tally)
    print_disagreements(disagreements, arguments.pdfs)
    print("\nOfficial ILACS inspections with no report in the archive (start date as the official file gives it):")
    for name, start in official_missing:
        print(f"  {name} {start}")
    if not official_missing:
        print("  none")
    if arguments.pdfs:
        print_sif_sample(read, arguments.pdfs, arguments.sample)


def argument_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE_FILE)
    parser.add_argument("--pdfs", type=Path, help="the folder the archive was built from, to quote page text")
    parser.add_argument("--sample", type=int, default=20, help="SIF readings to show beside their page text")
    return parser


# The official outcomes file ---------------------------------------------------------------------------------


def council_urns():
    """Ofsted URN by ONS code and by name: the official file keeps Barnsley's and Sheffield's old codes."""
    urns = {}
    with COUNCILS.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            urns[row["la_code_new"]] = row["urn"]
            urns[row["local_authority_ons_name"].casefold()] = row["urn"]
    return urns


def official_rows():
    sheet = CalamineWorkbook.from_path(str(OUTCOMES)).get_sheet_by_name("ILACS_inspection_history").to_python()
    header = [str(cell).strip() for cell in sheet[2]]
    return [dict(zip(header, row)) for row in sheet[3:] if any(row)]


def grade_key(text):
    text = str(text or "").strip().lower()
    return "requires_improvement" if text.startswith("requires improvement") else text


def compare_official(read, tally, disagreements):
    urns = council_urns()
    by_council_start = {(r["urn"], r["start_date"]): r for r in read if r["framework"] == "ilacs"}
    missing = []
    for row in official_rows():
        start = as_date(row["Inspection date"])
        urn = urns.get(row["Local authority area code"]) or urns.get(str(row["Local authority name"]).casefold())
        record = by_council_start.get((urn, iso(start)))
        if record is None:
            missing.append((row["Local authority name"], start))
            continue
        year = start.year
        judgements = dict(map(tuple, record["judgements"]))
        fields = [("official: event type", record["event_type"], OFFICIAL_TYPES.get(row["Inspection type"]))]
        for column, areas in OFFICIAL_GRADES.items():
            expected = grade_key(row.get(column)) or None
            got = next((judgements[area] for area in areas if area in judgements), None)
            fields.append((f"official: {areas[0]}", got, expected))
        for field, got, expected in fields:
            agree = got == expected
            tally["ilacs", year, field, agree] += 1
            if not agree:
                disagreements.append((record, field, got, expected))
    return missing


# The history CSV ------------------------------------------------------------------------------------------


def as_date(value, formats=("%d/%m/%Y", "%d/%m/%y")):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for format_ in formats:
        try:
            return datetime.datetime.strptime(str(value).strip(), format_).date()
        except ValueError:
            continue
    return None


def compare_history(read, tally, disagreements):
    for record in read:
        row = record.get("history")
        if not row:
            continue
        year = int(record["start_date"][:4])
        judgements = dict(map(tuple, record["judgements"]))
        fields = [
            ("csv: start date", record["start_date"], iso(as_date(row["inspection_start_date"]))),
            ("csv: end date", record["end_date"], iso(as_date(row["inspection_end_date"]))),
            ("csv: lead inspector", record["lead_inspector"].casefold(), row["inspector_name"].strip().casefold()),
        ]
        if record["framework"] == "ilacs":
            for column, areas in CSV_GRADES.items():
                expected = row[column].strip()
                if expected in CSV_UNKNOWN:
                    continue
                got = next((judgements[area] for area in areas if area in judgements), None)
                fields.append((f"csv: {column}", got, expected.replace(" ", "_")))
        for field, got, expected in fields:
            if not expected:
                continue  # the CSV gives nothing to compare
            agree = got == expected
            tally[record["framework"], year, field, agree] += 1
            if not agree:
                disagreements.append((record, field, got, expected))


# Printing ---------------------------------------------------------------------------------------------------


def print_outcomes(records):
    by_year = defaultdict(Counter)
    for record in records:
        year = (record.get("start_date") or year_in_name(record["path"]))[:4]
        by_year[year][record.get("framework") or "refused"] += 1
    print(f"{len(records)} PDFs in the archive file.\n")
    print(f"{'year':<6} {'sif':>5} {'ilacs':>6} {'refused':>8}")
    for year in sorted(by_year):
        counts = by_year[year]
        print(f"{year:<6} {counts['sif']:>5} {counts['ilacs']:>6} {counts['refused']:>8}")
    reasons = Counter(record["reason"] for record in records if record["status"] == "refused")
    print("\nRefused:")
    for reason, count in reasons.most_common():
        print(f"  {count} x {reason}")


def year_in_name(path):
    match = re.search(r"(\d{4})\.pdf$", path)
    return match[1] if match else "????"


def sif_complete(record):
    areas = {area for area, _ in record["judgements"]} | set(record["not_judged"])
    return all(area in areas for area in SIF_AREAS) and record["start_date"] and record["lead_inspector"]


def print_sif_completeness(read):
    sif = [record for record in read if record["framework"] == "sif"]
    complete = [record for record in sif if sif_complete(record)]
    lscb = sum(any(area == Area.LSCB for area, _ in record["judgements"]) for record in sif)
    councils = {record["urn"] for record in complete}
    print(f"\nSIF reports read: {len(sif)}; with every grade, both dates and the lead inspector: ", end="")
    print(len(complete), end="")
    print(f" ({len(complete) / len(sif):.1%})" if sif else "")
    print(f"  councils with SIF grades: {len(councils)}; reports with an LSCB judgement: {lscb}")
    for record in sif:
        if record not in complete:
            print(f"  incomplete: {record['path']}")
    with_findings = {record["urn"] for record in read if record["findings"]}
    all_councils = {record["urn"] for record in read}
    print(f"Councils with findings: {len(with_findings)} of {len(all_councils)} with a report read.")
    for urn in sorted(all_councils - with_findings):
        print(f"  no findings for URN {urn}")


def print_tally(tally):
    print("\nAgreement by framework, year and field (agree/compared):")
    fields = sorted({field for _, _, field, _ in tally})
    groups = sorted({(framework, year) for framework, year, _, _ in tally})
    for field in fields:
        cells, agree_all, total_all = [], 0, 0
        for framework, year in groups:
            agree, disagree = tally[framework, year, field, True], tally[framework, year, field, False]
            if agree + disagree:
                cells.append(f"{framework} {year}: {agree}/{agree + disagree}")
                agree_all, total_all = agree_all + agree, total_all + agree + disagree
        print(f"  {field:<52} {agree_all:>4}/{total_all:<4} {agree_all / total_all:7.1%}")
        print("      " + "; ".join(cells))


def print_disagreements(disagreements, pdfs):
    print(f"\nDisagreements ({len(disagreements)}); read each against the report before blaming the reader:")
    for record, field, got, expected in sorted(disagreements, key=lambda item: (item[0]["path"], item[1])):
        print(f"  {record['path']}: {field}: archive {got!s}, other source {expected!s}")
        if pdfs:
            for page, line in evidence(pdfs / record["path"], field):
                print(f"      p.{page}: {line}")


def evidence(pdf, field):
    """The report's own lines that decide a field: its dates or inspector line, or the judgement table's rows."""
    pattern = next((pattern for key, pattern in EVIDENCE.items() if key in field), None)
    try:
        pages = read_pages(pdf)
    except ReportError as error:
        return [(0, f"(cannot read: {error})")]
    found = []
    for number, page in enumerate(pages, start=1):
        for index, line in enumerate(page):
            if pattern and re.match(pattern, line, re.I):
                found.append((number, " ".join(page[index : index + 2])))
        if pattern is None and number == 1:
            start = next((i for i, line in enumerate(page) if re.match(r"Judgement|\d\. Children", line)), 0)
            found += [(1, line) for line in page[start : start + 14]]
    return found[:14]


def print_sif_sample(read, pdfs, size):
    """Every nth SIF reading beside its page 1, to check by eye against the report itself."""
    sif = [record for record in read if record["framework"] == "sif"]
    if not sif:
        return
    step = max(1, len(sif) // size)
    print(f"\nSIF sample ({len(sif[::step][:size])} reports): reading, then page 1 as printed")
    for record in sif[::step][:size]:
        print(f"\n  {record['path']}")
        dates = f"{record['start_date']} to {record['end_date']}"
        print(f"    read: {dates}; {record['lead_inspector']}; {record['judgements']}")
        pages = read_pages(pdfs / record["path"])
        decides = re.compile(r"judge|good|improvement|inadequate|outstanding|date", re.I)
        lines = [line for line in pages[0] if decides.search(line)]
        for line in lines[:14]:
            print(f"      {line}")


if __name__ == "__main__":
    main()
