"""One truth, end to end in a real browser: a portal submission reaches the first-contact
officer's intake pool, is accepted, dispatched, handled, replied and rated, and the month's
figures then read the same on the portal, the efficiency office's dashboard and the bulletin."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.browser.test_office_shell import sign_in
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_reply, case_sign_for
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATE = re.compile(r"(\d+(?:\.\d+)?)%\s*\((\d+)\s*/\s*(\d+)")


def _portal_rate(page, metric: str) -> tuple[str, str, str]:
    row = page.locator(f'[data-testid="figures-metrics"] tr[data-metric="{metric}"]')
    value = row.locator("td").first.get_attribute("data-value")
    span = row.locator("[data-numerator]")
    return value, span.get_attribute("data-numerator"), span.get_attribute("data-denominator")


def _dashboard_rate(page, testid: str) -> tuple[str, str, str]:
    text = " ".join(page.get_by_test_id(testid).inner_text().split())
    found = RATE.search(text)
    assert found, f"{testid} shows a rate with its n: {text!r}"
    return found.group(1), found.group(2), found.group(3)


def _same_number(a: str, b: str) -> bool:
    return float(a) == float(b)


def test_portal_submission_to_rating_and_the_figures_agree(
    page, live_server, users, demo_password
) -> None:
    cache.clear()
    # 1. The public submits on the portal; the receipt says it waits for acceptance.
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="我要投诉").first.click()
    page.get_by_label("事项类别").select_option(label="招生入学")
    page.get_by_label("具体情况和您的诉求").fill("实验小学报名时要求家长购买指定校服，请核查。")
    page.get_by_label("您的姓名").fill("孙家长")
    page.get_by_label("您的手机号码").fill("13700004321")
    page.get_by_role("button", name="提交").click()
    assert page.get_by_role("heading", level=1).inner_text() == "已提交，等待受理"
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("tracking-secret").inner_text().strip()
    case = Case.objects.get(tracking_code=code)
    assert case.first_contact_id is None

    # 2. The first-contact officer finds it in the intake pool and accepts it.
    sign_in(page, live_server, "intake", demo_password)
    page.goto(f"{live_server.url}/intake/pool/")
    row = page.get_by_test_id("pool-row").filter(has_text=case.number)
    row.get_by_role("button", name="受理").click()
    page.get_by_role("status").filter(has_text="首问责任人").first.wait_for()
    case.refresh_from_db()
    assert case.first_contact.user.username == "intake"
    assert page.get_by_test_id("pool-row").filter(has_text=case.number).count() == 0

    # 3. The officer dispatches it from the case page; the department handles and replies.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("action-dispatch").locator("summary").click()
    basic = Department.objects.get(unit__code="bureau", code="basic")
    page.get_by_label("主办科室", exact=True).select_option(value=str(basic.pk))
    page.get_by_role("button", name="派单").click()
    page.get_by_text("已派单", exact=True).wait_for()
    case.refresh_from_db()
    assert case.state == State.DISPATCHED
    case = case_sign_for(case=case, by=users["handler_a"])
    case_reply(case=case, by=users["head"], text="经核查，学校已取消指定购买校服的要求。")

    # 4. The requester rates the reply on the portal.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("已解决").check()
    page.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in page.get_by_role("status").first.inner_text()
    case.refresh_from_db()
    assert case.state == State.CLOSED

    # The periodic job folds the new events into the rollups, as `xiaoneng serve` does.
    rollups_apply_all()
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    first_day = today.replace(day=1)

    # 5. The portal's monthly figures.
    page.goto(f"{live_server.url}/portal/figures/?month={month}")
    portal = {
        "completion": _portal_rate(page, "on_time_completion_rate"),
        "satisfaction": _portal_rate(page, "satisfaction_rate"),
    }
    assert int(portal["satisfaction"][2]) >= 1, "the rating just given is counted"

    # 6. The efficiency office's dashboard for the same month.
    sign_in(page, live_server, "xiaoneng", demo_password)
    page.goto(
        f"{live_server.url}/office/assessment/?date_from={first_day:%Y-%m-%d}&date_to={today:%Y-%m-%d}"
    )
    dashboard = {
        "completion": _dashboard_rate(page, "kpi-completion"),
        "satisfaction": _dashboard_rate(page, "kpi-satisfaction"),
    }

    # 7. A bulletin drafted for the month.
    page.goto(f"{live_server.url}/office/assessment/bulletins/")
    page.get_by_label("起始时间").fill(f"{first_day:%Y-%m-%d}")
    page.get_by_label("结束时间").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="起草通报").click()
    page.get_by_test_id("bulletin-text").wait_for()
    bulletin = " ".join(page.get_by_test_id("bulletin-text").inner_text().split())

    # The bulletin's whole-period sentence: 按时签收率…，按时办结率X%，满意率Y%（未评价…）.
    found = re.search(r"按时签收率[^，]*，按时办结率([\d.]+)%，满意率([\d.]+)%", bulletin)
    assert found, bulletin
    stated = {"completion": found.group(1), "satisfaction": found.group(2)}
    for name in ("completion", "satisfaction"):
        value, numerator, denominator = portal[name]
        shown, top, bottom = dashboard[name]
        assert (numerator, denominator) == (top, bottom), name
        assert _same_number(value, shown), name
        assert _same_number(stated[name], shown), name
