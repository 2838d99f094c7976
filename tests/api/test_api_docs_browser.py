"""The API's documentation page in headless Chromium: drawn from the schema with nothing from outside the site."""

import pytest

pytestmark = pytest.mark.browser


def test_the_documentation_page_works_offline_within_the_content_security_policy(live_server, page, record):
    requested, problems = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(live_server.url + "/api/docs/")
    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"].split("; ")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = {operations.nth(index).inner_text().replace("\u200b", "").strip() for index in range(operations.count())}
    assert {"/api/councils/", "/api/inspections/", "/api/judgements/", "/api/findings/", "/api/key-figures/"} <= paths
    # A reader can try a query from the page, and it answers from the site.
    page.locator("#operations-inspections-inspections_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("tr[data-param-name='council'] input").fill("tower-hamlets")
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert page.locator(".live-responses-table tbody .response-col_status").first.inner_text().strip() == "200"
    outside = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert outside == []
    assert problems == []
