"""The pages in headless Chromium: charts drawn, tables shown, navigation, filters, axe, no outside requests."""

import re

import pytest

from tests.conftest import wait_until_settled

pytestmark = pytest.mark.browser

PAGES = {
    "overview": ("/", 4),
    "council-list": ("/councils/", 0),
    "council": ("/councils/tower-hamlets/", 2),
    "findings": ("/findings/?q=caseload", 1),
    "coverage": ("/coverage/", 0),
    "export": ("/export/", 0),
}


def watch_requests(page, base_url):
    """Record every URL the page asks for, to prove nothing is loaded from outside the app."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def assert_only_local(requested, base_url):
    outside = [url for url in requested if not url.startswith(base_url) and not url.startswith("data:")]
    assert outside == [], outside


def assert_charts_drawn(page, expected):
    charts = page.locator("[data-chart]")
    assert charts.count() == expected
    for index in range(expected):
        chart = charts.nth(index)
        chart.locator("svg.main-svg").first.wait_for(state="attached")
        assert chart.locator("svg.main-svg").count() >= 1
        assert chart.get_attribute("role") == "group"
        # Its data are in a table next to it.
        section = page.locator("section.app-chart-section").nth(index)
        assert section.locator("table.govuk-table tbody tr").count() >= 1
        assert section.locator("h2").inner_text().strip()


@pytest.fixture
def site(live_server, history):
    return live_server.url


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_charts_and_tables_and_passes_axe(site, page, name, assert_no_axe_violations, screenshot_dir):
    path, chart_count = PAGES[name]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requested = watch_requests(page, site)
    response = page.goto(site + path)
    assert response.ok
    wait_until_settled(page)
    assert_charts_drawn(page, chart_count)
    assert page.locator("table.govuk-table").count() >= 1
    assert "not a government service" in page.locator("footer").inner_text()
    assert errors == []
    assert_only_local(requested, site)
    assert_no_axe_violations(page)
    if name in ("overview", "council"):
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)


def test_inspection_page_passes_axe(site, page, history, assert_no_axe_violations):
    page.goto(site + history.short.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("Short inspection")
    assert page.locator("table.govuk-table").count() == 1
    assert_no_axe_violations(page)


def test_inspection_page_with_its_report_and_sources_that_disagree_passes_axe(site, page, history, assert_no_axe_violations):
    from inspections.models import Disagreement, Source  # noqa: PLC0415
    from tests.factories import SourceFactory  # noqa: PLC0415

    report = SourceFactory(kind=Source.Kind.OFSTED_REPORT, url="https://files.ofsted.gov.uk/v1/file/1", file_name="report.pdf", sha256="0" * 64)
    other = SourceFactory(kind=Source.Kind.DATASET, title="ILACS inspection history")
    history.short.sources.add(report)
    Disagreement.objects.create(
        inspection=history.short, subject="end_date", kept_value="15 November 2024", kept_source=report,
        other_value="22 November 2024", other_source=other,
    )
    page.goto(site + history.short.get_absolute_url())
    page.get_by_text("About this record").click()
    assert "0" * 64 in page.locator("details", has_text="About this record").inner_text()
    assert page.locator("#sources-disagree").count() == 1
    assert_no_axe_violations(page)


def test_follow_the_timeline_to_an_inspection_and_back(site, page, history):
    page.goto(site + "/councils/tower-hamlets/")
    timeline = page.locator("ol.app-timeline > li")
    assert timeline.count() == 8
    assert timeline.first.locator("h3").inner_text().startswith("Unannounced inspection")
    page.locator(f"#inspection-{history.standard.pk} h3 a").click()
    page.wait_for_url(re.compile(rf"/inspections/{history.standard.pk}/$"))
    assert "Standard inspection" in page.locator("h1").inner_text()
    page.get_by_role("link", name=re.compile("^Next")).click()
    page.wait_for_url(re.compile(rf"/inspections/{history.focused.pk}/$"))
    page.get_by_role("link", name="Back to all inspections and visits of Tower Hamlets").click()
    page.wait_for_url(re.compile(rf"/councils/tower-hamlets/#inspection-{history.focused.pk}$"))
    assert page.locator("h1").inner_text() == "Tower Hamlets"


def test_apply_and_clear_a_filter(site, page, assert_no_axe_violations):
    page.goto(site + "/councils/")
    rows = page.locator("[aria-labelledby=councils-caption] tbody tr")  # the list, not the map's table
    assert rows.count() == 4  # the current councils: the former one only when asked for
    page.get_by_label("Grade at the latest full inspection").select_option("good")
    page.get_by_label("Area judged").select_option("overall_effectiveness")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"grade=good"))
    assert rows.count() == 2
    assert "2 councils match the filters" in page.locator("main").inner_text()
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(re.compile(r"/councils/$"))
    assert rows.count() == 4


def test_a_nonsense_filter_shows_the_problem(site, page, assert_no_axe_violations):
    response = page.goto(site + "/councils/?start_date_after=2024-02-30&grade=brilliant")
    assert response.status == 400
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem with the filters" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert_no_axe_violations(page)


def test_unknown_council_is_a_404_page(site, page, assert_no_axe_violations):
    response = page.goto(site + "/councils/atlantis/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_no_axe_violations(page)


def test_pages_work_without_javascript(site, browser, history):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/councils/tower-hamlets/")
        assert page.locator("svg.main-svg").count() == 0
        assert page.locator(".app-chart__no-js").first.is_visible()
        assert page.locator("#grade-history-caption").is_visible()
        assert page.locator("ol.app-timeline > li").count() == 8
        page.locator(f"#inspection-{history.sif.pk} h3 a").click()
        assert "Full inspection" in page.locator("h1").inner_text()
        page.goto(site + "/councils/?grade=outstanding")
        assert page.locator("[aria-labelledby=councils-caption] tbody tr").count() == 1
    finally:
        context.close()
