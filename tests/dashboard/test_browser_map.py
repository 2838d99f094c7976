"""The map on the shipped data in headless Chromium: every current council a shape that links to its page,
reachable by keyboard, nothing requested from outside the app, and axe finds nothing wrong."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from councils.models import Council

pytestmark = pytest.mark.browser


@pytest.fixture
def shipped(live_server):
    """The shipped data (load_data), committed so that the live server sees it; flushed after the test."""
    call_command("load_data", verbosity=0)
    return live_server.url


def refuse_outside_requests(page, base_url):
    """Every request leaving the app is refused, and recorded; so is one the Content-Security-Policy stopped
    before it left (Chromium reports it as a console error)."""
    outside = []
    page.on("console", lambda message: message.type == "error" and outside.append(message.text))

    def handle(route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", handle)
    return outside


def test_every_current_council_is_a_shape_linking_to_its_page(shipped, page, assert_no_axe_violations):
    outside = refuse_outside_requests(page, shipped)
    response = page.goto(shipped + reverse("overview"))
    assert response.ok
    councils = {council.get_absolute_url(): council.name for council in Council.objects.current()}
    assert len(councils) == 153

    links = page.locator("svg.app-map a.app-map__council")
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert sorted(hrefs) == sorted(councils)  # one shape each, every one a council's page
    titles = links.evaluate_all("links => links.map(link => link.querySelector('title').textContent)")
    for href, title in zip(hrefs, titles, strict=True):
        assert title.startswith(councils[href] + ": ")
    # Each shape is drawn (has an area on the screen), London's in the inset too.
    sizes = links.evaluate_all("links => links.map(link => link.getBoundingClientRect().width)")
    assert min(sizes) > 0

    # By keyboard: Tab from the area's button passes the skip link to the first shape; Enter opens its page.
    first_href = hrefs[0]
    page.get_by_role("button", name="Show on the map").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip the map's links to the table"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_href
    page.keyboard.press("Enter")
    page.wait_for_url(shipped + first_href)
    assert page.locator("h1").inner_text() == councils[first_href]
    for index in (1, len(hrefs) - 1):  # the next shape, and the last (a London borough in the inset)
        page.goto(shipped + reverse("overview"))
        links.nth(index - 1).focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == hrefs[index]
        page.keyboard.press("Enter")
        page.wait_for_url(shipped + hrefs[index])
        assert page.locator("h1").inner_text() == councils[hrefs[index]]

    page.goto(shipped + reverse("overview") + "?map=leaders")
    assert page.locator("svg.app-map a.app-map__council").count() == 153
    assert_no_axe_violations(page, context="#map")

    page.goto(shipped + reverse("council-list"))
    assert page.locator("svg.app-map a.app-map__council").count() == 153
    page.get_by_label("Judgement area").select_option("children_in_care")
    page.get_by_role("button", name="Show on the map").click()
    page.wait_for_url(re.compile(r"map=children_in_care#map$"))
    assert page.locator("#map-title").inner_text() == "Map of the current children in care grades"
    assert_no_axe_violations(page, context="#map")
    assert outside == []
