"""How often the report PDF reader agrees with ilacs_inspection_history.csv, field by field.

    .venv/bin/python bench/report_accuracy.py [FOLDER] [--csv PATH]

Runs parse_report() over every PDF under FOLDER (default fixtures/reports) and compares each with the CSV row
for the same council and publication date (the date is taken from file names like
tower-hamlets_published-2019-07-22.pdf), else for the same council and start date. The CSV is itself
machine-read and has known faults (rows without dates or type, "to requires improvement", SIF reports marked
data_unreadable, short/standard guessed from the dates): it is a cross-check, so read every mismatch against
the PDF before blaming the reader. Exits non-zero if FOLDER holds no PDF. CI's tiny run (bench/smoke.py)
is the default run: the report PDFs shipped under fixtures/reports.
"""

import argparse
import csv
import datetime
import os
import re
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_tracker.settings")

import django  # noqa: E402

django.setup()

from django.utils.text import slugify  # noqa: E402

from inspections.frameworks import Area, EventType  # noqa: E402
from inspections.importers.report_pdf import ReportError, parse_report  # noqa: E402

CSV_PATH = PROJECT / "fixtures" / "data" / "ofsted" / "ilacs_inspection_history.csv"
LA_PATH = PROJECT / "fixtures" / "data" / "reference" / "local_authorities.csv"

# CSV values that say the CSV could not read a field: nothing to compare against.
UNKNOWN = {"", "data_unreadable"}
# CSV values that say the report has no such judgement.
NOT_JUDGED = {"inspection_pre_dates_judgement", "not_reported_post_reform"}
GRADE_COLUMNS = {
    "overall_effectiveness_grade": (Area.OVERALL_EFFECTIVENESS,),
    "impact_of_leaders_grade": (Area.LEADERSHIP,),
    "help_and_protection_grade": (Area.HELP_AND_PROTECTION,),
    "in_care_grade": (Area.CHILDREN_IN_CARE, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS),
    "care_leavers_grade": (Area.CARE_LEAVERS,),
}
EVENT_TYPES = {"short": EventType.SHORT_INSPECTION, "standard": EventType.STANDARD_INSPECTION}


def main():
    arguments = argument_parser().parse_args()
    rows = list(csv.DictReader(arguments.csv.open(encoding="utf-8-sig")))
    urns = council_urns()
    tally, mismatches, refused, unmatched = Counter(), [], [], []
    pdfs = sorted(arguments.folder.rglob("*.pdf"))
    if not pdfs:
        print(f"report_accuracy: no PDF under {arguments.folder}", file=sys.stderr)
        return 1
    for pdf in pdfs:
        try:
            report = parse_report(pdf)
        except ReportError as error:
            refused.append((pdf, str(error)))
            continue
        row = matching_row(pdf, report, rows, urns)
        if row is None:
            unmatched.append(pdf)
            continue
        for field, read, expected in comparisons(report, row):
            tally[field, read == expected] += 1
            if read != expected:
                mismatches.append((pdf, field, read, expected))
    print_results(arguments.folder, pdfs, tally, mismatches, refused, unmatched)
    return 0


def argument_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=PROJECT / "fixtures" / "reports")
    parser.add_argument("--csv", type=Path, default=CSV_PATH)
    return parser


# Matching a PDF to its CSV row -------------------------------------------------------------------------------


def name_key(name):
    name = re.sub(r"&", " and ", name.lower())
    name = re.sub(r"^(the |london borough of |royal borough of |city of )", "", name)
    name = re.sub(r" (metropolitan borough|borough|city|county|district)? ?council$", "", name)
    return slugify(name).replace("-and-", "-")


def council_urns():
    """Ofsted URN by every name a council goes by in the reference file."""
    urns = {}
    with LA_PATH.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            names = [row["local_authority_ons_name"], row["utla23nm"], row["ltla23nm"]]
            names += re.findall(r"[^\[\],]+(?:, City of)?", row["also_known_as"])
            for name in filter(str.strip, names):
                urns[name_key(name)] = row["urn"]
                urns[name_key(re.sub(r", City of$", "", name))] = row["urn"]
    return urns


def published_in_file_name(pdf):
    match = re.search(r"published-(\d{4}-\d{2}-\d{2})", pdf.name)
    return datetime.date.fromisoformat(match[1]) if match else None


def csv_date(text, year_format="%Y"):
    try:
        return datetime.datetime.strptime(text, f"%d/%m/{year_format}").date()
    except ValueError:
        return None


def matching_row(pdf, report, rows, urns):
    council = name_key(pdf.name.split("_published")[0]) if "_published" in pdf.name else name_key(report.council_name)
    urn = urns.get(council) or urns.get(name_key(report.council_name))
    published = published_in_file_name(pdf) or report.published_date

    def same_council(row):
        return row["urn"] == urn if urn else name_key(row["local_authority"]) == council

    candidates = [row for row in rows if same_council(row)]
    by_publication = [row for row in candidates if csv_date(row["publication_date"], "%y") == published]
    by_start = [row for row in candidates if csv_date(row["inspection_start_date"]) == report.start_date]
    found = by_publication or by_start
    return found[0] if found else None


# Comparing ----------------------------------------------------------------------------------------------------


def comparisons(report, row):
    """(field, read from the PDF, in the CSV) for every field the CSV gives a usable value for."""
    for field, read, expected in (
        ("start date", report.start_date, csv_date(row["inspection_start_date"])),
        ("end date", report.end_date, csv_date(row["inspection_end_date"])),
        ("lead inspector", report.lead_inspector.casefold(), row["inspector_name"].strip().casefold() or None),
        ("event type", report.event_type, EVENT_TYPES.get(row["inspection_framework"])),
    ):
        if expected is not None:
            yield field, read, expected
    grades = dict(report.judgements)
    for column, areas in GRADE_COLUMNS.items():
        expected = row[column].strip()
        if expected in UNKNOWN:
            continue
        read = next((grades[area] for area in areas if area in grades), None)
        yield column, read, None if expected in NOT_JUDGED else expected.replace(" ", "_")


def print_results(folder, pdfs, tally, mismatches, refused, unmatched):
    read = len(pdfs) - len(refused)
    print(f"{len(pdfs)} PDFs under {folder}: {read} read, {len(refused)} refused, {read - len(unmatched)} matched to")
    print("a CSV row (the CSV gives no values for SIF reports, so those are compared on nothing).\n")
    print(f"{'field':<30} {'agree':>7} {'compared':>9} {'accuracy':>9}")
    for field in dict.fromkeys(field for field, _ in tally):
        agree, total = tally[field, True], tally[field, True] + tally[field, False]
        print(f"{field:<30} {agree:>7} {total:>9} {agree / total:>9.1%}")
    agree, total = sum(n for (_, ok), n in tally.items() if ok), sum(tally.values())
    if total:
        print(f"{'all fields':<30} {agree:>7} {total:>9} {agree / total:>9.1%}")
    print("\nMismatches (check each against the PDF; the CSV has known faults):")
    for pdf, field, read, expected in mismatches:
        print(f"  {pdf.name}: {field}: PDF read {read!s}, CSV has {expected!s}")
    if not mismatches:
        print("  none")
    print("\nRefused:")
    for pdf, reason in refused:
        print(f"  {pdf.name}: {reason}")
    if unmatched:
        print("\nNo CSV row for: " + ", ".join(pdf.name for pdf in unmatched))


if __name__ == "__main__":
    sys.exit(main())
