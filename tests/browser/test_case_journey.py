"""A complaint from intake to reply in a real browser, in Chinese, with A/B posts and colours.

The intake officer registers and dispatches; the A holder is away, so the B holder sees the case
on the workbench marked as standing in, signs for it and replies; the efficiency office sees it
move; when the clock is moved past the pre-warning, the colour changes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import screenshot_folder
from tests.browser.test_office_shell import go, sign_in
from xiaoneng.cases.models import Case
from xiaoneng.org.models import Staff
from xiaoneng.org.services import absence_record
from xiaoneng.workdays.models import Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.get_by_role("button", name="退出").click()


# Each check box of the page with the box of its <label for>: [id, box, label's box, label's
# line height], the boxes as [left, top, right, bottom].
CHECKBOXES_JS = """() => [...document.querySelectorAll('main input[type=checkbox]')]
  .filter((box) => box.offsetParent !== null && box.id)
  .map((box) => {
    const label = document.querySelector(`label[for="${box.id}"]`);
    const r = (el) => {
      const b = el.getBoundingClientRect();
      return [b.left, b.top, b.right, b.bottom];
    };
    return [box.id, r(box), label ? r(label) : null,
            label ? parseFloat(getComputedStyle(label).lineHeight) || 20 : 0];
  })"""


def assert_checkboxes_beside_their_labels(page, name: str) -> None:
    """At 1366 px and at 390 px each check box sits left of its label, on the label's first
    line (not on a line of its own above it); a screenshot of each width is kept."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        boxes = page.evaluate(CHECKBOXES_JS)
        assert boxes, "no check box on the page"
        for box_id, box, label, line in boxes:
            assert label is not None, f"{box_id} has no <label for>"
            assert box[2] <= label[0], (
                f"{box_id} at {width}px is not left of its label: {box} {label}"
            )
            middle = (box[1] + box[3]) / 2
            assert label[1] <= middle <= label[1] + line, (
                f"{box_id} at {width}px is not on its label's first line: {box} {label}"
            )
        page.screenshot(path=str(screenshot_folder() / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_complaint_from_intake_to_reply(page, live_server, demo_org, demo_password) -> None:
    now = timezone.now()
    absence_record(
        staff=Staff.objects.get(user__username="handler_a"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=5),
        kind="leave",
        by=None,
    )

    # 1. The intake officer registers a complaint and dispatches it.
    sign_in(page, live_server, "intake", demo_password)
    go(page, "办件", "首问登记")
    assert_checkboxes_beside_their_labels(page, "intake-checkboxes")
    # The label is the box's: a click on it ticks the box, and the box has the label's name.
    anonymous = page.get_by_label("匿名举报", exact=True)
    page.locator("label[for=id_is_anonymous]").click()
    assert anonymous.is_checked()
    anonymous.press("Space")
    assert not anonymous.is_checked()
    page.get_by_label("渠道").select_option("hotline")
    page.get_by_label("类型").select_option("complaint")
    page.get_by_label("类别").select_option(label="招生入学")
    page.get_by_label("诉求人姓名").fill("周家长")
    page.get_by_label("诉求人电话").fill("13500002222")
    page.get_by_label("标题").fill("第一中学违规收取择校费")
    page.get_by_label("内容", exact=True).fill("家长来电反映第一中学招生时收取择校费，请核查。")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/cases/*/")
    assert "已登记" in page.get_by_role("status").first.inner_text()
    assert page.get_by_test_id("case-state").inner_text() == "已登记"
    assert "135****2222" in page.get_by_test_id("requester").inner_text()
    page.get_by_test_id("action-dispatch").locator("summary").click()
    # A lead department is suggested (read from the text, else from the category); the officer
    # decides, here for the basic education department.
    assert page.get_by_label("主办科室", exact=True).input_value() != ""
    lead = page.get_by_label("主办科室", exact=True)
    # Each department is named with its unit ("… · 基础教育科").
    basic = lead.locator("option", has_text="基础教育科").first.get_attribute("value")
    lead.select_option(value=basic)
    page.get_by_role("button", name="派单").click()
    page.get_by_text("已派单", exact=True).wait_for()
    case = Case.objects.get(title="第一中学违规收取择校费")
    assert case.state == "dispatched"
    sign_out(page)

    # 2. The B holder (A away) sees it marked on the workbench, signs for it and replies.
    sign_in(page, live_server, "handler_b", demo_password)
    group = page.get_by_test_id("group-sign_for")
    assert case.number in group.inner_text()
    assert "代李娜办理" in group.inner_text()
    group.get_by_role("link", name=case.number).click()
    page.get_by_test_id("action-sign_for").locator("summary").click()
    page.get_by_role("button", name="签收").click()
    page.get_by_test_id("case-state").filter(has_text="办理中").wait_for()
    assert "以B岗身份代A岗办理" in page.get_by_test_id("timeline").inner_text()
    page.get_by_test_id("action-reply").locator("summary").first.click()
    page.get_by_label("答复", exact=True).fill("经核查，学校已退还所收费用，并作出书面检查。")
    page.get_by_role("button", name="答复", exact=True).click()
    page.get_by_test_id("timeline").filter(has_text="答复已拟稿").wait_for()
    sign_out(page)

    # 3. The efficiency office sees the case move, with its deadline colour.
    sign_in(page, live_server, "xiaoneng", demo_password)
    go(page, "办件", "工单")
    row = page.get_by_test_id("case-list").get_by_role("row").filter(has_text=case.number)
    assert "办理中" in row.inner_text()
    assert row.get_by_test_id("deadline").get_attribute("data-level") == "normal"
    assert "正常" in row.get_by_test_id("deadline").inner_text()

    # 4. Move the reply clock past its pre-warning: the colour changes on the next look.
    Clock.objects.filter(owner_type="cases.case", owner_id=case.pk, stage="reply").update(
        started_at=now - timedelta(days=20), due_at=timezone.now() + timedelta(hours=2)
    )
    page.reload()
    row = page.get_by_test_id("case-list").get_by_role("row").filter(has_text=case.number)
    assert row.get_by_test_id("deadline").get_attribute("data-level") == "prewarn"
    assert "预警" in row.get_by_test_id("deadline").inner_text()
    row.get_by_role("link", name=case.number).click()
    assert "预警" in page.get_by_test_id("case").get_by_test_id("deadline").first.inner_text()


def test_head_approves_on_a_phone(phone_page, live_server, demo_org, demo_password) -> None:
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register, case_reply, case_sign_for
    from xiaoneng.org.models import Department, User

    users = {u.username: u for u in User.objects.all()}
    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content="家长反映实验小学作业过多，请核查。",
        requester_phone="13600003333",
    ).case
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case = case_sign_for(
        case=case_dispatch(case=case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    case_reply(case=case, by=users["handler_a"], text="已督促学校落实作业管理规定。")
    sign_in(phone_page, live_server, "head", demo_password)
    go(phone_page, "办件", "科室待办")
    phone_page.get_by_test_id("queue-review").get_by_role("link", name=case.number).click()
    phone_page.get_by_test_id("action-review_reply").locator("summary").click()
    phone_page.get_by_label("审核通过并答复").check()
    phone_page.get_by_role("button", name="审核答复").click()
    phone_page.get_by_test_id("case-state").filter(has_text="已答复").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the case page must not scroll sideways on a phone"
