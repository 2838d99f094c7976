"""Load test: gunicorn with several workers, WhiteNoise and PostgreSQL, driven by wrk, on 127.0.0.1 only.

    .venv/bin/python bench/load_test.py [--scale 10] [--workers 4] [--connections 16] [--duration 20]
                                        [--max-requests 50000] [--events-per-council 33]
                                        [--findings-per-inspection 30] [--change-every 10]

CI's tiny run (bench/smoke.py): --scale 1 --events-per-council 1 --findings-per-inspection 1 --workers 1
--connections 2 --threads 1 --duration 1 --max-requests 200 --change-every 0.3.

Starts a throwaway PostgreSQL 15 cluster (tests/postgres_cluster.py), writes synthetic data at --scale
(inspections.synthetic; scale 10 is 1,530 councils, ~50,000 inspections, ~1.5 million findings), collects
the static files, and starts gunicorn (the project's gunicorn.conf.py where there is one, gthread workers)
with DEBUG=0 on 127.0.0.1 and a free port (bench/wsgi.py: the site plus the floor view of bench/urls.py).
Then Debian's wrk (installed with apt-get when missing) sends requests for at most --duration seconds and
--max-requests requests over --connections keep-alive connections, asking for gzip as browsers do, after
a short warm-up, to
1. the floor: a minimal view rendering a small template through the same middleware, in the same run;
2. the national overview and the council page of the largest council (synthetic councils are all alike);
3. the same two pages while the data change every --change-every seconds (default 10): the bench writes
   a new data version as every write does (inspections/national_cache.py), so each change makes every
   worker render the page again.
Prints requests per second, latency percentiles (p50, p90, p99) and errors (socket errors and responses
other than 2xx/3xx), each page beside the floor, and the targets (at scale 10 with 4 workers: at least
400 requests/s, p99 under 100 ms and no error; while the data change, no error and p99 under 300 ms),
held, NOT held or not measured; then stops gunicorn and the cluster. Exits non-zero on any error, or if
a page answered no request at all.

Plain HTTP on the loopback interface: in production a proxy terminates TLS, so SECURE_SSL_REDIRECT is
off here (with it, every request would be a redirect).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
FLOOR = ("floor (minimal view)", "/__bench__/floor/")
PAGES = (("national overview", "/"), ("council page", "/councils/synthetic-00001/"))
TARGET_RPS, TARGET_P99_MS, TARGET_P99_CHANGING_MS = 400, 100, 300
# What inspections.national_cache.invalidate() writes: a new random version, and when the data changed.
NEW_DATA_VERSION = (
    "UPDATE inspections_dataversion SET value = floor(random() * 4e18)::bigint, changed_at = now() WHERE id = 1"
)

# wrk's Lua hooks: each thread stops after its share of --max-requests; done() prints the figures as JSON.
WRK_SCRIPT = """
wrk.headers["Accept-Encoding"] = "gzip"
local limit = tonumber(os.getenv("WRK_REQUESTS_PER_THREAD"))
local count = 0
function response(status, headers, body)
  count = count + 1
  if count >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    from tests.postgres_cluster import _apt_install

    log("wrk is not installed; installing Debian's wrk with apt-get")
    _apt_install("wrk")
    return shutil.which("wrk")


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="synthetic data scale (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per page at most (default 20)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="requests per page at most (default 50,000)")
    parser.add_argument("--events-per-council", type=int, default=33, help="synthetic events per council (default 33)")
    parser.add_argument("--findings-per-inspection", type=int, default=30, help="synthetic findings per graded inspection (default 30)")
    parser.add_argument("--change-every", type=float, default=10, help="seconds between data changes in the last runs (default 10; 0: no such runs)")
    args = parser.parse_args()

    from tests.postgres_cluster import PostgresCluster, free_port

    wrk = ensure_wrk()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder, PostgresCluster() as cluster:
        cluster.create_database("load")
        port = free_port(HOST)
        env = dict(
            os.environ,
            DATABASE_URL=cluster.url_for("load"),
            DJANGO_SETTINGS_MODULE="inspection_tracker.settings",
            DEBUG="0",
            SECRET_KEY="load-test-only-secret-key-" + "x" * 40,
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="0",
            STATIC_ROOT=str(Path(folder) / "static"),
            WEB_CONCURRENCY=str(args.workers),
            BIND=f"{HOST}:{port}",
            # Every request comes from this one address: a crowd of readers comes from many.
            API_THROTTLE_RATE="off",
        )
        manage = [sys.executable, str(ROOT / "manage.py")]
        started = time.perf_counter()
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run(
            [*manage, "generate_synthetic", "--scale", str(args.scale), "--seed", "1",
             "--events-per-council", str(args.events_per_council),
             "--findings-per-inspection", str(args.findings_per_inspection)],
            env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
        cluster.psql("ANALYZE", database="load")
        log(f"data and static files ready in {time.perf_counter() - started:.0f} s")

        server_log = open(Path(folder) / "gunicorn.log", "w")
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "bench.wsgi:application",
             "--bind", f"{HOST}:{port}", "--workers", str(args.workers), "--access-logfile", "/dev/null"],
            env=env, cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            base = f"http://{HOST}:{port}"
            wait_until_up(base + "/")
            script = Path(folder) / "wrk.lua"
            script.write_text(WRK_SCRIPT)
            results = []
            runs = [(FLOOR, None), *((page, None) for page in PAGES)]
            if args.change_every > 0:
                runs += [(page, args.change_every) for page in PAGES]
            for (label, path), change_every in runs:
                for _ in range(4 * args.workers):  # every worker's connection and cache warm
                    urllib.request.urlopen(base + path, timeout=30).read()
                changes = DataChanges(cluster, change_every) if change_every else None
                try:
                    figures = run_wrk(wrk, args, script, base + path)
                finally:
                    if changes:
                        changes.stop()
                figures["changes"] = changes.count if changes else 0
                figures["changing"] = bool(changes)
                results.append((label + (f", data changing every {change_every:g} s" if changes else ""), path, figures))
                log(f"{results[-1][0]}: {figures['requests']:,} requests in {figures['seconds']:.1f} s")
        finally:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait()
            server_log.close()

    print(
        f"\ngunicorn, {args.workers} workers, DEBUG=0, WhiteNoise, PostgreSQL 15, synthetic scale {args.scale}; "
        f"wrk {args.threads} threads, {args.connections} connections, at most {args.duration} s and "
        f"{args.max_requests:,} requests per page, gzip; 127.0.0.1 only.\n"
    )
    floor_rps = results[0][2]["rps"]
    print(f"{'page':55} {'requests':>9} {'req/s':>8} {'/ floor':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7} {'changes':>8}")
    for label, _path, f in results:
        print(f"{label:55} {f['requests']:9,} {'>' if f['capped'] else ''}{f['rps']:7.0f} {f['rps'] / floor_rps:8.2f} {f['p50_ms']:8.1f} "
              f"{f['p90_ms']:8.1f} {f['p99_ms']:8.1f} {f['errors']:7} {f['changes']:8}")  # fmt: skip
        failed |= f["errors"] > 0 or f["requests"] == 0
    print()
    for line in target_lines(args, results[1:]):
        print(line)
    if failed:
        print("\nErrors: see the counts above (connect, read, write, status, timeout):", file=sys.stderr)
        for label, _path, f in results:
            print(f"  {label}: " + ", ".join(f"{k} {f[k]}" for k in ("connect", "read", "write", "status", "timeout")), file=sys.stderr)
    return 1 if failed else 0


