"""Benchmark: the public pages and exports at scale 1 and scale 10, on SQLite and PostgreSQL.

    .venv/bin/python bench/scale.py [--runs 40] [--databases sqlite,postgresql] [--csv bench/results/scale.csv]

CI's tiny run (bench/smoke.py, about 30 s): --databases postgresql --scales 1,2 --runs 2 --export-runs 1
--events-per-council 1 --findings-per-inspection 1, and --csv into a temporary folder.

For each database (a SQLite file in a temporary folder; a throwaway PostgreSQL 15 cluster from
tests/postgres_cluster.py) a child process migrates an empty database, writes synthetic data with
inspections.synthetic.generate (scale 1: 153 councils, ~5,000 inspections, ~150,000 findings), runs
ANALYZE, measures, adds 9 more scales of synthetic data (scale 10: 1,530 councils, ~50,000
inspections, ~1.5 million findings), runs ANALYZE and measures again. Each process runs as
production does (DEBUG off, pages gzipped, caches as configured), with ROOT_URLCONF=bench.urls, which
adds the floor view: a minimal view rendering a small template through the same middleware. Requests
go through Django's test client, so times are the server's own work without a network.

Per page: median and p95 server time over --runs requests after two warm-up requests (so cached
national aggregates and the stored page are warm, as they are in production between data changes: these
time the page cache, inspection_tracker/page_cache.py), the time of one request just after every cache is
cleared ("cold": the page rendered), and the SQL queries of a cold and of a warm request. Per CSV
export (unfiltered, no compression): time to the first byte (the header) and to the first data row,
median and p95 over --export-runs requests that are closed after the first row, and rows per second
reading one whole export.

Prints a table with page/floor (p95 / floor p95) and scale-10/scale-1 (median / median; for exports
the first row and the time per row) and checks the targets: p95 within 5x the floor at scale 10 on
PostgreSQL, scale-10/scale-1 under 1.5 (the overview under 3), no query count growing with scale. The
closing summary names each target as held, NOT held, or not measured (a run without PostgreSQL, or without
scales 1 and 10, does not measure the targets set there). Writes every figure to the CSV file. Exits
non-zero if a page or export fails (a broken benchmark), not for a missed target.
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 1
PAGE_FLOOR_TARGET = 5.0
SCALE_TARGET = 1.5
OVERVIEW_SCALE_TARGET = 3.0
EXPORTS = ("councils", "inspections", "judgements", "findings", "key_figures")


def log(message):
    print(message, file=sys.stderr, flush=True)


# -- child: one database, every scale ---------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def pages():
    """(key, label, url) for the measured pages; the same rows at every scale (scale 10 appends)."""
    from inspections.frameworks import GRADED_EVENT_TYPES
    from inspections.models import Inspection

    council = "synthetic-00001"
    inspection = (
        Inspection.objects.filter(council__slug=council, event_type__in=GRADED_EVENT_TYPES)
        .order_by("-start_date")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        ("floor", "floor (minimal view)", "/__bench__/floor/"),
        ("overview", "national overview", "/"),
        ("council_list", "council list", "/councils/"),
        ("council_list_filtered", "council list, filtered", "/councils/?region=S12000001&grade=good&sort=-date"),
        ("council_page", "council page", f"/councils/{council}/"),
        ("inspection_page", "inspection page", f"/inspections/{inspection}/"),
        ("findings", "findings search (extra)", "/findings/"),
        ("findings_search", "findings search, words (extra)", "/findings/?q=caseloads&kind=strength"),
    ]


def time_request(client, url, **headers):
    started = time.perf_counter()
    response = client.get(url, secure=True, **headers)
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure_page(client, url, runs):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    for cache in caches.all(initialized_only=False):  # the national aggregates and the stored pages
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        cold = time_request(client, url, **gzip)
    queries_cold = len(queries)  # now: the next request empties the log it reads
    time_request(client, url, **gzip)  # warm up
    times = [time_request(client, url, **gzip) for _ in range(runs)]
    with CaptureQueriesContext(connection) as queries:
        time_request(client, url, **gzip)
    queries_warm = len(queries)
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "cold_ms": cold * 1000,
        "queries_cold": queries_cold,
        "queries": queries_warm,
    }


def measure_export(client, name, runs):
    url = f"/export/{name}.csv"
    client.get(url, secure=True).close()  # warm up

    def first_row():
        started = time.perf_counter()
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        first_byte = None
        seen = b""
        for chunk in response.streaming_content:
            chunk = chunk.encode() if isinstance(chunk, str) else chunk
            if first_byte is None:
                first_byte = time.perf_counter() - started
            seen += chunk[:4096]
            if seen.count(b"\n") >= 2:  # the header and the first row
                break
        elapsed = time.perf_counter() - started
        response.close()  # stops the query (PostgreSQL: cancels the COPY)
        return first_byte, elapsed

    results = [first_row() for _ in range(runs)]
    first_bytes, first_rows = [r[0] for r in results], [r[1] for r in results]

    started = time.perf_counter()
    response = client.get(url, secure=True)
    size = lines = 0
    for chunk in response.streaming_content:
        chunk = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    rows = lines - 1  # every cell is single-line in the synthetic data
    return {
        "median_ms": statistics.median(first_bytes) * 1000,
        "p95_ms": percentile(first_bytes, 0.95) * 1000,
        "first_row_median_ms": statistics.median(first_rows) * 1000,
        "first_row_p95_ms": percentile(first_rows, 0.95) * 1000,
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0,
        "mb": size / 1e6,
    }


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def child(args):
    os.environ["DJANGO_SETTINGS_MODULE"] = "inspection_tracker.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    settings.STATIC_ROOT = Path(args.static_root)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from councils.models import Council
    from inspections.models import Finding, Inspection, Judgement
    from inspections.synthetic import REAL_COUNCILS, generate

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    vendor = connection.vendor
    client = Client()
    results = {"vendor": vendor, "scales": {}}
    for scale in args.scales:
        present = Council.objects.count() // REAL_COUNCILS
        started = time.perf_counter()
        generate(
            scale - present,
            seed=SEED + present,
            events_per_council=args.events_per_council,
            findings_per_inspection=args.findings_per_inspection,
            report=lambda line: None,
        )
        generated = time.perf_counter() - started
        started = time.perf_counter()
        analyze()
        analysed = time.perf_counter() - started
        counts = {
            "councils": Council.objects.count(),
            "inspections": Inspection.objects.count(),
            "judgements": Judgement.objects.count(),
            "findings": Finding.objects.count(),
        }
        log(
            f"[{vendor}] scale {scale}: generated {scale - present} scale(s) in {generated:.0f} s, ANALYZE "
            f"{analysed:.1f} s: " + ", ".join(f"{n:,} {k}" for k, n in counts.items())
        )
        rows = {}
        for key, label, url in pages():
            runs = args.runs if not key.startswith("findings") else max(5, args.runs // 4)  # extras: fewer
            rows[key] = {"label": label, "url": url, **measure_page(client, url, runs)}
            log(f"[{vendor}] scale {scale}: {label:32} median {rows[key]['median_ms']:7.1f} ms  p95 {rows[key]['p95_ms']:7.1f} ms  "
                f"cold {rows[key]['cold_ms']:7.1f} ms  queries {rows[key]['queries_cold']}/{rows[key]['queries']}")  # fmt: skip
        for name in EXPORTS:
            key = f"export_{name}"
            rows[key] = {"label": f"export {name}.csv", "url": f"/export/{name}.csv"}
            rows[key].update(measure_export(client, name, args.export_runs))
            log(f"[{vendor}] scale {scale}: export {name:22} first byte p95 {rows[key]['p95_ms']:7.1f} ms  first row p95 "
                f"{rows[key]['first_row_p95_ms']:7.1f} ms  {rows[key]['rows']:,} rows at {rows[key]['rows_per_s']:,.0f}/s")  # fmt: skip
        results["scales"][str(scale)] = {"counts": counts, "generate_s": generated, "rows": rows}
    Path(args.output).write_text(json.dumps(results))


# -- parent: databases, table, targets ----------------------------------------------------------------


def run_child(database_url, args, folder, name):
    output = Path(folder) / f"{name}.json"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="inspection_tracker.settings",
    )
    command = [
        sys.executable, __file__, "--child", "--output", str(output), "--static-root", str(Path(folder) / "static"),
        "--runs", str(args.runs), "--export-runs", str(args.export_runs),
        "--scales", ",".join(map(str, args.scales)), "--events-per-council", str(args.events_per_council),
        "--findings-per-inspection", str(args.findings_per_inspection),
    ]  # fmt: skip
    if subprocess.run(command, env=env, cwd=ROOT).returncode != 0:
        raise BenchmarkBroken(f"the {name} process failed (its error is above)")
    return json.loads(output.read_text())


class BenchmarkBroken(Exception):
    pass


def ratio(a, b):
    return a / b if b else float("nan")


def table(all_results, scales):
    """Rows for the CSV and the printed table."""
    low, high = str(min(scales)), str(max(scales))
    records = []
    for result in all_results:
        vendor = result["vendor"]
        by_scale = result["scales"]
        for key, row in by_scale[high]["rows"].items():
            base = by_scale[low]["rows"][key]
            floor = by_scale[high]["rows"]["floor"]
            record = {"database": vendor, "page": key, "label": row["label"], "url": row["url"]}
            for scale in (low, high):
                current = by_scale[scale]["rows"][key]
                for field in ("median_ms", "p95_ms", "cold_ms", "queries_cold", "queries", "first_row_median_ms",
                              "first_row_p95_ms", "rows", "rows_per_s"):  # fmt: skip
                    if field in current:
                        value = current[field]
                        record[f"s{scale}_{field}"] = round(value, 2) if isinstance(value, float) else value
            export = key.startswith("export_")
            record["page_over_floor"] = round(ratio(row["p95_ms"], floor["p95_ms"]), 2)
            if export:
                # Exports grow with the data by design; what must hold is the time to the first row and the
                # time per row.
                record["scale_ratio"] = round(ratio(row["first_row_median_ms"], base["first_row_median_ms"]), 2)
                record["scale_ratio_per_row"] = round(ratio(base["rows_per_s"], row["rows_per_s"]), 2)
                record["first_row_over_floor"] = round(ratio(row["first_row_p95_ms"], floor["p95_ms"]), 2)
            else:
                record["scale_ratio"] = round(ratio(row["median_ms"], base["median_ms"]), 2)
            records.append(record)
    return records


def measured_targets(scales, databases):
    """Which targets this run's scales and databases measure: {target: None if measured, else why not}."""
    low, high = min(scales), max(scales)
    return {
        "floor": None if "postgresql" in databases and high >= 10 else
                 "needs PostgreSQL at scale 10 or more; this run: " + describe_run(scales, databases),
        "scale": None if low == 1 and high >= 10 else
                 "needs scales 1 and 10; this run: " + describe_run(scales, databases),
        "queries": None if len(scales) > 1 else "needs two scales; this run: " + describe_run(scales, databases),
    }  # fmt: skip


