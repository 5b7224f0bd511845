"""The office navigation at 1366 px (one row of groups) and at 390 px (behind a menu button),
and the portal's top navigation on a phone: no page scrolls sideways, the current page marked.
Screenshots go to the folder the run prints at the end (``XN_SCREENSHOTS``, else
var/screenshots/)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot_folder
from tests.browser.test_office_shell import go, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = screenshot_folder() / "navigation"
SHOTS.mkdir(exist_ok=True)
WIDTHS = {"desktop": (1366, 800), "phone": (390, 780)}


@pytest.fixture(params=sorted(WIDTHS))
def sized(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    yield request.param, width, page
    context.close()


def no_sideways_scroll(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px wide)"


@pytest.mark.parametrize("username", ["xiaoneng", "head"])
def test_office_navigation_groups_and_menu_button(
    sized, username, live_server, demo_org, demo_password
) -> None:
    name, width, page = sized
    sign_in(page, live_server, username, demo_password)
    page.wait_for_url(f"{live_server.url}/")
    nav = page.get_by_test_id("office-nav")
    header_height = page.locator("header.topbar").bounding_box()["height"]
    if name == "desktop":
        assert nav.is_visible()
        assert not page.get_by_test_id("menu-button").is_visible()
        assert header_height < 80, "the header fits on one row at 1366 px"
    else:
        assert not nav.is_visible()
        page.get_by_test_id("menu-button").click()
        assert nav.is_visible()
    no_sideways_scroll(page, width)
    go(page, "办件", "工单")
    page.wait_for_load_state()
    no_sideways_scroll(page, width)
    if name == "phone":
        page.get_by_test_id("menu-button").click()
    current = page.locator("details.navgroup.current > summary")
    assert current.inner_text().strip().startswith("办件")
    page.screenshot(path=str(SHOTS / f"office-nav-{username}-{name}.png"), full_page=False)


def test_portal_navigation_marks_the_page_and_fits_a_phone(sized, live_server, demo_org) -> None:
    name, width, page = sized
    page.goto(f"{live_server.url}/portal/track/")
    nav = page.get_by_test_id("portal-nav")
    current = nav.locator('[aria-current="page"]')
    assert current.count() == 1
    assert current.inner_text() == "进度查询"
    last = nav.locator("a").last.bounding_box()
    assert last["x"] >= 0
    assert last["x"] + last["width"] <= width, "the last item is not cut"
    no_sideways_scroll(page, width)
    page.screenshot(path=str(SHOTS / f"portal-nav-{name}.png"), full_page=False)
