"""Proves the browser plumbing: live server, Debian Chromium via Playwright, axe, screenshots.

Every page test relies on ``assert_no_axe_violations``; a check that never ran axe, or lost its results,
would let them all pass. So axe is shown a page it must pass and the same page with a fault it must report.
"""

import pytest
from django.contrib.auth.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMAGE_WITHOUT_ALT = """() => {
    const image = document.createElement("img");
    image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    image.id = "smoke-image-without-alt";
    document.querySelector("main, #content, body").appendChild(image);
}"""


@pytest.fixture
def staff_user():
    return User.objects.create_user("smoke", password="a-long-test-password", is_staff=True)


def test_the_live_server_serves_this_tests_database_to_chromium(live_server, page, staff_user, screenshot_dir):
    response = page.goto(live_server.url + "/admin/login/")
    assert response is not None and response.ok, response and response.status
    page.fill("input[name=username]", "smoke")
    page.fill("input[name=password]", "a-long-test-password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    # Signing in works only if the server thread reads the user this test committed.
    assert page.url == live_server.url + "/admin/", page.locator(".errornote").all_inner_texts()
    assert page.get_by_role("heading", name="Site administration").is_visible()
    assert "smoke" in page.locator("#user-tools").inner_text().lower()

    screenshot = screenshot_dir / "admin-index.png"
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_axe_passes_a_clean_page_and_reports_a_fault(live_server, page, axe, assert_no_axe_violations):
    # The site's own page, which needs no data (Django's admin login has no <h1>, which axe reports).
    response = page.goto(live_server.url + "/councils/")
    assert response is not None and response.ok, response and response.status
    results = assert_no_axe_violations(page)
    assert results.response["url"].startswith(live_server.url)
    assert results.response["passes"], "axe ran no checks"

    page.evaluate(IMAGE_WITHOUT_ALT)
    results = axe(page)
    image_alt = [violation for violation in results.response["violations"] if violation["id"] == "image-alt"]
    assert image_alt, results.response["violations"]
    assert [node["target"] for node in image_alt[0]["nodes"]] == [["#smoke-image-without-alt"]]

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page)
    assert "image-alt" in str(failure.value) and "#smoke-image-without-alt" in str(failure.value)
