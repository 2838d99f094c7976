"""The inspection list at a laptop's width (1280 px): the table fits, no column squeezed unreadable."""

import datetime

import pytest

from inspections.frameworks import EventType, Framework
from inspections.models import Inspection
from tests.factories import CouncilFactory, InspectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inspection_list_fits_1280_px(live_server, page, admin_user, screenshot_dir):
    # The longest names the list can show: council, kind of event, framework, lead inspector.
    council = CouncilFactory(name="Bournemouth, Christchurch and Poole", slug="bcp")
    for framework, event_type in (
        (Framework.SAFEGUARDING_LAC_2009, EventType.STANDARD_INSPECTION),
        (Framework.LOOKED_AFTER_CHILDREN, EventType.LOOKED_AFTER_INSPECTION),
        (Framework.ILACS, EventType.LSCB_REVIEW),
        (Framework.ILACS, EventType.UNANNOUNCED_INSPECTION),
    ):
        InspectionFactory(
            council=council,
            framework=framework,
            event_type=event_type,
            start_date=datetime.date(2012, 3, 5),
            end_date=datetime.date(2012, 3, 16),
            lead_inspector="Alexandra Montgomery-Featherstonehaugh",
            status=Inspection.Status.PUBLISHED,
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/?next=/admin/inspections/inspection/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.screenshot(path=screenshot_dir / "admin-inspection-list-1280.png", full_page=True)

    widths = page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = table.closest('.results') || table.parentElement;
            return {
                table: table.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth,
                columns: [...table.querySelectorAll('thead th')].map(th => [th.innerText.trim(), th.getBoundingClientRect().width]),
            };
        }"""
    )
    assert widths["table"] <= widths["box"], widths
    assert widths["page"] <= 1280, widths
    for name, width in widths["columns"]:
        if name:  # the selection box's column has no name
            assert width >= 70, (name, widths)
    header_heights = page.eval_on_selector_all("#result_list thead th", "ths => ths.map(th => th.offsetHeight)")
    assert max(header_heights) <= 2 * min(header_heights), header_heights
