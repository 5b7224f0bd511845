"""On a 390 px phone: a refused submission (too many, too large) keeps what the person typed
and says, in their language, what to do next."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from xiaoneng.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("XIAONENG_SCREENSHOTS", "")
CONTENT = "孩子入学报名时学校要求交赞助费，请核查。"


@pytest.fixture
def narrow_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _fill(page, base: str) -> None:
    page.goto(f"{base}/portal/submit/")
    page.get_by_label("事项类别").select_option(label="招生入学")
    page.get_by_label("具体情况和您的诉求").fill(CONTENT)
    page.get_by_label("您的姓名").fill("吴家长")
    page.get_by_label("您的手机号码").fill("13800005678")


def _read_refusal(page, name: str) -> str:
    alert = page.get_by_role("alert").first
    alert.scroll_into_view_if_needed()
    assert alert.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"portal-{name}.png"), full_page=True)
    return alert.inner_text()


def test_too_many_keeps_the_input_and_says_when(narrow_page, live_server, demo_org, settings):
    cache.clear()
    settings.XIAONENG_RATE_SUBMIT_PHONE = (1, 86400)
    page = narrow_page
    _fill(page, live_server.url)
    page.get_by_role("button", name="提交").click()
    assert page.get_by_role("heading", level=1).inner_text() == "已提交，等待受理"

    _fill(page, live_server.url)
    page.get_by_role("button", name="提交").click()
    message = _read_refusal(page, "submit-429")
    assert "提交过于频繁，请在" in message
    assert "后再试" in message
    assert page.get_by_label("具体情况和您的诉求").input_value() == CONTENT
    assert page.get_by_label("您的姓名").input_value() == "吴家长"
    assert Case.objects.count() == 1
    cache.clear()


def test_too_large_keeps_the_input_and_names_the_limit(
    narrow_page, live_server, demo_org, settings
):
    cache.clear()
    settings.XIAONENG_PORTAL_MAX_FILE_SIZE = 1024 * 1024
    page = narrow_page
    _fill(page, live_server.url)
    picture = b"\xff\xd8\xff" + b"\0" * (4 * 1024 * 1024)
    page.locator("input[type=file]").set_input_files(
        [{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": picture}]
    )
    page.get_by_role("button", name="提交").click()
    message = _read_refusal(page, "submit-413")
    assert "附件过大：每个文件不超过 1 MB。" in message
    assert page.get_by_label("具体情况和您的诉求").input_value() == CONTENT
    assert Case.objects.count() == 0
    cache.clear()
