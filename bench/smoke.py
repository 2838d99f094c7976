"""Runs every benchmark in bench/ once at a tiny scale, so that a broken benchmark fails CI.

    .venv/bin/python bench/smoke.py [--only NAME[,NAME...]]

Each script runs in its own process from the project folder, in the order below, with only the options
that make it small (scale 1 with few events and findings, one or two requests, a one-second wrk run);
nothing else is set, so what runs here runs from a fresh clone. Scripts that need inputs not in a clone
use what is shipped: the report PDFs under fixtures/reports. import_speed.py keeps its database for
pages.py, and archive_build_speed.py its archive for archive_accuracy.py.

The figures printed are not benchmark results (the data are tiny and the machine shared): this run checks
only that each script runs to the end and exits 0. It prints each script's exit code and seconds and exits
non-zero if any failed. tests/test_bench.py fails when a script in bench/ is missing from SMOKE_RUNS.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300  # per script; the whole smoke run takes about two minutes on 2 cores
TINY_SYNTHETIC = ["--events-per-council", "1", "--findings-per-inspection", "1"]

# Script -> its arguments for a tiny run, given the run's temporary folder.
SMOKE_RUNS = {
    "import_speed.py": lambda tmp: ["--database", str(tmp / "shipped.sqlite3")],
    "pages.py": lambda tmp: ["--runs", "1", "--database-url", f"sqlite:///{tmp / 'shipped.sqlite3'}"],
    "scale.py": lambda tmp: [
        "--databases", "postgresql", "--scales", "1,2", "--runs", "2", "--export-runs", "1", *TINY_SYNTHETIC,
        "--csv", str(tmp / "scale.csv"),
    ],  # fmt: skip
    "export_speed.py": lambda tmp: ["--findings", "1000"],
    "load_test.py": lambda tmp: [
        "--scale", "1", *TINY_SYNTHETIC, "--workers", "1", "--connections", "2", "--threads", "1",
        "--duration", "1", "--max-requests", "200", "--change-every", "0.3",
    ],  # fmt: skip
    "archive_build_speed.py": lambda tmp: ["fixtures/reports", "--output", str(tmp / "archive.jsonl")],
    "archive_accuracy.py": lambda tmp: ["--archive", str(tmp / "archive.jsonl"), "--pdfs", "fixtures/reports", "--sample", "2"],
    "findings_accuracy.py": lambda tmp: ["--archive", str(tmp / "archive.jsonl"), "--pdfs", "fixtures/reports", "--workers", "1"],
    "report_accuracy.py": lambda tmp: [],
    "restore_memory.py": lambda tmp: ["--bomb-mb", "8", "--empty-objects-mb", "1"],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated script names to run (default: all)")
    arguments = parser.parse_args()
    names = list(SMOKE_RUNS)
    if arguments.only:
        names = [name.strip() for name in arguments.only.split(",") if name.strip()]
        unknown = [name for name in names if name not in SMOKE_RUNS]
        if unknown:
            parser.error(f"not a benchmark here: {', '.join(unknown)} (choose from {', '.join(SMOKE_RUNS)})")

    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-smoke-") as folder:
        for name in names:
            command = [sys.executable, str(ROOT / "bench" / name), *SMOKE_RUNS[name](Path(folder))]
            print(f"\n==> bench/smoke.py: {' '.join(command[1:])}", flush=True)
            script_started = time.perf_counter()
            try:
                code = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS).returncode
            except subprocess.TimeoutExpired:
                print(f"bench/smoke.py: {name} did not finish within {TIMEOUT_SECONDS} s", file=sys.stderr)
                code = "timeout"
            results.append((name, code, time.perf_counter() - script_started))

    print(f"\nbench/smoke.py: each benchmark once at a tiny scale (not benchmark figures), {time.perf_counter() - started:.0f} s in all")
    for name, code, seconds in results:
        print(f"  {name:<26} {'ok' if code == 0 else f'FAILED (exit {code})':<18} {seconds:6.1f} s")
    failed = [name for name, code, _seconds in results if code != 0]
    if failed:
        print(f"bench/smoke.py: {len(failed)} of {len(results)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
