"""An editor's whole round in a real browser: sign in, read a report PDF, see a bad grade refused, publish; and
apply differences a re-read report shows."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from inspections.frameworks import EventType, Framework
from inspections.groups import EDITORS, setup_groups
from inspections.models import Inspection
from tests.factories import CouncilFactory, InspectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = settings.FIXTURES_DIR / "reports" / "tower-hamlets" / "tower-hamlets_published-2019-07-22.pdf"


@pytest.fixture
def editor():
    setup_groups()
    user = User.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_editor_imports_checks_and_publishes_a_report(live_server, page, editor, screenshot_dir):
    CouncilFactory(name="Tower Hamlets", slug="tower-hamlets")
    page.goto(live_server.url + "/admin/login/?next=/admin/inspections/inspection/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Import a report PDF").click()

    page.set_input_files("#id_report", str(REPORT))
    page.get_by_role("button", name="Read the report").click()
    assert "Read the report into a draft" in page.locator("ul.messagelist").inner_text()
    inspection = Inspection.objects.get()
    assert page.input_value("#id_lead_inspector") == "Marcie Taylor"
    assert page.locator("#id_status").input_value() == "draft"

    # Judgements read from an ILACS report cannot stand under the 2009-12 framework.
    page.select_option("#id_framework", "safeguarding_lac_2009")
    page.click("input[name=_continue]")
    assert "Existing judgements would no longer be valid" in page.locator(".errorlist").first.inner_text()
    page.screenshot(path=screenshot_dir / "admin-refused-grade.png", full_page=True)
    inspection.refresh_from_db()
    assert inspection.framework == "ilacs"

    page.select_option("#id_framework", "ilacs")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()

    page.goto(live_server.url + "/councils/tower-hamlets/")
    assert "Marcie Taylor" in page.locator("main").inner_text()


def test_judgement_menus_follow_the_framework_and_date(live_server, page, admin_user):
    page.goto(live_server.url + "/admin/login/?next=/admin/inspections/inspection/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.select_option("#id_framework", "ilacs")
    page.fill("#id_start_date", "11/11/2024")
    page.locator("#id_start_date").dispatch_event("change")
    page.locator("#judgements-group .add-row a").click()

    def offered(select):
        return set(
            page.eval_on_selector(select, "s => [...s.options].filter(o => o.value && !o.disabled).map(o => o.value)")
        )

    def why_not(select, value):
        return page.eval_on_selector(
            select, "(s, v) => [...s.options].filter(o => o.value === v && o.disabled && !o.hidden).map(o => o.text)", value
        )

    assert offered("#id_judgements-0-area") == {
        "overall_effectiveness", "leadership", "help_and_protection", "children_in_care", "care_leavers",
    }  # fmt: skip
    page.fill("#id_start_date", "10/06/2019")
    page.locator("#id_start_date").dispatch_event("change")
    assert "children_in_care_and_care_leavers" in offered("#id_judgements-0-area")
    assert "care_leavers" not in offered("#id_judgements-0-area")
    assert why_not("#id_judgements-0-area", "care_leavers") == [
        "Care leavers is judged separately only in inspections from 1 January 2023."
    ]
    page.fill("#id_start_date", "11/05/2026")
    page.locator("#id_start_date").dispatch_event("change")
    assert why_not("#id_judgements-0-area", "overall_effectiveness") == [
        "Overall effectiveness is not judged in inspections from 1 April 2026: the 2026 framework gives no such judgement."
    ]
    assert why_not("#id_judgements-0-area", "adoption") == []  # never an ILACS area: not in the menu at all
    page.select_option("#id_event_type", "lscb_review")
    assert offered("#id_judgements-0-area") == set()
    assert why_not("#id_judgements-0-area", "leadership")[0].startswith("Impact of leaders / leadership")
    page.select_option("#id_event_type", "standard_inspection")
    assert "overall_effectiveness" not in offered("#id_judgements-0-area") and "leadership" in offered("#id_judgements-0-area")
    page.select_option("#id_framework", "safeguarding_lac_2009")
    page.select_option("#id_judgements-0-area", "safeguarding_overall")
    assert offered("#id_judgements-0-grade") == {"outstanding", "good", "adequate", "inadequate"}


def test_editor_applies_two_differences_from_a_report(live_server, page, editor, screenshot_dir):
    kent = CouncilFactory(name="Kent", slug="kent")
    undated = InspectionFactory(
        council=kent, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=None,
        published_date=None, lead_inspector="",
    )  # fmt: skip
    page.goto(live_server.url + "/admin/login/?next=/admin/inspections/inspection/import-report/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")

    page.set_input_files("#id_report", str(settings.FIXTURES_DIR / "reports" / "sample" / "kent_published-2017-06-13.pdf"))
    page.get_by_role("button", name="Read the report").click()
    assert "matches an inspection already in the database" in page.locator("#content-main").inner_text()
    page.get_by_label("Apply start date").check()
    page.get_by_label("Apply lead inspector").check()
    page.screenshot(path=screenshot_dir / "admin-report-differences.png", full_page=True)
    page.get_by_role("button", name="Apply the ticked differences").click()

    assert "start date, lead inspector" in page.locator("ul.messagelist").inner_text()
    undated.refresh_from_db()
    assert str(undated.start_date) == "2017-03-06" and undated.lead_inspector == "Linda Steele"
    assert undated.end_date is None  # not ticked
    assert Inspection.objects.count() == 1
