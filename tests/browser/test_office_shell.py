"""A person signs in, sees the office in Chinese, switches to English, signs out."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def go(page, group: str, link: str) -> None:
    """Follow a link of the office navigation: the menu button first on a phone, then the group."""
    # Asked once the page and its styles have loaded: an unstyled menu button looks visible.
    page.wait_for_load_state()
    button = page.get_by_test_id("menu-button")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
    nav = page.get_by_test_id("office-nav")
    nav.locator("summary", has_text=group).click()
    nav.get_by_role("link", name=link, exact=True).click()


def test_sign_in_switch_language_sign_out(page, live_server, demo_org, demo_password) -> None:
    sign_in(page, live_server, "handler_b", demo_password)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "您好，赵强"
    assert "经办人" in page.get_by_test_id("who").inner_text()

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, 赵强"
    assert "Handler" in page.get_by_test_id("who").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


def test_wrong_password_is_told_in_chinese(page, live_server, demo_org) -> None:
    sign_in(page, live_server, "head", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert "正确的" in page.get_by_role("alert").inner_text()


def test_auditor_verifies_chain_on_a_phone(
    phone_page, live_server, demo_org, demo_password
) -> None:
    sign_in(phone_page, live_server, "auditor", demo_password)
    phone_page.get_by_role("link", name="校验哈希链").first.click()
    phone_page.get_by_role("button", name="立即校验").click()
    assert "哈希链完整" in phone_page.get_by_role("status").inner_text()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page must not scroll sideways on a phone"
