"""How long building the report archive takes, beside a floor measured in the same run.

    .venv/bin/python bench/archive_build_speed.py DIR [--workers 2]

DIR is the folder of council folders of report PDFs (JT-39/ofsted-ilacs-scrape-tool's
export_data/inspection_reports). The build writes to a temporary file, never to fixtures/. The floor is what
any build must do: read every file, hash it and open it as a PDF (no text), in one process. The target is the
whole archive in under 5 minutes on 2 cores; the machine may be shared, so the CPU time the build used, and
that time spread over the workers, are printed beside the wall-clock time and the load average.
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from inspections.importers.report_archive import build_archive, report_pdfs  # noqa: E402
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
    arguments = parser.parse_args()
    pdfs = report_pdfs(arguments.folder)
    load_before = os.getloadavg()[0]
    floor_seconds, pages = floor(pdfs)
    with tempfile.TemporaryDirectory() as folder:
        cpu_before, started = cpu_seconds(), time.perf_counter()
        summary = build_archive(arguments.folder, Path(folder) / "archive.jsonl", workers=arguments.workers)
        wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    print(f"{len(pdfs)} PDFs, {pages} pages; {sum(summary.read.values())} read, {len(summary.refused)} refused")
    print(f"{'floor (read, hash, open every PDF; 1 process)':<52} {floor_seconds:8.1f} s")
    print(f"{f'build, wall clock ({arguments.workers} workers)':<52} {wall:8.1f} s")
    print(f"{'build, CPU time of all processes':<52} {cpu:8.1f} s")
    print(f"{f'build, CPU time / {arguments.workers} workers (an unshared machine)':<52} {cpu / arguments.workers:8.1f} s")
    print(f"{'target':<52} {TARGET_SECONDS:8.1f} s")
    print(f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
