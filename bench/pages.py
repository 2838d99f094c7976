"""Server time, queries and transfer size of the public pages, on the shipped data.

Run from the project folder:

    .venv/bin/python bench/pages.py [--runs 20] [--database-url URL]

By default it loads every shipped data file (`manage.py load_data`) into a SQLite database in a
temporary folder; with --database-url it uses that database as it is (loading the data only if it
has no councils). It runs as production does: DEBUG off, static files collected into a temporary
folder and served by WhiteNoise (hashed, compressed, cached for a year), pages compressed by
GZipMiddleware. Requests go through Django's test client, so the times are the server's own work
(URL routing, views, queries, templates, middleware) without a network.

It prints, for each page, the server time and SQL queries of one request just after every cache is
cleared (the page rendered), then the median and slowest server time over --runs requests and the
queries of one more (these are served from the page cache, inspection_tracker/page_cache.py, as in production
between data changes), and the page's size before and after compression; then, for
the council page, what a browser transfers on a first visit (the page and every static file it
uses, compressed) and on a repeat visit (static files are cached: the page alone). Targets: under
1.5 MB first, under 150 KB repeat. This is a benchmark, not a test. It exits non-zero if a page does
not answer 200.

CI's tiny run (bench/smoke.py): --runs 1 --database-url on the SQLite file bench/import_speed.py --database
loaded, so the shipped data is loaded once.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FIRST_LOAD_BUDGET = 1.5 * 1024 * 1024
REPEAT_LOAD_BUDGET = 150 * 1024


def setup(folder, database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "inspection_tracker.settings"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "0"
    # Plain HTTP, as behind a proxy that terminates TLS: with the redirect on, every page would be a 301.
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(PROJECT))
    os.chdir(PROJECT)

    import django
    from django.conf import settings

    django.setup()
    settings.STATIC_ROOT = Path(folder) / "static"  # before WhiteNoise and the storage first read it

    from django.core.management import call_command

    from councils.models import Council

    call_command("migrate", verbosity=0)
    if not Council.objects.exists():
        print("Loading the shipped data (manage.py load_data) ...", flush=True)
        started = time.perf_counter()
        call_command("load_data", stdout=StringIO(), progress=False)
        print(f"  loaded in {time.perf_counter() - started:.1f} s", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)


def pages():
    """(label, URL) for each page, picking real rows from the database."""
    from django.db.models import Count

    from councils.models import Council
    from inspections.models import Inspection

    busiest = (
        Council.objects.exclude(slug="tower-hamlets")
        .annotate(n=Count("inspections"))
        .order_by("-n", "name")
        .values_list("slug", flat=True)
        .first()
    )
    inspection = (
        Inspection.objects.published()
        .graded()
        .filter(council__slug="tower-hamlets")
        .order_by("-start_date")
        .values_list("pk", flat=True)
        .first()
    ) or Inspection.objects.published().values_list("pk", flat=True).first()
    return [
        ("overview", "/"),
        ("council list", "/councils/"),
        ("council list, filtered and sorted", "/councils/?region=E12000007&grade=good&change=improved&sort=-date"),
        ("council page: Tower Hamlets", "/councils/tower-hamlets/"),
        (f"council page: {busiest} (busiest after TH)", f"/councils/{busiest}/"),
        ("inspection page", f"/inspections/{inspection}/"),
        ("findings", "/findings/"),
        ("findings: search", "/findings/?q=caseload&kind=what_needs_to_improve"),
    ]


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure(client, url, runs):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all(initialized_only=False):  # the national aggregates and the stored pages
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # rendered; also the warm-up
        cold = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    cold_queries = len(queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        compressed = body(client.get(url, HTTP_ACCEPT_ENCODING="gzip"))
    query_count = len(queries)  # now: the next request clears the log it reads
    plain = body(client.get(url))
    return {
        "cold_ms": cold * 1000,
        "cold_queries": cold_queries,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "queries": query_count,
        "html": len(plain),
        "html_gzip": len(compressed),
        "plain": plain.decode(),
    }


def transfer(client, url, html):
    """Bytes a browser receives for the page and its static files, compressed, first and repeat visit."""
    from django.conf import settings

    static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    assets = sorted(set(re.findall(rf'(?:href|src)="({re.escape(static_url)}[^"]+)"', html)))
    page = body(client.get(url, HTTP_ACCEPT_ENCODING="gzip"))
    rows, first, repeat = [("page", url, len(page), "no-cache (the page)")], len(page), len(page)
    for asset in assets:
        response = client.get(asset, HTTP_ACCEPT_ENCODING="gzip, br")
        size = len(body(response))
        cache = response.headers.get("Cache-Control", "")
        cached = "immutable" in cache or "max-age=31536000" in cache or "max-age=315360000" in cache
        rows.append(("static", asset, size, cache or "(none)"))
        first += size
        if not cached:
            repeat += size
    return rows, first, repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--database-url", help="use this database instead of a fresh SQLite one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        setup(folder, args.database_url)
        from django.db import connection
        from django.test import Client

        from councils.models import Council
        from inspections.models import Finding, Inspection

        client = Client()
        print(
            f"\nDatabase: {connection.vendor}; {Council.objects.count()} councils, "
            f"{Inspection.objects.published().count()} published inspections and visits, "
            f"{Finding.objects.count()} findings. 'rendered': one request after every cache is cleared; then "
            f"{args.runs} timed requests per page, served from the page cache, and the queries of one more.\n"
        )
        print(f"{'page':44} {'rendered':>9} {'queries':>8} {'median':>9} {'slowest':>9} {'queries':>8} {'HTML':>9} {'gzipped':>9}")
        results = {}
        for label, url in pages():
            result = measure(client, url, args.runs)
            results[label] = (url, result)
            print(
                f"{label[:44]:44} {result['cold_ms']:7.1f}ms {result['cold_queries']:8d} "
                f"{result['median_ms']:7.1f}ms {result['max_ms']:7.1f}ms {result['queries']:8d} "
                f"{result['html'] / 1024:7.1f}KB {result['html_gzip'] / 1024:7.1f}KB"
            )

        url, result = results["council page: Tower Hamlets"]
        rows, first, repeat = transfer(client, url, result["plain"])
        print(f"\nTransfer for {url} (bodies, compressed as served):")
        for kind, path, size, cache in rows:
            print(f"  {kind:6} {size / 1024:8.1f} KB  {path}  [{cache}]")
        verdict = lambda size, budget: "within" if size <= budget else "OVER"  # noqa: E731
        print(
            f"  first visit:  {first / 1024:8.1f} KB ({verdict(first, FIRST_LOAD_BUDGET)} the 1.5 MB budget)\n"
            f"  repeat visit: {repeat / 1024:8.1f} KB ({verdict(repeat, REPEAT_LOAD_BUDGET)} the 150 KB budget; "
            "static files are cached for a year under hashed names)"
        )


if __name__ == "__main__":
    main()
