"""The workbench and the leader's cockpit at 1366 px and 390 px: no sideways scrolling, the
time left beside each case, the cockpit's figures and lists on one screen's width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_navigation import SHOTS, WIDTHS, no_sideways_scroll
from tests.browser.test_office_shell import sign_in
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_dispatch, case_register
from xiaoneng.org.models import Department, User
from xiaoneng.workdays.models import Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=sorted(WIDTHS))
def sized(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield request.param, width, page
    context.close()


def _late_case() -> None:
    intake = User.objects.get(username="intake")
    case = case_register(
        by=intake,
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case = case_dispatch(case=case, by=intake, lead=basic)
    Clock.objects.filter(
        owner_type="cases.case", owner_id=case.pk, stage="sign_for", state="running"
    ).update(due_at=timezone.now() - timedelta(days=3))


def test_workbench_and_cockpit_fit_both_widths(sized, live_server, demo_org, demo_password):
    name, width, page = sized
    _late_case()
    sign_in(page, live_server, "handler_a", demo_password)
    page.wait_for_url(f"{live_server.url}/")
    remaining = page.get_by_test_id("group-sign_for").get_by_test_id("remaining")
    assert remaining.first.inner_text().startswith("已超期")
    no_sideways_scroll(page, width)
    page.screenshot(path=str(SHOTS / f"workbench-handler-{name}.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "leader", demo_password)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_test_id("cockpit-card").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/cockpit/")
    assert page.get_by_test_id("kpi-received").is_visible()
    assert page.get_by_test_id("cockpit-orders").is_visible()
    no_sideways_scroll(page, width)
    page.screenshot(path=str(SHOTS / f"cockpit-{name}.png"), full_page=True)
