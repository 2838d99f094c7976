"""Shared plumbing: browser tests (Playwright + headless Debian Chromium + axe), and data kept for a module.

Other fixtures belong in the test files (or tests/factories.py) that use them.

Writing a browser test::

    import pytest

    @pytest.mark.browser
    def test_something(live_server, page, assert_no_axe_violations):
        page.goto(live_server.url + "/")
        ...
        assert_no_axe_violations(page)

Notes:

* ``live_server`` implies ``transactional_db``: data is really committed (so
  the server thread sees it) and every table is flushed after the test.
* Playwright's sync API keeps an asyncio event loop running in the main
  thread, which trips Django's async-unsafe check; the ``browser`` fixture
  sets ``DJANGO_ALLOW_ASYNC_UNSAFE`` while Playwright runs (one test file) and
  stops Playwright after it. Browser tests also run after all other tests of a
  process, so that most of the suite keeps the check.
* We never download a browser (no ``playwright install``): Debian's
  ``chromium`` package is used, installed with apt when missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_DIR = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = PROJECT_DIR / "test-output" / "screenshots"


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="also save a full-page screenshot of every page the width tests open (test-output/screenshots/)",
    )


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config, items):
    # Browser tests last: once Playwright is running, the main thread has a
    # running event loop, and Django refuses ORM calls there unless
    # DJANGO_ALLOW_ASYNC_UNSAFE is set. Keeping them at the end means every
    # other test still runs with Django's check intact.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _install_chromium() -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    for cmd in (
        ["apt-get", *lock, "update"],
        ["apt-get", *lock, "install", "-y", "--no-install-recommends", "chromium"],
    ):
        print("[browser] running:", " ".join(cmd), flush=True)
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(
                f"`{' '.join(cmd)}` failed (exit {result.returncode}); browser tests need Debian's chromium.\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
                pytrace=False,
            )


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """/usr/bin/chromium, installed with apt (as root) when missing."""
    if not CHROMIUM_PATH.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.fail(
                f"{CHROMIUM_PATH} is missing and cannot be installed automatically "
                "(needs root and apt-get). Install it with: sudo apt-get install -y chromium",
                pytrace=False,
            )
        _install_chromium()
        if not CHROMIUM_PATH.exists():
            pytest.fail(f"apt-get installed chromium but {CHROMIUM_PATH} is still missing.", pytrace=False)
    return CHROMIUM_PATH


@pytest.fixture(scope="module")
def browser(chromium_path):
    """A headless Chromium for a test file (Playwright sync API).

    Per file, not per session: with the suite spread over processes (pytest-xdist, by file), a process
    may run a file of ordinary tests after a browser test, and must do so with Playwright's loop stopped
    and Django's async check back on.
    """
    from playwright.sync_api import sync_playwright

    # Set before Playwright starts its loop; restored when the browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium_path),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (no cookies or storage shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    # Playwright's own default: CI's shared machines have run the suite at half the usual speed.
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-chart]")].every(
  (chart) => chart.classList.contains("app-chart--drawn"))"""
# Two frames: events the page queued while loading (a blocked resource's securitypolicyviolation, a redraw
# after plotly's first pass) have been delivered by then.
TWO_FRAMES = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


def wait_until_settled(page):
    """Wait until the page has loaded and drawn its charts (within the context's timeout).

    Not Playwright's "networkidle" (no request for 500 ms), which its documentation advises against: it
    also waits on requests no test looks at (the favicon, say), and on CI's loaded machine it ran out of
    time on two admin pages.
    """
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN)
    page.evaluate(TWO_FRAMES)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """test-output/screenshots in the project (gitignored); created on demand."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


# -- data kept for a module ----------------------------------------------------


@contextmanager
def kept_for_the_module(django_db_blocker):
    """For a module-scoped fixture: what is written inside the block is there for each of the module's tests
    (each runs in a savepoint of this transaction, so its own changes are undone) and rolled back after them.
    For data that is slow to build and that the module's tests only read."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# -- axe -----------------------------------------------------------------------


def run_axe(page, context=None, options=None):
    """Run axe-core on the page; returns axe_playwright_python's AxeResults."""
    from axe_playwright_python.sync_playwright import Axe

    kwargs = {"context": context}
    if options is not None:
        kwargs["options"] = options
    return Axe().run(page, **kwargs)


def format_axe_violations(results) -> str:
    """A readable, one-block-per-rule report of axe violations."""
    violations = results.response.get("violations", [])
    lines = [f"{len(violations)} accessibility rule(s) violated on {results.response.get('url', '?')}:"]
    for violation in violations:
        lines.append("")
        lines.append(f"* {violation['id']} [{violation.get('impact') or 'n/a'}]: {violation.get('help', '')}")
        if violation.get("helpUrl"):
            lines.append(f"  {violation['helpUrl']}")
        for node in violation.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", "")).strip()
            lines.append(f"  - {target}")
            lines.append(f"      {html[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


@pytest.fixture
def axe():
    """``axe(page, context=None, options=None)`` -> AxeResults (does not assert)."""
    return run_axe


@pytest.fixture
def assert_no_axe_violations():
    """``assert_no_axe_violations(page, context=None, options=None)`` fails with a readable report."""

    def check(page, context=None, options=None):
        results = run_axe(page, context=context, options=options)
        if results.violations_count:
            report = format_axe_violations(results)
            print(report)
            pytest.fail(report, pytrace=False)
        return results

    return check


@pytest.fixture(autouse=True)
def _no_request_limit(settings):
    """Every request of the test client comes from one address, far faster than a reader's: the limit per
    address (API_THROTTLE_RATE, inspection_tracker/throttling.py) is off unless a test sets it."""
    settings.API_THROTTLE_RATE = "off"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached national aggregates of one test's data (keyed by
    a data version that is rolled back with it) must not meet another test's."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture
def london(db):
    from tests.histories import make_london

    return make_london()


@pytest.fixture
def history(london):
    """Tower Hamlets' history across every framework, with peers and a former council (tests/histories.py)."""
    from tests.histories import make_history

    return make_history(london)
