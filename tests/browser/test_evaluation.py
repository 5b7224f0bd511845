"""On a 390 px phone: answer a questionnaire from the link of an SMS invitation."""

from __future__ import annotations

import pytest

from tests.evaluation.conftest import (  # noqa: F401 - the evaluation tests' fixtures
    departments,
    make_round,
    open_round,
    relay_tokens,
    schools,
    sms,
    version,
)
from xiaoneng.evaluation.models import Panel, Response, RoundUnit
from xiaoneng.evaluation.services.invitations import named_panel_invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_answer_from_an_sms_link_on_a_phone(browser, live_server, users, open_round, sms) -> None:  # noqa: F811 - fixtures
    unit = RoundUnit.objects.filter(round=open_round).order_by("id").first()
    named_panel_invite(
        by=users["xiaoneng"],
        round_=open_round,
        panel=open_round.panels.get(kind=Panel.Kind.NAMED),
        phones=["13811112222"],
        units=[unit],
        base_url=live_server.url,
    )
    [(_phone, text, token)] = relay_tokens(sms)
    link = text[text.index(live_server.url) :].split()[0]
    assert link.endswith(f"/portal/evaluation/i/{token}/")

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == open_round.title
        no_sideways_scroll(page)
        attitude = page.get_by_test_id("q-attitude")
        assert attitude.is_hidden()  # asked only after "是"
        page.get_by_role("button", name="提交答卷").click()  # nothing answered
        assert page.get_by_test_id("answer-errors").is_visible()
        no_sideways_scroll(page)
        page.get_by_test_id("q-used").get_by_text("是", exact=True).click()
        assert attitude.is_visible()
        attitude.get_by_text("4 较好").click()
        page.get_by_test_id("q-speed").get_by_text("5", exact=True).click()
        page.get_by_test_id("q-ways").get_by_text("网上").click()
        page.get_by_test_id("q-comment").locator("textarea").fill("窗口服务很耐心。")
        no_sideways_scroll(page)
        page.get_by_role("button", name="提交答卷").click()
        assert page.get_by_test_id("thanks").is_visible()
        no_sideways_scroll(page)
        page.goto(link)  # the link is spent
        assert "已使用" in page.get_by_test_id("refused").inner_text()
    finally:
        context.close()
    response = Response.objects.get()
    assert response.round_unit_id == unit.pk
    assert sorted(response.items.values_list("key", flat=True)) == [
        "attitude",
        "comment",
        "speed",
        "used",
        "ways",
    ]
