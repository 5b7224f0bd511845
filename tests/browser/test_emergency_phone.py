"""A school reports an incident on a 390 px phone; 安全稳定科's A holder acknowledges the alert on
the board at 1366 px. No page of the school's part scrolls sideways on the phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xiaoneng.emergencies.models import Alert, Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def _context_page(browser, viewport) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    yield from _context_page(browser, PHONE)


@pytest.fixture
def desktop(browser) -> Iterator[object]:
    yield from _context_page(browser, DESKTOP)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width} px)"


def test_a_school_reports_on_a_phone_and_the_safety_desk_acknowledges(
    phone, desktop, live_server, demo_org, demo_password
) -> None:
    sign_in(phone, live_server, "school_handler", demo_password)
    phone.goto(f"{live_server.url}/office/emergencies/new/")
    form = phone.get_by_test_id("incident-form")
    no_sideways_scroll(phone)
    form.locator("[name=type]").select_option("food_safety")
    form.locator("[name=grade]").select_option("3")
    form.locator("[name=title]").fill("午餐后多名学生腹痛呕吐")
    form.locator("[name=place]").fill("学校食堂")
    form.locator("[name=injured]").fill("12")
    form.locator("[name=what_happened]").fill("午餐后12名学生出现腹痛、呕吐，已送医。")
    form.locator("[name=contact_phone]").fill("13800000000")
    form.get_by_role("button").click()
    phone.wait_for_url(f"{live_server.url}/office/emergencies/*/")
    incident = Incident.objects.get()
    assert phone.get_by_role("heading", level=1).inner_text() == "午餐后多名学生腹痛呕吐"
    no_sideways_scroll(phone)
    # The school's other safety pages fit the phone too.
    for path in ("", "roster/", "plans/", "drills/", "drills/status/"):
        phone.goto(f"{live_server.url}/office/emergencies/{path}")
        no_sideways_scroll(phone)

    alert = Alert.objects.get(incident=incident, recipient__user__username="safety_a")
    sign_in(desktop, live_server, "safety_a", demo_password)
    desktop.goto(f"{live_server.url}/office/emergencies/")
    assert incident.title in desktop.get_by_test_id("incident-board").inner_text()
    desktop.get_by_test_id(f"ack-{alert.pk}").click()
    desktop.wait_for_url(f"{live_server.url}/office/emergencies/{incident.pk}/")
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED
    assert "确认" in desktop.get_by_test_id("timeline").inner_text()
