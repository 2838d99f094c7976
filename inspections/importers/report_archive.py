"""Read a folder of Ofsted report PDFs into one reviewable file: the national archive of council inspections.

The folder is laid out as JT-39/ofsted-ilacs-scrape-tool keeps its reports, `<Ofsted URN>_<council>/<file>.pdf`.
Each PDF becomes one JSON line: where it came from (path, SHA-256, the council's URN from its folder, the row of
ilacs_inspection_history.csv that names the file) and what parse_report() read, or why it refused the file.
Lines are sorted by path and keys by name, and nothing depends on the clock or the order workers finish, so the
same PDFs always give the same bytes. The file is written whole or not at all.
"""

import csv
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..dates import iso
from .report_limits import ParseLimits, parse_report_bounded
from .report_pdf import ReportError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data" / "ofsted"
ARCHIVE_FILE = FIXTURES / "report_archive.jsonl"
HISTORY_CSV = FIXTURES / "ilacs_inspection_history.csv"
FOLDER_NAME = re.compile(r"(?P<urn>\d{4,8})_(?P<council>.+)")


class ArchiveError(Exception):
    """Why the archive cannot be built, in one line."""


@dataclass
class BuildSummary:
    output: Path
    read: Counter = field(default_factory=Counter)  # by framework
    refused: list = field(default_factory=list)  # of (path, reason)
    warned: int = 0

    def lines(self):
        total = sum(self.read.values())
        frameworks = ", ".join(f"{count} {framework}" for framework, count in sorted(self.read.items()))
        yield f"{total} reports read ({frameworks}), {len(self.refused)} files refused, {self.warned} with warnings."
        for path, reason in self.refused:
            yield f"refused {path}: {reason}"
        yield f"Written to {self.output}."


def report_pdfs(folder):
    """Every PDF in the folder's council folders, by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArchiveError(f"{folder} is not a folder.")
    pdfs = sorted(path for path in folder.glob("*/*") if path.suffix.lower() == ".pdf" and path.is_file())
    if not pdfs:
        raise ArchiveError(f"{folder} holds no <urn>_<council>/*.pdf files.")
    return pdfs


def history_rows(path=HISTORY_CSV):
    """The history CSV's rows by (URN, file name), each with its line number in the CSV."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            return {(row["urn"], row["pdf_filename"]): (reader.line_num, row) for row in reader}
    except (OSError, KeyError, csv.Error) as error:
        raise ArchiveError(f"Cannot read the history CSV {path}: {error}.") from None


def build_archive(folder, output=ARCHIVE_FILE, *, history=HISTORY_CSV, workers=None, progress=None):
    """Read every report PDF under folder into output (JSON Lines); returns a BuildSummary.

    workers PDFs are read at once (default: one per core); progress, if given, is called as progress(done,
    total) after each file.
    """
    folder, output = Path(folder), Path(output)
    pdfs = report_pdfs(folder)
    rows = history_rows(history)
    limits = ParseLimits.from_settings()
    records = {}
    # Threads are enough: each waits, without the GIL, for the child process that reads its PDF.
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        futures = [pool.submit(read_pdf, path, path.relative_to(folder).as_posix(), limits) for path in pdfs]
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                record = future.result()
                records[record["path"]] = record
                if progress:
                    progress(done, len(pdfs))
        except BaseException:  # Ctrl-C, say: the files not yet started are not read (readers ignore Ctrl-C)
            pool.shutdown(cancel_futures=True)
            raise
    summary = BuildSummary(output)
    lines = []
    for path in sorted(records):
        record = records[path]
        record.update(provenance(path, rows))
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        if record["status"] == "read":
            summary.read[record["framework"]] += 1
            summary.warned += bool(record["warnings"])
        else:
            summary.refused.append((path, record["reason"]))
    write_whole(output, "".join(lines))
    return summary


def provenance(path, rows):
    """The council's URN from its folder name, and the history CSV's row that names the file."""
    folder, name = path.split("/", 1)
    match = FOLDER_NAME.fullmatch(folder)
    urn = match["urn"] if match else None
    line_row = rows.get((urn, name))
    history = None
    if line_row:
        line, row = line_row
        history = {"line": line, **{key: value for key, value in row.items() if key != "parser_version"}}
    return {"urn": urn, "history": history}


def read_pdf(path, relative, limits):
    """One file's record, as plain data."""
    data = path.read_bytes()
    record = {"path": relative, "sha256": hashlib.sha256(data).hexdigest()}
    try:
        report = parse_report_bounded(data, limits)
    except ReportError as error:
        return {**record, "status": "refused", "reason": str(error)}
    return {**record, "status": "read", **report_fields(report)}


def report_fields(report):
    return {
        "council_name": report.council_name,
        "title": report.title,
        "framework": str(report.framework),
        "event_type": str(report.event_type),
        "start_date": iso(report.start_date),
        "end_date": iso(report.end_date),
        "visits": [[iso(first), iso(last)] for first, last in report.visits],
        "published_date": iso(report.published_date),
        "lead_inspector": report.lead_inspector,
        "judgements": [[str(area), str(grade)] for area, grade in report.judgements],
        "not_judged": [str(area) for area in report.not_judged],
        "findings": [
            {"kind": point.kind, "area": str(point.area), "page": point.page, "text": point.text}
            for point in report.findings
        ],
        "warnings": list(report.warnings),
    }


def write_whole(output, text):
    """Write text to output through a temporary file beside it, so a failed build leaves the old file intact."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # a data file like any other, not mkstemp's private 0600
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
