"""Every public page at a desktop's width (1280 px) and a phone's (390 px): nothing clipped or overflowing.

A page fails when the document is wider than the window, when a table cell lies outside the window
other than inside a scroll region, when a table's scroll region is not keyboard-focusable and labelled,
when a table needs scrolling at all (it fits at 1280 px and stacks on a phone), when a chart's tick
labels are rotated, or when a chart's legend covers a panel title. axe runs on every page at the phone's
width; test_browser_pages.py runs it on each kind of page at the desktop's (axe is most of this file's time).
With `pytest --screenshots`, a screenshot of each page at each width goes to test-output/screenshots/
(width-<page>-<width>.png) for a person to look over; not by default, as they take a third of the time.
"""

import datetime

import pytest

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Finding, Inspection, Source
from tests.conftest import wait_until_settled
from tests.dashboard.conftest import inspection
from tests.factories import CouncilFactory, FindingFactory, SourceFactory

pytestmark = pytest.mark.browser

DESKTOP, PHONE = 1280, 390
WIDTHS = (DESKTOP, PHONE)

# Measured in the page: what lies outside the window, and how each table's scroll region behaves.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`document is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  for (const cell of document.querySelectorAll("main td, main th")) {
    const scroller = cell.closest(".app-table-scroll");
    const box = cell.getBoundingClientRect();
    if (!scroller && (box.right > width + 1 || box.left < -1)) {
      problems.push(`cell "${cell.innerText.slice(0, 30)}" is outside the window (${box.left}-${box.right})`);
    }
  }
  for (const table of document.querySelectorAll("main table")) {
    const scroller = table.closest(".app-table-scroll");
    const caption = table.querySelector("caption");
    const name = caption ? caption.innerText.slice(0, 40) : "a table";
    if (!scroller) {
      if (table.scrollWidth > table.parentElement.clientWidth + 1) problems.push(`${name} overflows`);
      continue;
    }
    const label = document.getElementById(scroller.getAttribute("aria-labelledby") || "");
    if (scroller.getAttribute("role") !== "region" || scroller.tabIndex !== 0 || !label || !label.innerText.trim()) {
      problems.push(`${name}: its scroll region is not a focusable, labelled region`);
    }
    if (scroller.scrollWidth > scroller.clientWidth + 1) {
      problems.push(`${name} is clipped: ${scroller.scrollWidth}px in ${scroller.clientWidth}px`);
    }
  }
  for (const chart of document.querySelectorAll("[data-chart]")) {
    for (const tick of chart.querySelectorAll(".xtick text")) {
      const turn = (tick.getAttribute("transform") || "").match(/rotate\\((-?[0-9.]+)/);
      if (turn && Math.abs(parseFloat(turn[1])) > 0.5) {
        problems.push(`${chart.id}: tick label "${tick.textContent}" is rotated`);
      }
    }
    const legend = chart.querySelector(".legend");
    if (legend) {
      const l = legend.getBoundingClientRect();
      for (const note of chart.querySelectorAll(".annotation")) {
        const a = note.getBoundingClientRect();
        if (a.width && l.left < a.right && a.left < l.right && l.top < a.bottom && a.top < l.bottom) {
          problems.push(`${chart.id}: the legend covers "${note.textContent}"`);
        }
      }
    }
  }
  return problems;
}"""


@pytest.fixture
def site(live_server, history, london):
    """The dashboard's history, with the widest content real data gives: long names, every area graded
    "requires improvement to be good", and statements reported in the press."""
    wide = CouncilFactory(name="Barking and Dagenham", slug="barking-and-dagenham", region=london)
    inspection(
        wide,
        EventType.STANDARD_INSPECTION,
        Framework.ILACS,
        datetime.date(2022, 7, 11),
        datetime.date(2022, 7, 22),
        grades={area: Grade.REQUIRES_IMPROVEMENT for area in (
            Area.OVERALL_EFFECTIVENESS, Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS
        )},
    )
    article = SourceFactory(kind=Source.Kind.NEWS_ARTICLE, publisher="Community Care", published_date=None)
    visit = Inspection.objects.filter(council=history.council, event_type=EventType.MONITORING_VISIT).first()
    FindingFactory(inspection=visit, kind=Finding.Kind.PRESS_REPORT, source=article, order=1,
                   text="Social workers struggle to articulate the practice model, inspectors found.")
    return live_server.url


def public_pages(history):
    pages = {
        "overview": "/",
        "councils": "/councils/",
        "councils-suggested": "/councils/?q=Towr+Hamletz+Borough+Cuncil",  # "Did you mean" and its links
        "council": "/councils/tower-hamlets/",
        "findings": "/findings/",
        "press": "/findings/?said_by=press",
        "export": "/export/",
        "coverage": "/coverage/",
    }
    events = Inspection.objects.published().filter(council=history.council).order_by("pk")
    for number, event in enumerate(events, start=1):  # named by place, so each run overwrites the last's
        pages[f"inspection-{number:02}"] = event.get_absolute_url()
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_fits_the_window(
    site, browser, history, width, screenshot_dir, assert_no_axe_violations, pytestconfig
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        problems = {}
        for name, path in public_pages(history).items():
            assert page.goto(site + path).ok, path
            wait_until_settled(page)
            found = page.evaluate(MEASURE)
            if found:
                problems[path] = found
            if pytestconfig.getoption("screenshots"):
                page.screenshot(path=screenshot_dir / f"width-{name}-{width}.png", full_page=True)
            if width == PHONE:
                assert_no_axe_violations(page)
        assert problems == {}
    finally:
        context.close()
