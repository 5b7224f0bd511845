"""Triage in a real browser: the suggested lead department and the similar open cases show in
the intake pool's rows and on the case page (both loaded by htmx after the page)."""

from __future__ import annotations

import pytest

from tests.browser.test_office_shell import go, sign_in
from xiaoneng.cases.models import Category
from xiaoneng.cases.services.public import public_submit
from xiaoneng.triage.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "学校这学期开学每人收了380元的教辅资料费，没有任何收据，也没有公示，请教育局查一查。"
SECOND = (
    "开学时学校违规收取教辅资料费每人380元，未开具票据，也未进行收费公示，属于乱收费，"
    "要求核实处理。"
)


def _submit(title: str, content: str, phone: str):
    return public_submit(
        kind="complaint",
        category=Category.objects.get(code="fees"),
        title=title,
        content=content,
        requester_name="刘家长",
        requester_phone=phone,
    ).case


def test_suggestion_and_similar_cases_in_the_pool_and_on_the_case_page(
    page, live_server, demo_org, demo_password
) -> None:
    first = _submit("开学乱收资料费", FIRST, "13800001234")
    second = _submit("学校违规收取资料费", SECOND, "13766665555")
    # Read after each registration committed, outside it.
    assert Suggestion.objects.filter(case__in=[first, second]).count() == 2

    sign_in(page, live_server, "xiaoneng", demo_password)
    go(page, "办件", "待受理")
    # The cells arrive after the page, swapped into each row's slot.
    slot = page.locator(f"#pool-cell-{second.pk}")
    row = page.get_by_test_id("pool-row").filter(has=slot)
    cell = slot.get_by_test_id("triage-pool-cell")
    cell.wait_for()
    assert "计划财务科" in cell.inner_text()
    similar = cell.get_by_test_id("triage-similar-row").filter(has_text=first.number)
    assert similar.count() == 1
    assert similar.get_by_test_id("triage-merge").is_visible()

    row.locator("td").first.get_by_role("link", name=second.number).click()
    page.wait_for_url(f"**/cases/{second.pk}/")
    panel = page.get_by_test_id("triage-panel")
    panel.wait_for()
    assert "计划财务科" in panel.get_by_test_id("triage-suggestions").inner_text()
    assert first.number in panel.get_by_test_id("triage-similar").inner_text()
