"""Check every finding in the built report archive against the report PDFs themselves.

    .venv/bin/python bench/findings_accuracy.py --pdfs DIR [--archive fixtures/data/ofsted/report_archive.jsonl]
                                                [--workers 2] [--show 40]

The reference is each PDF's own page text, read here with pypdf page by page, not the archive reader's lines:

* verbatim: every finding's text is found on the page it cites (or runs from it onto the next page), after the
  same repair on both sides: whitespace collapsed, a word broken at a hyphen rejoined ("multi- agency"), list
  markers and page furniture (page numbers, the running header and footer) taken out. A finding that holds a
  sub-list may have "; " where the report starts a new line for each sub-point;
* heading: the finding sits under a heading of its kind, the nearest findings or section heading above it in the
  report ("The local authority has the following strengths" for a strength, "Priority and immediate action"
  for an area for priority action, "Recommendations", "Areas for improvement" or "What needs to improve" for the
  rest). No finding may carry a heading inside it or say there is nothing to list;
* counts: per report, the list items printed under findings headings, counted here from the page text, against
  the findings the archive holds. A list's items are its top-level marked lines (numbered, or bulleted when the
  list is bulleted); a numbered line that only names a theme, with bulleted sentences under it, counts its
  sentences. A list ends at the next heading of another section. In the 2013 inspections of looked after
  children's services a numbered lead-in ("In order to improve ..., the local authority should take the following
  action.") introduces bulleted lists under timescales ("Immediately:"): the bullets are the items, and the list
  ends at the next section's grade ("Grade 3 (Adequate)").

Every report that differs is listed with what differs.
"""

import argparse
import json
import logging
import re
import sys
import warnings
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
ARCHIVE_FILE = PROJECT / "fixtures" / "data" / "ofsted" / "report_archive.jsonl"

STRENGTH, PRIORITY, IMPROVE = "strength", "area_for_priority_action", "what_needs_to_improve"
# Ofsted's headings for lists of findings (SIF 2013-18, ILACS 2018-), whole lines, with any "?", ":" or footnote.
FINDINGS_HEADINGS = (
    (r"The [\w’' ]{2,40}?(?:’s|'s) strengths|The [\w’' ]{2,40}? has the following strengths", STRENGTH),
    (r"Priority and immediate action|Areas? for priority action|Immediate action|Priority actions?", PRIORITY),
    (
        r"What needs to improve(?: in this local authority)?|What does the [\w ]{2,40}? need to improve"
        r"|Recommendations|Areas for improvement",
        IMPROVE,
    ),
)
# Headings that start another part of a report: a list of findings ends at them.
SECTION_HEADINGS = re.compile(
    r"(?:Summary for children(?: and young people)?|Information about this (?:inspection|local authority)"
    r"|Inspection findings\b.*|Executive summary|Summary of findings|Key strengths and weaknesses\b.*"
    r"|Progress since the last inspection|Inspection judgements? about .*|What the inspection judgements mean.*"
    r"|The inspection team|Review of the effectiveness of .*|Contents|Local authority.*Summary of findings"
    r"|The local authority|The Local Safeguarding Children Board.*|The LSCB|Section \d+:.*"
    r"|The experiences and progress of .*|The impact of leaders .*|Overall effectiveness.*"
    r"|The casework model used in this area|Children[’']s services in .* (?:are|is|requires?) .*"
    r"|Grade \d \((?i:outstanding|good|adequate|inadequate)\))",
)
# The 2013 reports' sentence introducing their lists of areas for improvement: no item itself.
LEAD_IN = re.compile(r"In order to improve\b")
# What a report prints under a heading with nothing to list.
NONE_STATEMENT = re.compile(r"(?:the inspection did not (?:find|identify)|there (?:are|were) no|no areas)\b", re.I)
GLUED_HEADING = re.compile(
    r"(?:^|[.:?)]\s)(?:The local authority has the following strengths|The local authority[’']s strengths"
    r"|Priority and immediate action|Areas for improvement|Areas for priority action|Recommendations\b"
    r"|What does the [\w ]{2,40}? need to improve)"
)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+")
BULLETED = re.compile(r"^[\uf06e\uf02d\u25fc\uf0a7\uf0b7\u2022\u25aa\u25cf]\s*")
DASHED = re.compile(r"^(?:[\u2212\u2013\u2014\uf0be\u2500\u2015-]|o)\s+")
MARKER = re.compile(f"{NUMBERED.pattern}|{BULLETED.pattern}|{DASHED.pattern}")


