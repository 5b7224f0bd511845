"""办公室 registers a leader's instruction with its document and routes it to 基础教育科; the
department's handler finds it on the workbench and signs for it, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.test_office_shell import go, sign_in
from xiaoneng.internal.models import Matter
from xiaoneng.org.models import Department, Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_register_route_and_sign_for_an_instruction(
    page, live_server, demo_org, demo_password, tmp_path
) -> None:
    document = tmp_path / "来文.pdf"
    document.write_bytes(PDF)
    basic = Department.objects.get(unit__code="bureau", code="basic")
    leader = Staff.objects.get(user__username="leader")

    sign_in(page, live_server, "intake", demo_password)
    page.wait_for_url(f"{live_server.url}/")
    go(page, "办件", "内部事项")
    page.get_by_test_id("register-link").click()
    page.locator("#id_kind").select_option("instruction")
    page.locator("#id_title").fill("关于做好寒假安全教育的批示")
    page.locator("#id_leader").select_option(str(leader.pk))
    page.locator("#id_instruction").fill("请基础教育科牵头，抓紧部署。")
    page.locator("#id_instructed_on").fill("2026-01-05")
    page.locator("#id_attachment").set_input_files(str(document))
    page.locator("#id_lead_department").select_option(str(basic.pk))
    page.get_by_test_id("matter-form").locator("button[type=submit]").click()
    assert page.get_by_test_id("matter-state").get_attribute("data-state") == "routed"
    assert "请基础教育科牵头" in page.get_by_test_id("instruction").inner_text()
    assert page.get_by_test_id("lead").inner_text() == "基础教育科"
    matter = Matter.objects.get(title="关于做好寒假安全教育的批示")
    assert matter.attachment_name == "来文.pdf"

    page.context.clear_cookies()
    sign_in(page, live_server, "handler_a", demo_password)
    page.wait_for_url(f"{live_server.url}/")
    group = page.get_by_test_id("group-internal-sign")
    group.get_by_role("link", name=f"{matter.number} {matter.title}").click()
    page.get_by_test_id("action-sign").get_by_role("button").click()
    assert page.get_by_test_id("matter-state").get_attribute("data-state") == "in_progress"
    assert "签收" in page.get_by_test_id("events").inner_text()
    matter.refresh_from_db()
    assert matter.state == Matter.State.IN_PROGRESS
    assert matter.signed_by.user.username == "handler_a"
