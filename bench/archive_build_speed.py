"""How long building the report archive takes, beside a floor measured in the same run.

    .venv/bin/python bench/archive_build_speed.py DIR [--workers 2] [--output FILE]

DIR is the folder of council folders of report PDFs (JT-39/ofsted-ilacs-scrape-tool's
export_data/inspection_reports). The build writes to a temporary file (or FILE, kept: what
bench/archive_accuracy.py --archive reads), never to fixtures/. The floor is what
any build must do: read every file, hash it and open it as a PDF (no text), in one process. The target is the
whole archive in under 5 minutes on 2 cores; the machine may be shared, so the CPU time the build used, and
that time spread over the workers, are printed beside the wall-clock time and the load average. The target is
checked only when DIR holds as many PDFs as the shipped archive file has lines (the whole archive); on fewer
it is "not measured". Exits non-zero if the build fails or reads no report.

The archive is not shipped, so CI's tiny run (bench/smoke.py) builds the report PDFs that are:
`bench/archive_build_speed.py fixtures/reports --output FILE`, then archive_accuracy.py reads FILE.
"""

import argparse
import hashlib
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_tracker.settings")

# No django.setup(): the build reads no database, and multiprocessing imports this module again in each
# child that reads a PDF (inspections/importers/report_limits.py), so its top level must stay cheap.
from pypdf import PdfReader  # noqa: E402

from multiprocessing import forkserver  # noqa: E402

from inspections.importers.report_archive import ARCHIVE_FILE, ArchiveError, build_archive, report_pdfs  # noqa: E402
from inspections.importers.report_pdf import quiet_pypdf  # noqa: E402

TARGET_SECONDS = 300


def cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def floor(pdfs):
    """Read, hash and open every PDF, counting pages: (seconds, pages)."""
    started, pages = time.perf_counter(), 0
    for path in pdfs:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        try:
            with quiet_pypdf():
                pages += len(PdfReader(io.BytesIO(data)).pages)
        except Exception:  # the HTML pages and damaged files: the build refuses them too
            continue
    return time.perf_counter() - started, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, help="keep the built archive file here (default: a temporary file)")
    arguments = parser.parse_args()
    try:
        pdfs = report_pdfs(arguments.folder)
        load_before = os.getloadavg()[0]
        floor_seconds, pages = floor(pdfs)
        with tempfile.TemporaryDirectory() as folder:
            cpu_before, started = cpu_seconds(), time.perf_counter()
            output = arguments.output or Path(folder) / "archive.jsonl"
            summary = build_archive(arguments.folder, output, workers=arguments.workers)
            wall = time.perf_counter() - started
            # The PDFs were read in children of the fork server (report_limits.py); their CPU time is counted
            # in this process's once the server has ended and been waited for (a private call: the standard
            # library has no public one, and a benchmark may lean on it).
            forkserver._forkserver._stop()
            cpu = cpu_seconds() - cpu_before
    except ArchiveError as error:
        print(f"archive_build_speed: {error}", file=sys.stderr)
        return 1
    whole_archive = sum(1 for _line in ARCHIVE_FILE.open(encoding="utf-8"))
    print(f"{len(pdfs)} PDFs, {pages} pages; {sum(summary.read.values())} read, {len(summary.refused)} refused")
    print(f"{'floor (read, hash, open every PDF; 1 process)':<52} {floor_seconds:8.1f} s")
    print(f"{f'build, wall clock ({arguments.workers} workers)':<52} {wall:8.1f} s")
    print(f"{'build, CPU time of all processes':<52} {cpu:8.1f} s")
    print(f"{f'build, CPU time / {arguments.workers} workers (an unshared machine)':<52} {cpu / arguments.workers:8.1f} s")
    print(f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    target = f"target: the whole archive ({whole_archive} PDFs) in under {TARGET_SECONDS} s, wall clock"
    if len(pdfs) != whole_archive:
        print(f"{target}: not measured (this run built {len(pdfs)} PDFs)")
    else:
        print(f"{target}: {'held' if wall < TARGET_SECONDS else 'NOT held'} ({wall:.1f} s)")
    if not sum(summary.read.values()):
        print("archive_build_speed: no report was read", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