def main():
    arguments = argument_parser().parse_args()
    records = [json.loads(line) for line in arguments.archive.open(encoding="utf-8")]
    read = [record for record in records if record["status"] == "read" and arguments.only in record["path"]]
    jobs = [(str(arguments.pdfs / record["path"]), record) for record in read]
    with Pool(arguments.workers) as pool:
        results = pool.map(check_report, jobs, chunksize=4)
    print_results(results, arguments.show)


def argument_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE_FILE)
    parser.add_argument("--pdfs", type=Path, required=True, help="the folder the archive was built from")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="check only the reports whose path holds this text")
    parser.add_argument("--show", type=int, default=40, help="how many faults of each kind to quote")
    return parser


# The page text ---------------------------------------------------------------------------------------------------


def page_lines(path):
    """Each page's lines as pypdf extracts them, whitespace collapsed."""
    from pypdf import PdfReader  # noqa: PLC0415

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        texts = [page.extract_text() or "" for page in reader.pages]
    return [[line for line in map(clean, text.splitlines()) if line] for text in texts]


def clean(line):
    line = line.replace("\u00ad", "").replace("\u00a0", " ").replace("\ufb01", "fi").replace("\ufb02", "fl")
    return re.sub(r"\s+", " ", line).strip()


def furniture(pages):
    """Lines that are page furniture: a page number, or a line (less its digits) at the top or foot of most pages."""
    counts = Counter()
    for page in pages[1:]:
        counts.update({re.sub(r"\d+", "", line) for line in page[:3] + page[-3:]})
    common = {key for key, count in counts.items() if count >= max(3, (len(pages) - 1) // 2)}
    return lambda line: line.isdigit() or re.sub(r"\d+", "", line) in common


def marker_free(line):
    return line[MARKER.match(line).end() :] if MARKER.match(line) else line


# One report -------------------------------------------------------------------------------------------------------


def check_report(job):
    path, record = job
    try:
        pages = page_lines(path)
    except Exception as error:  # a PDF pypdf cannot read is reported, not fatal
        return {"path": record["path"], "error": str(error)}
    is_furniture = furniture(pages)
    # The report's body as (page, line) pairs, furniture out.
    body = [(number, line) for number, page in enumerate(pages, 1) for line in page if not is_furniture(line)]
    faults = []
    for finding in record["findings"]:
        faults += check_finding(finding, body)
    listed = listed_items(body)
    held = Counter(finding["kind"] for finding in record["findings"])
    return {
        "path": record["path"],
        "framework": record["framework"],
        "findings": len(record["findings"]),
        "kinds": dict(held),
        "faults": faults,
        "listed": dict(listed),
    }


def check_finding(finding, body):
    text, page = finding["text"], finding["page"]
    where = f"p{page} {finding['kind']}: {text[:90]}"
    faults = []
    if NONE_STATEMENT.match(text):
        faults.append(("none statement", where))
    if GLUED_HEADING.search(text):
        faults.append(("heading inside", where))
    start = locate(text, page, body)
    if start is None:
        faults.append(("not verbatim on its page", where))
        return faults
    heading = heading_above(body, start)
    if heading != finding["kind"]:
        faults.append((f"under a heading of kind {heading}", where))
    return faults


def locate(text, page, body):
    """The index in body of the line where the finding starts, when it is verbatim on its page (or runs onto the
    next); else None."""
    lines = [(index, marker_free(line).strip()) for index, (number, line) in enumerate(body) if number in (page, page + 1)]
    joined, starts = "", []
    for index, line in lines:
        # The hyphen repair, made as the lines are joined so that each line's place in the text is known.
        if re.search(r"[A-Za-z]-$", joined) and re.match(r"[A-Za-z]", line) and not re.match(r"(?:and|or|to)\b", line):
            starts.append((len(joined), index))
            joined += line
        else:
            joined += " " if joined else ""
            starts.append((len(joined), index))
            joined += line
    pattern = re.escape(re.sub(r"\s+", " ", text).strip()).replace(r";\ ", r";?\ ")
    match = re.search(pattern, joined)
    if not match:
        return None
    index = max(i for start, i in starts if start <= match.start())
    return index if body[index][0] == page else None


def heading_of(line):
    """The kind of findings a heading line heads, "section" for another part's heading, None for no heading."""
    if len(line) > 90 or not line[:1].isupper():
        return None
    for pattern, kind in FINDINGS_HEADINGS:
        if re.fullmatch(rf"(?:{pattern})[?:]?\d?", line, re.I):  # a contents entry ends " 8"
            return kind
    if SECTION_HEADINGS.fullmatch(line):
        return "section"
    return None


def heading_above(body, index):
    for number, line in reversed(body[:index]):
        if kind := heading_of(line):
            return kind
    return "none"


def listed_items(body):
    """The items printed under findings headings, by kind, counted from the page text."""
    counts = Counter()
    kind, top, theme = None, None, None
    for position, (_, line) in enumerate(body):
        heading = heading_of(line)
        if heading == "section":
            kind = None
            continue
        if heading:
            if heading == STRENGTH or kind is None or (kind == STRENGTH) != (heading == STRENGTH):
                top = None  # a new list (the sub-headings of one list keep its marker)
            kind = heading
            continue
        if kind is None:
            continue
        marker = next((m for m in (NUMBERED, BULLETED, DASHED) if m.match(line)), None)
        if marker is None:
            continue
        if top is None:
            top = marker
        if marker is top:
            following = body[position + 1][1] if position + 1 < len(body) else ""
            own = marker_free(line)
            # A numbered line naming a theme, with bulleted sentences under it: its bullets are the items.
            theme = (
                top is NUMBERED
                and not re.search(r"[.,;:]$", own)
                and re.match(r"[A-Z]", marker_free(following))
                and BULLETED.match(following)
            )
            if LEAD_IN.match(own):
                top = None  # the items are the bullets under the timescales that follow
            elif not theme and not NONE_STATEMENT.match(own):
                counts[kind] += 1
        elif theme and marker is BULLETED:
            counts[kind] += 1
    return counts


# The figures ------------------------------------------------------------------------------------------------------


def print_results(results, show):
    checked = [result for result in results if "error" not in result]
    findings = sum(result["findings"] for result in checked)
    faults = Counter()
    quoted = Counter()
    print(f"{len(results)} reports read from the archive; {len(checked)} checked against their PDFs.")
    for result in results:
        if "error" in result:
            print(f"  cannot read {result['path']}: {result['error']}")
    print(f"{findings} findings: {Counter(k for r in checked for k, n in r['kinds'].items() for _ in range(n))}")
    for result in checked:
        for fault, where in result["faults"]:
            kind = fault if not fault.startswith("under a heading") else "under a heading of another kind"
            faults[kind] += 1
            if quoted[kind] < show:
                quoted[kind] += 1
                print(f"  {kind}: {result['path']} {where}")
    verbatim = findings - faults["not verbatim on its page"]
    print(f"\nVerbatim on the cited page: {verbatim}/{findings} ({verbatim / max(1, findings):.2%})")
    for kind in ("under a heading of another kind", "heading inside", "none statement"):
        print(f"{kind}: {faults[kind]}")
    equal = [result for result in checked if sum(result["listed"].values()) == result["findings"]]
    print(
        f"Reports whose findings equal the items listed in the PDF: {len(equal)}/{len(checked)} "
        f"({len(equal) / max(1, len(checked)):.2%})"
    )
    by_kind = [result for result in checked if Counter(result["listed"]) != Counter(result["kinds"])]
    print(f"  and equal kind by kind: {len(checked) - len(by_kind)}/{len(checked)}")
    print("\nReports that differ (listed in the PDF / held):")
    for result in by_kind:
        listed, held = Counter(result["listed"]), Counter(result["kinds"])
        kinds = sorted(set(listed) | set(held))
        print(f"  {result['path']}: " + ", ".join(f"{kind} {listed[kind]}/{held[kind]}" for kind in kinds))


if __name__ == "__main__":
    sys.exit(main())
