"""Benchmark: the findings CSV export against PostgreSQL's own COPY, on 1,000,000 generated findings.

    .venv/bin/python bench/export_speed.py [--findings 1000000]

Starts a throwaway PostgreSQL 15 cluster, writes synthetic data into it, then measures
1. COPY (the export's own query) TO STDOUT WITH CSV, through psycopg2, to /dev/null;
2. GET /export/findings.csv in a fresh Django process (so its peak memory is the export's alone),
   reading the stream to the end: time to first byte, rows per second, peak RSS.
Prints the rate ratio (target >= 0.5), the peak memory (target < 150 MB) and the first byte (< 1 s). The
targets are set at 1,000,000 findings: a smaller run prints its figures and "not measured" beside them.
Exits non-zero if the export does not answer 200 with every row (a broken benchmark, not a missed target).

The child runs as production does (DEBUG off) over plain HTTP, as behind a proxy that terminates TLS, so
SECURE_SSL_REDIRECT is off in its environment (with it, the export would answer a redirect).
CI's tiny run: `--findings 1000` (bench/smoke.py).
"""

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_FINDINGS = 1_000_000  # the size the targets are set at

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.test import Client
client = Client()
started = time.perf_counter()
response = client.get("/export/findings.csv")
first = first_row = None
size = lines = 0
if not response.streaming:
    print(json.dumps({"status": response.status_code, "lines": 0}))
    sys.exit(0)
for chunk in response.streaming_content:
    if first is None:
        first = time.perf_counter() - started
    size += len(chunk)
    lines += chunk.count(b"\n")
    if first_row is None and chunk.count(b"\n") > (1 if size == len(chunk) else 0):
        first_row = time.perf_counter() - started
total = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": response.status_code, "first_byte": first, "first_row": first_row, "seconds": total,
                  "bytes": size, "lines": lines, "peak_mb": peak_kb / 1024}))
"""


def target_verdict(findings, target, held):
    """A target's verdict, or "not measured" on a run smaller than the size it is set at."""
    if findings < TARGET_FINDINGS:
        return f"(target {target}: not measured, set at {TARGET_FINDINGS:,} findings)"
    return f"(target {target}: {'met' if held else 'NOT met'})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--findings", type=int, default=TARGET_FINDINGS, help="About how many findings to generate.")
    args = parser.parse_args()

    from tests.postgres_cluster import PostgresCluster

    with PostgresCluster() as cluster:
        cluster.create_database("bench")
        url = cluster.url_for("bench")
        os.environ["DATABASE_URL"] = url
        os.environ["DEBUG"] = "0"
        os.environ["SECURE_SSL_REDIRECT"] = "0"
        os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
        os.environ["DJANGO_SETTINGS_MODULE"] = "inspection_tracker.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from inspections.exports import DATASETS, filtered_queryset
        from inspections.synthetic import generate

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        per_inspection = max(1, args.findings // 5000)
        counts = generate(1, seed=1, findings_per_inspection=per_inspection, report=lambda line: None)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"generated {counts['findings']:,} findings in {time.perf_counter() - started:.0f} s")

        # The same query the unfiltered export runs (Ofsted's findings, not the press's), cells shaped in SQL,
        # written by COPY straight to /dev/null.
        dataset = DATASETS["findings"]
        rows_queryset = dataset.rows(filtered_queryset(dataset, {}))
        sql, params = rows_queryset.query.get_compiler(using=rows_queryset.db).as_sql()
        with connection.cursor() as cursor:
            copy_sql = "COPY (" + cursor.mogrify(sql, params).decode() + ") TO STDOUT WITH CSV"
            with open(os.devnull, "w") as sink:
                started = time.perf_counter()
                cursor.copy_expert(copy_sql, sink)
                copy_seconds = time.perf_counter() - started
        rows = rows_queryset.count()  # published Ofsted findings: the export's rows, fewer than generated
        connection.close()

        child = subprocess.run(
            [sys.executable, "-c", CHILD], env=dict(os.environ), capture_output=True, text=True, cwd=ROOT, check=True
        )
        export = json.loads(child.stdout.strip().splitlines()[-1])

    if export["status"] != 200 or export["lines"] != rows + 1:
        print(f"export_speed: /export/findings.csv answered {export['status']} with {export['lines']:,} lines, "
              f"expected 200 with {rows + 1:,} (the header and every finding)", file=sys.stderr)  # fmt: skip
        return 1
    copy_rate = rows / copy_seconds
    export_rate = rows / export["seconds"]
    ratio = export_rate / copy_rate
    print(f"rows                         {rows:>12,}")
    print(f"COPY TO STDOUT WITH CSV      {copy_seconds:>10.2f} s  {copy_rate:>12,.0f} rows/s")
    print(f"/export/findings.csv         {export['seconds']:>10.2f} s  {export_rate:>12,.0f} rows/s  "
          f"({export['bytes'] / 1e6:,.0f} MB, status {export['status']})")  # fmt: skip
    verdict = functools.partial(target_verdict, args.findings)
    print(f"rate ratio export/COPY       {ratio:>10.2f}     {verdict('>= 0.50', ratio >= 0.5)}")
    print(f"first byte (the header)      {export['first_byte']:>10.3f} s   {verdict('< 1 s', export['first_byte'] < 1)}")
    print(f"first data row               {export['first_row']:>10.3f} s")
    print(f"peak memory (Django process) {export['peak_mb']:>10.0f} MB  {verdict('< 150 MB', export['peak_mb'] < 150)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