def run_wrk(wrk, args, script, url):
    run = subprocess.run(
        [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s", "-s", str(script), url],
        env=dict(os.environ, WRK_REQUESTS_PER_THREAD=str(max(1, args.max_requests // args.threads))),
        capture_output=True, text=True, check=True, timeout=args.duration + 60,
    )  # fmt: skip
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    # A thread that reaches its share of --max-requests stops, but wrk reports the whole duration: then the
    # rate is a lower bound (marked with >).
    figures["capped"] = figures["requests"] >= args.max_requests - args.threads
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


class DataChanges:
    """Writes a new data version every `seconds` (from a thread) until stopped, as an editor's saves would."""

    def __init__(self, cluster, seconds):
        self.cluster, self.seconds, self.count = cluster, seconds, 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopped.wait(self.seconds):
            self.cluster.psql(NEW_DATA_VERSION, database="load")
            self.count += 1

    def stop(self):
        self.stopped.set()
        self.thread.join()


def target_lines(args, results):
    """Each target, held or NOT held, or not measured when this run is not the one it is set for."""
    if args.scale != 10 or args.workers != 4:
        return [f"Targets: not measured (they are set at scale 10 with 4 workers; this run: scale {args.scale}, {args.workers} workers)."]
    lines = ["Targets (scale 10, 4 workers):"]
    for label, _path, f in results:
        if f["changing"]:
            held = f["errors"] == 0 and f["p99_ms"] < TARGET_P99_CHANGING_MS and f["changes"] > 0
            goal = f"no error, p99 under {TARGET_P99_CHANGING_MS} ms"
        else:
            held = f["errors"] == 0 and f["p99_ms"] < TARGET_P99_MS and f["rps"] >= TARGET_RPS
            goal = f"at least {TARGET_RPS} requests/s, p99 under {TARGET_P99_MS} ms, no error"
        verdict = "held" if held else "NOT held"
        lines.append(f"  {label}: {goal}: {verdict} ({f['rps']:.0f} requests/s, p99 {f['p99_ms']:.1f} ms, {f['errors']} errors)")
        if f["changing"] and not f["changes"]:
            lines.append("    (no data change happened during this run: it was too short to measure this)")
    return lines


if __name__ == "__main__":
    sys.exit(main())
