"""Every page under the Content Security Policy in Chromium: no violation anywhere, and the charts still draw.

Chromium reports each thing a policy blocks as a `securitypolicyviolation` event and a console message;
both are collected from before the page's first script runs. The admin's pages are opened as a superuser
and as a viewer (who sees the changelist's variant with an inline style).
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.conftest import wait_until_settled
from tests.security.conftest import make_user

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " " + (event.sample || "") +
      " at " + event.sourceFile + ":" + event.lineNumber + ":" + event.columnNumber
  );
});
"""

CHARTS = {"/": 4, "/councils/tower-hamlets/": 2, "/findings/?q=caseload": 1}


def open_watched(page, url):
    """Open url; return (response, [violations]) once the page has settled."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    response = page.goto(url)
    wait_until_settled(page)
    events = page.evaluate("window.__cspViolations || []")
    refused = [text for text in console if "Content Security Policy" in text or text.startswith("page error")]
    return response, events + refused


@pytest.fixture
def watched_page(page):
    page.context.add_init_script(WATCH_VIOLATIONS)
    return page


def public_paths(history):
    return [
        "/",
        "/councils/",
        "/councils/?region=E12000007&sort=-grade",
        "/councils/?grade=brilliant",  # 400 page
        "/councils/tower-hamlets/",
        history.short.get_absolute_url(),
        history.sif.get_absolute_url(),
        "/findings/",
        "/findings/?q=caseload",
        "/findings/?kind=rumour",  # 400 page
        "/export/",
        "/export/?grade=nonsense",  # 400 page
        "/no-such-page/",  # 404 page
    ]


def test_public_pages_have_no_csp_violations_and_draw_their_charts(live_server, history, watched_page):
    problems = {}
    for path in public_paths(history):
        response, violations = open_watched(watched_page, live_server.url + path)
        policy = response.headers.get("content-security-policy", "")
        assert "style-src 'self'" in policy and "unsafe-inline" not in policy, (path, policy)
        assert "script-src 'self'" in policy, (path, policy)
        expected = CHARTS.get(path, 0)
        if expected:
            charts = watched_page.locator("[data-chart]")
            assert charts.count() == expected, path
            for index in range(expected):
                charts.nth(index).locator("svg.main-svg").first.wait_for(state="attached")
            assert watched_page.locator("[data-chart].app-chart--drawn").count() == expected, path
            # Hover labels are drawn from the figures' text (line breaks and the like): show one per chart.
            for index in range(expected):
                points = charts.nth(index).locator(".point")
                if points.count():
                    points.first.hover(force=True)
                    watched_page.wait_for_timeout(100)
            violations += watched_page.evaluate("window.__cspViolations")[len(violations):]
            # plotly found its stylesheet (the file) and added no <style> of its own.
            assert watched_page.locator("style").count() == 0, path
            position = watched_page.eval_on_selector("svg.main-svg", "svg => getComputedStyle(svg).position")
            assert position == "absolute", "plotly.css is not applied"
        if violations:
            problems[path] = violations
    assert problems == {}


def test_plotly_css_matches_what_the_bundle_would_inject(page):
    """static/vendor/plotly/plotly.css holds exactly the rules plotly.js adds when a page lets it inject them."""
    bundle = finders.find("vendor/plotly/plotly-basic.min.js")
    stylesheet = finders.find("vendor/plotly/plotly.css")
    page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
    page.add_script_tag(path=bundle)
    injected = page.evaluate(
        "() => [...document.getElementById('plotly.js-style-global').sheet.cssRules].map(rule => rule.cssText)"
    )
    page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
    page.add_style_tag(path=stylesheet)
    shipped = page.evaluate("() => [...document.styleSheets[0].cssRules].map(rule => rule.cssText)")
    assert shipped == injected, (
        "plotly.css is out of date with the vendored plotly.js: rebuild it from these rules, in this order:\n"
        + "\n".join(injected)
    )


def admin_paths(history):
    inspection = history.short.pk
    return [
        reverse("admin:index"),
        reverse("admin:inspections_inspection_changelist"),
        reverse("admin:inspections_inspection_changelist") + "?status__exact=draft&q=caseload",
        reverse("admin:inspections_inspection_change", args=[inspection]),
        reverse("admin:inspections_inspection_history", args=[inspection]),
        reverse("admin:inspections_inspection_add"),
        reverse("admin:inspections_inspection_deleted"),
        reverse("admin:inspections_inspection_import_report"),
        reverse("admin:councils_council_changelist"),
        reverse("admin:councils_council_change", args=[history.council.pk]),
        reverse("admin:inspections_finding_changelist"),
        reverse("admin:inspections_keyfigure_changelist"),
        reverse("admin:inspections_source_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:password_change"),
    ]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("role", ["superuser", "viewer"])
def test_admin_pages_have_no_csp_violations(live_server, history, watched_page, role):
    sign_in(watched_page, live_server, make_user(role))
    problems = {}
    for path in admin_paths(history):
        # (A viewer gets 403 for the add and tool pages; those refusal pages are checked all the same.)
        _response, violations = open_watched(watched_page, live_server.url + path)
        if violations:
            problems[path] = violations
    # The admin's scripts at work: the date widgets' calendar and the council autocomplete.
    if role == "superuser":
        watched_page.goto(live_server.url + reverse("admin:inspections_inspection_add"))
        watched_page.locator(".datetimeshortcuts a").first.click()
        watched_page.locator(".select2-selection").first.click()
        watched_page.locator(".select2-container--open .select2-search__field").fill("Tow")
        watched_page.locator(".select2-results__option", has_text="Tower Hamlets").wait_for()
        violations = watched_page.evaluate("window.__cspViolations")
        if violations:
            problems["add form widgets"] = violations
    assert problems == {}


def test_admin_login_page_has_no_csp_violations(live_server, db, watched_page):
    User.objects.create_user("someone", password="correct horse battery staple", is_staff=True)
    _response, violations = open_watched(watched_page, live_server.url + reverse("admin:login"))
    watched_page.fill("#id_username", "someone")
    watched_page.fill("#id_password", "correct horse battery staple")
    watched_page.click("input[type=submit]")
    watched_page.wait_for_url(live_server.url + reverse("admin:index"))
    assert violations + watched_page.evaluate("window.__cspViolations") == []