def describe_run(scales, databases):
    return f"{' and '.join(databases)}, scale {', '.join(map(str, scales))}"


def verdicts(record, measured):
    """The measured targets a record misses, as (target, words); empty: all held, or none measured."""
    misses = []
    key = record["page"]
    if key == "floor" or key.startswith("findings"):
        return misses
    if measured["floor"] is None and record["database"] == "postgresql" and record["page_over_floor"] > PAGE_FLOOR_TARGET:
        misses.append(("floor", f"p95 {record['page_over_floor']:.1f}x floor"))
    limit = OVERVIEW_SCALE_TARGET if key == "overview" else SCALE_TARGET
    if measured["scale"] is None and record["scale_ratio"] > limit:
        misses.append(("scale", f"s10/s1 {record['scale_ratio']:.2f}"))
    if measured["scale"] is None and record.get("scale_ratio_per_row", 0) > SCALE_TARGET:
        misses.append(("scale", f"per-row s10/s1 {record['scale_ratio_per_row']:.2f}"))
    if measured["queries"] is not None:
        return misses
    for kind in ("queries", "queries_cold"):
        scales = sorted(int(k[1:].split("_")[0]) for k in record if k.endswith("_" + kind) and k[1].isdigit())
        values = [record.get(f"s{s}_{kind}") for s in scales]
        if None not in values and len(values) > 1 and values[-1] > values[0]:
            misses.append(("queries", f"{kind.replace('_', ' ')} {values[0]}->{values[-1]}"))
    return misses


