"""On a phone: submit a complaint, keep the code, read the reply, rate it."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from xiaoneng.cases.models import Case
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SHOTS = os.environ.get("XIAONENG_SCREENSHOTS", "")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page must not scroll sideways on a phone"
    if SHOTS:  # XIAONENG_SCREENSHOTS=/some/dir keeps a full-page picture of each step
        name = page.url.rstrip("/").rsplit("/", 1)[-1] or "home"
        page.screenshot(path=os.path.join(SHOTS, f"portal-{name}.png"), full_page=True)


def test_phone_submit_track_read_reply_and_rate(phone_page, live_server, users) -> None:
    from tests.portal.conftest import staff_reply

    cache.clear()
    page = phone_page
    page.goto(f"{live_server.url}/portal/")
    assert page.get_by_role("heading", level=1).inner_text() == "您可以在这里办理"
    no_sideways_scroll(page)
    page.get_by_role("link", name="我要投诉").first.click()

    page.get_by_label("事项类别").select_option(label="招生入学")
    page.get_by_label("具体情况和您的诉求").fill("孩子入学报名时学校要求交赞助费，请核查。")
    page.get_by_label("您的姓名").fill("吴家长")
    page.get_by_label("您的手机号码").fill("13800005678")
    page.get_by_label("我同意在本网站公开办理结果").check()
    no_sideways_scroll(page)
    page.get_by_role("button", name="提交").click()

    assert page.get_by_role("heading", level=1).inner_text() == "已提交，等待受理"
    assert "首问责任人" in page.get_by_test_id("next-step").inner_text()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("tracking-secret").inner_text().strip()
    no_sideways_scroll(page)

    case = Case.objects.get(tracking_code=code)
    basic = Department.objects.get(unit__code="bureau", code="basic")
    staff_reply(case, users, basic, text="经核查，学校已停止收取赞助费并退还。")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()

    assert "学校已停止收取赞助费并退还" in page.get_by_test_id("reply").inner_text()
    assert "已答复" in page.get_by_test_id("status").inner_text()
    assert page.get_by_test_id("handler").inner_text() == "李娜"
    assert page.get_by_test_id("head").inner_text() == "陈静"
    assert "已转交基础教育科办理" in page.get_by_test_id("timeline").inner_text()
    no_sideways_scroll(page)

    page.get_by_label("满意", exact=True).check()
    page.get_by_label("已解决").check()
    page.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in page.get_by_role("status").first.inner_text()
    no_sideways_scroll(page)
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.satisfaction == "satisfied"

    page.get_by_role("link", name="结果公开").click()
    assert case.number in page.content()
    page.get_by_role("link", name="数据公开").click()
    # Three charts, each drawn or saying it has no figures yet.
    assert page.get_by_test_id("chart").count() == 3
    drawn = page.locator("svg.chart-svg").count()
    assert drawn + page.get_by_test_id("chart-empty").count() == 3
    no_sideways_scroll(page)
