"""Every public page at a desktop's width (1280 px), a small laptop's (1024), a tablet's (768) and a phone's
(390): nothing clipped or overflowing.

A page fails when the document is wider than the window, when a table cell lies outside the window
other than inside a scroll region, when a table's scroll region is not keyboard-focusable and labelled,
when a table needs scrolling at all (it fits at 1280 px and stacks on a phone), when a grade badge is cut or
spills out of its cell, when a code name in a table breaks mid-word, when a chart's tick labels are
rotated, when a chart's text (axis title, legend entry, panel title) runs outside the chart or its legend
box, or when a chart's legend or panel titles cover one another. axe runs on every page at the phone's
width; test_browser_pages.py runs it on each kind of page at the desktop's (axe is most of this file's time).
With `pytest --screenshots`, a screenshot of each page at each width goes to test-output/screenshots/
(width-<page>-<width>.png) for a person to look over; not by default, as they take a third of the time.
"""

import datetime

import pytest

from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.models import Finding, Inspection, Source
from tests.conftest import wait_until_settled
from tests.histories import inspection
from tests.factories import CouncilFactory, FindingFactory, SourceFactory

pytestmark = pytest.mark.browser

DESKTOP, LAPTOP, TABLET, PHONE = 1280, 1024, 768, 390
WIDTHS = (DESKTOP, LAPTOP, TABLET, PHONE)

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
  const outside = (inner, outer) =>
    inner.width > 0 && (inner.right > outer.right + 1 || inner.left < outer.left - 1 ||
                        inner.bottom > outer.bottom + 1 || inner.top < outer.top - 1);
  // An inline badge's padding may rise above its line: only a badge wider than its cell spills out.
  const sideways = (inner, outer) => inner.width > 0 && (inner.right > outer.right + 1 || inner.left < outer.left - 1);
  const overlap = (a, b) => a.width && b.width && a.left < b.right - 1 && b.left < a.right - 1 &&
                            a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const tag of document.querySelectorAll("main .govuk-tag")) {
    const cell = tag.closest("td, th, dd");
    const caption = tag.closest("table, dl")?.querySelector("caption")?.innerText.slice(0, 30) || "a list";
    if (tag.scrollWidth > tag.clientWidth + 1) problems.push(`badge "${tag.innerText}" is cut (${caption})`);
    else if (cell && sideways(tag.getBoundingClientRect(), cell.getBoundingClientRect())) {
      problems.push(`badge "${tag.innerText}" spills out of its cell (${caption})`);
    }
  }
  // A code name ("council_slug") may break after an underscore, never inside a word.
  for (const code of document.querySelectorAll("main td code, main th code")) {
    const range = document.createRange();
    let before = null;
    for (const node of [...code.childNodes].filter((child) => child.nodeType === Node.TEXT_NODE)) {
      for (let index = 0; index < node.length; index += 1) {
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        if (before && top > before.top + 2 && !/[_\\s]/.test(before.character)) {
          problems.push(`"${code.textContent}" breaks mid-word`);
        }
        before = { top, character: node.data[index] };
      }
    }
  }
  for (const chart of document.querySelectorAll("[data-chart]")) {
    const svg = chart.querySelector(".main-svg");
    if (svg) {
      const area = svg.getBoundingClientRect();
      for (const text of chart.querySelectorAll(".g-xtitle text, .g-ytitle text, .annotation text, .gtitle")) {
        if (outside(text.getBoundingClientRect(), area)) {
          problems.push(`${chart.id}: "${text.textContent.slice(0, 40)}" runs outside the chart`);
        }
      }
      const notes = [...chart.querySelectorAll(".annotation")].map((note) => [note, note.getBoundingClientRect()]);
      notes.forEach(([note, box], index) => notes.slice(index + 1).forEach(([other, otherBox]) => {
        if (overlap(box, otherBox)) {
          problems.push(`${chart.id}: "${note.textContent.slice(0, 30)}" and "${other.textContent.slice(0, 30)}" overlap`);
        }
      }));
    }
    const legendBox = chart.querySelector(".legend .bg");
    if (legendBox) {
      const box = legendBox.getBoundingClientRect();
      for (const entry of chart.querySelectorAll(".legend .legendtext")) {
        if (outside(entry.getBoundingClientRect(), box)) {
          problems.push(`${chart.id}: legend entry "${entry.textContent.slice(0, 40)}" is cut`);
        }
      }
    }
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
        "council-requiring-improvement": "/councils/barking-and-dagenham/",
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
            if width == PHONE:  # axe's findings do not depend on the width between
                assert_no_axe_violations(page)
        assert problems == {}
    finally:
        context.close()
