"""Proves the browser plumbing: live server, Debian Chromium via Playwright, axe, screenshots."""

import pytest


@pytest.mark.browser
def test_admin_login_page_renders_and_axe_runs(live_server, page, axe, screenshot_dir):
    response = page.goto(live_server.url + "/admin/login/")
    assert response is not None and response.ok, response and response.status

    form = page.locator("form#login-form")
    assert form.is_visible()
    assert page.locator("input[name=username]").count() == 1
    assert page.locator("input[name=password]").count() == 1
    assert page.locator("input[type=submit]").count() == 1

    results = axe(page)
    # Only the plumbing is under test here, not Django admin's own markup.
    assert results is not None
    assert isinstance(results.response.get("violations"), list)
    assert results.response.get("url", "").startswith(live_server.url)

    page.screenshot(path=screenshot_dir / "admin-login.png", full_page=True)
    assert (screenshot_dir / "admin-login.png").stat().st_size > 0