def missed_words(record, measured):
    return "; ".join(words for _target, words in verdicts(record, measured))


def print_table(records, scales, measured):
    low, high = min(scales), max(scales)
    head = (f"{'database':10} {'page':32} {f's{low} med':>9} {f's{low} p95':>9} {f's{high} med':>9} {f's{high} p95':>9} "
            f"{f's{high} cold':>9} {'queries':>9} {'p95/floor':>9} {f's{high}/s{low}':>8}  targets")  # fmt: skip
    print(head)
    print("-" * len(head))
    checked = any(why is None for why in measured.values())
    for record in records:
        misses = missed_words(record, measured)
        queries = f"{record.get(f's{high}_queries_cold', '')}/{record.get(f's{high}_queries', '')}"
        if record["page"].startswith("export_"):
            queries = ""
        status = "extra" if record["page"].startswith("findings") else ("" if record["page"] == "floor" else "ok" if checked else "not measured")
        print(
            f"{record['database']:10} {record['label'][:32]:32} {record[f's{low}_median_ms']:9.1f} {record[f's{low}_p95_ms']:9.1f} "
            f"{record[f's{high}_median_ms']:9.1f} {record[f's{high}_p95_ms']:9.1f} {record.get(f's{high}_cold_ms', float('nan')):9.1f} "
            f"{queries:>9} {record['page_over_floor']:9.2f} {record['scale_ratio']:8.2f}  {misses or status}"
        )  # fmt: skip
    exports = [r for r in records if r["page"].startswith("export_")]
    if exports:
        print("\nExports (first byte above; here the first data row and the whole file):")
        print(f"{'database':10} {'export':22} {f's{low} row p95':>11} {f's{high} row p95':>11} {'row/floor':>9} "
              f"{f's{low} rows/s':>11} {f's{high} rows/s':>11} {f's{high} rows':>11} {f'per-row s{high}/s{low}':>14}")  # fmt: skip
        for record in exports:
            print(
                f"{record['database']:10} {record['page'][7:]:22} {record[f's{low}_first_row_p95_ms']:9.1f}ms "
                f"{record[f's{high}_first_row_p95_ms']:9.1f}ms {record['first_row_over_floor']:9.2f} "
                f"{record[f's{low}_rows_per_s']:11,.0f} {record[f's{high}_rows_per_s']:11,.0f} {record[f's{high}_rows']:11,} "
                f"{record['scale_ratio_per_row']:14.2f}"
            )  # fmt: skip


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory = next(
        (int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        0,
    )  # fmt: skip
    return f"{os.cpu_count()} x {cpu}, {memory} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--export-runs", type=int, default=10, help="first-row requests per export (default 10)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (default)")
    parser.add_argument("--scales", default="1,10", help="scales to measure, ascending (default 1,10)")
    parser.add_argument("--events-per-council", type=int, default=33, help="synthetic events per council (default 33)")
    parser.add_argument("--findings-per-inspection", type=int, default=30, help="synthetic findings per graded inspection (default 30)")
    parser.add_argument("--csv", default=str(ROOT / "bench" / "results" / "scale.csv"), help="where to write the table")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--static-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.scales = sorted({int(s) for s in args.scales.split(",")})
    if args.child:
        return child(args)

    started = time.perf_counter()
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = [d for d in databases if d not in ("sqlite", "postgresql")]
    if unknown or not databases:
        parser.error(f"--databases: sqlite, postgresql or both, not {args.databases!r}")
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
            for database in databases:
                log(f"== {database}")
                if database == "sqlite":
                    results.append(run_child(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args, folder, database))
                else:
                    from tests.postgres_cluster import PostgresCluster

                    with PostgresCluster() as cluster:
                        cluster.create_database("bench")
                        results.append(run_child(cluster.url_for("bench"), args, folder, database))
    except BenchmarkBroken as error:
        print(f"scale.py: {error}", file=sys.stderr)
        return 1
    measured = measured_targets(args.scales, databases)
    records = table(results, args.scales)
    print(f"\nMachine: {machine()}; {datetime.date.today().isoformat()}.")
    for result in results:
        for scale, data in result["scales"].items():
            counts = ", ".join(f"{n:,} {k}" for k, n in data["counts"].items())
            print(f"{result['vendor']}, scale {scale}: {counts} (generated in {data['generate_s']:.0f} s)")
    print(f"Times in ms, server side (Django test client). {args.runs} requests per page after a warm-up; "
          "'cold' is one request after every cache is cleared (the page rendered; the others are served from "
          "the page cache); queries cold/warm.\n")  # fmt: skip
    print_table(records, args.scales, measured)
    print()
    print_summary(records, measured)
    csv_path = Path(args.csv)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    fields = list(dict.fromkeys(k for r in records for k in r)) + ["targets_missed"]
    with open(csv_path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({**record, "targets_missed": missed_words(record, measured)})
    print(f"\nWrote {csv_path} in {time.perf_counter() - started:.0f} s in all.")
    return 0


TARGETS = {
    "floor": "p95 within 5x the floor at scale 10 on PostgreSQL",
    "scale": "scale-10/scale-1 under 1.5 (the overview under 3; exports: first row and time per row)",
    "queries": "no query count grows with scale",
}


def print_summary(records, measured):
    """Each target: held, NOT held (with the pages that miss it) or not measured (and why), nothing more."""
    print("Targets:")
    for target, wording in TARGETS.items():
        if measured[target] is not None:
            print(f"  {wording}: not measured ({measured[target]})")
            continue
        misses = [
            f"{record['database']} {record['label']}: {words}"
            for record in records
            for missed, words in verdicts(record, measured)
            if missed == target
        ]
        print(f"  {wording}: {'NOT held' if misses else 'held'}")
        for miss in misses:
            print(f"    {miss}")


if __name__ == "__main__":
    sys.exit(main())
