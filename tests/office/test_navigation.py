"""The office navigation: grouped, each link for the roles whose work it is, the current group
marked, the full menu only after the second factor; the language option in its own language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import override

from xiaoneng.office.navigation import Group, Link, menu_markup, navigation, navigation_html
from xiaoneng.org.services import staff_set_roles
from xiaoneng.security.otp import otp_demo_device

pytestmark = pytest.mark.django_db


def labels(roles, path="/"):
    with override("zh-hans"):
        return {g.label: [link.label for link in g.links] for g in navigation(roles, path=path)}


def test_groups_follow_the_roles() -> None:
    office = labels({"efficiency_office"})
    assert list(office) == ["办件", "督查", "问责", "考评", "目标与学习"]
    handler = labels({"handler"})
    assert "考评" not in handler  # no empty group for work a role never does
    assert "工单" in handler["办件"]
    auditor = labels({"auditor"})
    assert "办件" not in auditor  # the administrators see no case work
    assert "工单" not in str(auditor)
    assert "管理" in labels({"sysadmin"})
    assert labels(set()) == {}


def test_the_current_group_is_marked() -> None:
    groups = navigation({"efficiency_office"}, path=reverse("office:case_list"))
    assert [g.label for g in groups if g.current] == [str(groups[0].label)]


def test_page_shows_the_groups_and_the_menu_button(client, users) -> None:
    client.force_login(users["xiaoneng"])
    with override("zh-hans"):
        html = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="menu-button"' in html
    assert html.count('class="navgroup') == 5
    assert ">English</option>" in html
    assert ">简体中文</option>" in html


def test_full_menu_only_after_the_second_factor(
    client, settings, demo_org, demo_password, users
) -> None:
    settings.XIAONENG_REQUIRE_OTP = True
    otp_demo_device(user=users["xiaoneng"])
    assert client.login(username="xiaoneng", password=demo_password)
    page = client.get(reverse("security:otp_verify"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'data-testid="office-nav"' not in html
    assert "验证码" in html
    assert ">验证</button>" in html


def test_sign_in_page_names_the_bureau(client, demo_org) -> None:
    html = client.get(reverse("office:login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "示例市教育局" in html
    assert "testserver" not in html
    assert 'data-testid="office-nav"' not in html


def _nav_labels(html: str) -> list[str]:
    return re.findall(r"<summary>([^<]+)</summary>", html)


def test_the_kept_navigation_follows_a_role_change_and_the_language(client, users) -> None:
    """The menu's links are built once per roles and language (navigation._structure): a
    person whose roles change sees the new menu on the next page, and the other language's
    labels on the other language's page."""
    staff = users["handler_a"].staff
    client.force_login(users["handler_a"])
    home = reverse("office:home")

    def nav(language: str) -> list[str]:
        html = client.get(home, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return _nav_labels(html)

    assert "考评" not in nav("zh-hans")  # a handler has no assessment or evaluation work
    assert "Case work" in nav("en")
    staff_set_roles(staff=staff, roles=["efficiency_office"], by=None)
    assert nav("zh-hans") == ["办件", "督查", "问责", "考评", "目标与学习"]
    assert nav("en")[0] == "Case work"
    assert "办件" not in nav("en")
    # And with the link list of the page: a link only the new role has is there.
    html = client.get(home, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="{reverse("office:console")}"' in html
    staff_set_roles(staff=staff, roles=["handler"], by=None)
    assert f'href="{reverse("office:console")}"' not in client.get(home).content.decode()


class _Menu(HTMLParser):
    """The groups of the menu's markup: label, current flag, and each link's (href, label,
    testid, current)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[str, bool, list[tuple[str, str, str, bool]]]] = []
        self._in: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "details":
            self.groups.append(("", "current" in (found["class"] or "").split(), []))
        elif tag == "a":
            current = found.get("aria-current") == "page"
            self.groups[-1][2].append(
                (found["href"] or "", "", found.get("data-testid") or "", current)
            )
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "summary":
            label, current, links = self.groups[-1]
            self.groups[-1] = (label + data, current, links)
        elif self._in == "a":
            href, label, testid, current = self.groups[-1][2][-1]
            self.groups[-1][2][-1] = (href, label + data, testid, current)

    def handle_endtag(self, tag: str) -> None:
        self._in = ""


@pytest.mark.parametrize(
    ("roles", "page"),
    [
        ({"efficiency_office"}, "office:case_list"),
        ({"handler", "intake"}, "office:intake_pool"),
        ({"dept_head"}, "office:home"),
        ({"leader", "inspector"}, "assessment:dashboard"),
        ({"sysadmin"}, "office:org_units"),
        ({"auditor"}, "office:audit_log"),
        (set(), "office:home"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menus_markup_says_what_navigation_says(roles, page, language) -> None:
    """The layout draws the menu from ``navigation_html``: the same groups, links, labels,
    test ids and current marks as ``navigation`` gives."""
    path = reverse(page)
    with override(language):
        groups = navigation(roles, path=path, is_staff=True)
        parser = _Menu()
        parser.feed(navigation_html(roles, path=path, is_staff=True))
    expected = [
        (g.label, g.current, [(x.href, x.label, x.testid, x.current) for x in g.links])
        for g in groups
    ]
    assert parser.groups == expected
    in_a_group = bool(roles) and page != "office:home"  # the workbench stands outside them
    assert sum(current for _label, current, _links in parser.groups) == int(in_a_group)


def test_the_menus_markup_escapes_its_texts() -> None:
    link = Link('/x/?a=1&b="2"', "<i>link</i>", 'id"1', current=True)
    html = menu_markup([Group("A & <B>", [link], current=True)])
    assert "<summary>A &amp; &lt;B&gt;</summary>" in html
    assert (
        '<li><a href="/x/?a=1&amp;b=&quot;2&quot;" data-testid="id&quot;1" aria-current="page">'
        "&lt;i&gt;link&lt;/i&gt;</a></li>"
    ) in html
