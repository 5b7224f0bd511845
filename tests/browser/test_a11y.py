"""Every main page at 1366 px and at 390 px, in Chinese and in English: no sideways scrolling,
no untranslated string, no serious or critical axe-core violation; and keyboard-only use of
intake, a case action and the portal submission.

Time matters (the whole CI is over budget), so the module shares one live server and one load
of the demo bureau, loads each page once per language and checks both widths by resizing the
window, and runs axe once per page: at one of the four width and language combinations,
chosen by the page's name (the same in every run, whatever the order), so that each
combination is checked on about a quarter of the pages
(``XN_A11Y_AXE_ALL=1`` runs axe at every combination). Screenshots of every combination land in
the folder printed at the end of the run (``XN_SCREENSHOTS``, else var/screenshots/).
"""

from __future__ import annotations

import itertools
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache as django_cache

from tests import langscan
from tests.browser.conftest import (
    LOCALES,
    module_live_server,
    new_context,
    screenshot_folder,
    signed_in,
)

pytestmark = [pytest.mark.browser]

WIDTHS = (1366, 390)
LANGUAGES = ("zh-hans", "en")
COMBINATIONS = list(itertools.product(WIDTHS, LANGUAGES))
AXE_ALL = os.environ.get("XN_A11Y_AXE_ALL", "") not in {"", "0"}
# The WCAG 2.x A and AA rules (where every serious and critical rule lives); axe's
# best-practice rules are left out to save time.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
SHOTS = screenshot_folder() / "a11y"
SHOTS.mkdir(exist_ok=True)
TEXTS_JS = """() => {
  const out = [document.title];
  const skip = "script,style,noscript,template,[data-lang-free]";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (!n.parentElement || n.parentElement.closest(skip) || !n.data.trim())
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) out.push(walker.currentNode.data.trim());
  for (const el of document.querySelectorAll("[placeholder],[aria-label],[title],img[alt]")) {
    if (el.closest(skip)) continue;
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  return out;
}"""


# Data labels of the demo stored in Chinese only that coincide with a catalog string; issue
# #26 item 6 gave them both languages, so none is left: add one here, by name, only while a
# fix is pending, so that nothing else Chinese can slip through an English page.
PENDING_DATA_LABELS: frozenset[str] = frozenset()


def untranslated(texts: list[str], language: str) -> list[str]:
    """The check of tests/langscan.py (shared with the office scan by the test client)."""
    return langscan.untranslated(texts, language, pending=PENDING_DATA_LABELS)


# The mark also makes pytest-django set up the test database when this module runs alone: it
# sets up only the databases that the collected tests mark, and the site fixture needs one.
@pytest.mark.django_db
def test_the_translation_check_finds_what_it_must() -> None:
    texts = ["Sign out", "sign_for", "demo:overdue", "待签收", "XN-2026-000012", "GNAPZ5AKXZ"]
    assert untranslated(texts, "zh-hans") == ["Sign out", "sign_for", "demo:overdue"]
    assert untranslated(["退出", "赵强", "Sign out"], "en") == ["退出"]


@dataclass
class Site:
    url: str
    password: str
    case_id: int
    pool_case_id: int


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[Site]:
    """One demo bureau for the module, committed so the module's own live server sees it;
    flushed after (``module_live_server`` says why not pytest-django's ``live_server``)."""
    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register, case_sign_for
    from xiaoneng.catalog.models import TimeLimitPolicy
    from xiaoneng.demo.data import DEMO_PASSWORD
    from xiaoneng.demo.services import demo_load
    from xiaoneng.org.models import Department, User

    with module_live_server(django_db_blocker) as url:
        demo_load()
        users = {u.username: u for u in User.objects.all()}
        category = Category.objects.get(code="enrolment")
        basic = Department.objects.get(unit__code="bureau", code="basic")
        working = case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=category,
            title="实验小学课后服务收费",
            content="家长反映实验小学课后服务收费过高，请核查。",
            requester_name="钱家长",
            requester_phone="13600004444",
        ).case
        working = case_dispatch(case=working, by=users["intake"], lead=basic)
        working = case_sign_for(case=working, by=users["handler_a"])
        waiting = case_register(
            by=users["intake"],
            channel="hotline",
            kind="inquiry",
            category=category,
            content="咨询第二中学转学手续。",
            requester_phone="13600005555",
        ).case
        rollups_rebuild()
        langscan.ALLOWED_PHRASES.extend(TimeLimitPolicy.objects.values_list("code", flat=True))
        yield Site(url, DEMO_PASSWORD, working.pk, waiting.pk)


@pytest.fixture(scope="module")
def context_for(browser, en_browser, site) -> Iterator[object]:
    """A browser context per person and language (signed in once), shared by the module's
    tests; its locale is the language's, so that date inputs read as the reader expects."""

    contexts: dict[tuple[str | None, str], object] = {}

    def get(username: str | None, language: str = "zh-hans") -> object:
        if (username, language) not in contexts:
            chromium = en_browser if language == "en" else browser
            context = new_context(chromium, language=language, width=1366)
            signed_in(context, site.url, username, language)
            contexts[(username, language)] = context
        return contexts[(username, language)]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def pages_for(context_for) -> Iterator[object]:
    """``pages_for(username)``: one open page per language for that person, closed after."""
    opened: list[object] = []

    def get(username: str | None) -> dict[str, object]:
        pages = {language: context_for(username, language).new_page() for language in LANGUAGES}
        opened.extend(pages.values())
        return pages

    yield get
    for page in opened:
        page.close()


# The innermost elements that make the page wider than the screen, outside any scroll box:
# those whose box reaches past it, or whose own content (a word too long to wrap) does.
OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
  const boxed = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) { return true; }
    }
    return false;
  };
  const wide = (el) => el.getBoundingClientRect().right > width + 1
    || el.scrollWidth > el.clientWidth + 1;
  const found = [];
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    if (!wide(el) || boxed(el) || [...el.children].some(wide)) { continue; }
    const text = el.textContent.trim().slice(0, 60);
    found.push(`${el.tagName.toLowerCase()}.${el.className} "${text}"`);
  }
  return found.slice(0, 5);
}"""


def check_page(pages: dict[str, object], site: Site, path: str, name: str) -> None:
    """Load ``path`` once per language; at each width: no sideways scroll, a screenshot; once
    per language: no untranslated string; axe once (see the module's docstring)."""

    from axe_playwright_python.sync_playwright import Axe

    axe_at = COMBINATIONS[zlib.crc32(name.encode()) % len(COMBINATIONS)]
    problems: list[str] = []
    for language in LANGUAGES:
        page = pages[language]
        if language != LANGUAGES[0]:
            # The same visitor in the other language's browser: its session (a public
            # submitter's receipt lives in it) goes along, the language cookie stays.
            cookies = pages[LANGUAGES[0]].context.cookies()
            page.context.add_cookies([c for c in cookies if c["name"] != "django_language"])
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(f"{site.url}{path}")
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        expected = "zh-CN" if language == "zh-hans" else "en"
        assert page.evaluate("document.documentElement.lang") == expected
        assert page.evaluate("navigator.language") == LOCALES[language]
        missed = untranslated(page.evaluate(TEXTS_JS), language)
        if missed:
            problems.append(f"{name} {language}: untranslated {sorted(set(missed))[:12]}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            sizes = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if sizes[0] > sizes[1]:
                problems.append(
                    f"{name} {language} {width}px: {sizes[0]} px wide > {sizes[1]}: "
                    f"{page.evaluate(OVERFLOWING_JS)}"
                )
            shot = SHOTS / f"{name}-{language}-{width}.jpg"
            page.screenshot(path=str(shot), type="jpeg", quality=60)
            if AXE_ALL or (width, language) == axe_at:
                results = Axe().run(page, options=AXE_OPTIONS)
                for violation in results.response["violations"]:
                    if violation["impact"] in {"serious", "critical"}:
                        targets = [node["target"] for node in violation["nodes"][:4]]
                        problems.append(
                            f"{name} {language} {width}px axe {violation['impact']} "
                            f"{violation['id']}: {violation['help']} {targets}"
                        )
    assert not problems, "\n".join(problems)


# Each role's workbench, and the pages the issue names, each seen by one person who may.
OFFICE_PAGES = {
    "intake": [("/", "workbench-intake"), ("/intake/pool/", "intake-pool")],
    "handler_a": [("/", "workbench-handler"), ("/cases/{case}/", "case-page")],
    "head": [("/", "workbench-dept-head")],
    "xiaoneng": [
        ("/", "workbench-efficiency-office"),
        ("/office/assessment/", "dashboard-assessment"),
        ("/office/targets/dashboard/", "dashboard-targets"),
    ],
    "inspector": [("/", "workbench-inspector")],
    "leader": [("/", "workbench-leader")],
    "sysadmin": [("/", "workbench-sysadmin")],
    "secadmin": [("/", "workbench-secadmin")],
    "auditor": [("/", "workbench-auditor")],
}


@pytest.mark.parametrize("username", list(OFFICE_PAGES))
def test_office_pages_read_at_both_widths_in_both_languages(username, site, pages_for) -> None:
    pages = pages_for(username)
    for path, name in OFFICE_PAGES[username]:
        check_page(pages, site, path.format(case=site.case_id), name)


def test_public_figures_read_at_both_widths_in_both_languages(site, pages_for) -> None:
    check_page(pages_for(None), site, "/portal/figures/", "portal-figures")


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus: the element is reachable by keyboard."""
    handle = target.element_handle()
    for _press in range(limit):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with the Tab key")


def test_portal_submit_track_and_rate_by_keyboard(site, pages_for) -> None:
    """The public path on a phone's width, with the keyboard only for the submission."""
    from tests.portal.conftest import staff_reply
    from xiaoneng.cases.models import Case
    from xiaoneng.org.models import Department, User

    django_cache.clear()  # the portal's rate limits count per address
    pages = pages_for(None)
    page = pages["zh-hans"]
    check_page(pages, site, "/portal/submit/?kind=complaint", "portal-submit")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{site.url}/portal/submit/?kind=complaint")
    tab_to(page, page.get_by_label("事项类别"))
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("事项类别").input_value() != ""
    tab_to(page, page.get_by_label("具体情况和您的诉求"))
    page.keyboard.type("学校食堂饭菜质量差，请核查。")
    tab_to(page, page.get_by_label("您的姓名"))
    page.keyboard.type("孙家长")
    tab_to(page, page.get_by_label("您的手机号码"))
    page.keyboard.type("13800007777")
    tab_to(page, page.get_by_label("我同意在本网站公开办理结果"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="提交"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/receipt/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("tracking-secret").inner_text().strip()
    check_page(pages, site, "/portal/submit/receipt/", "portal-receipt")

    case = Case.objects.get(tracking_code=code)
    users = {u.username: u for u in User.objects.all()}
    staff_reply(case, users, Department.objects.get(unit__code="bureau", code="basic"))

    check_page(pages, site, "/portal/track/", "portal-track")
    page.goto(f"{site.url}/portal/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()
    # The lookup answers the page directly; its signed link opens it again.
    page.get_by_test_id("progress").wait_for()
    link = page.get_by_test_id("track-link").get_attribute("href")
    assert link
    assert "?t=" in link
    check_page(pages, site, link, "portal-track-case")
    page.goto(f"{site.url}{link}")
    tab_to(page, page.get_by_label("满意", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("已解决"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="提交评价"))
    page.keyboard.press("Enter")
    assert "感谢您的评价" in page.get_by_role("status").first.inner_text()
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"


def test_intake_and_a_case_action_by_keyboard(site, context_for) -> None:
    from xiaoneng.cases.models import Case

    page = context_for("intake").new_page()
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{site.url}/intake/")
    for label, option in (("渠道", "hotline"), ("类型", "complaint")):
        field = page.get_by_label(label)
        tab_to(page, field)
        while field.input_value() != option:
            page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_label("类别"))
    page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_label("诉求人电话"))
    page.keyboard.type("13500008888")
    tab_to(page, page.get_by_label("标题"))
    page.keyboard.type("键盘登记的投诉")
    tab_to(page, page.get_by_label("内容", exact=True))
    page.keyboard.type("家长来电反映校车超载，请核查。")
    tab_to(page, page.get_by_role("button", name="登记"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(title="键盘登记的投诉")
    assert case.state == "registered"

    # Dispatch it: open the action with the keyboard, choose the department, send.
    tab_to(page, page.get_by_test_id("action-dispatch").locator("summary"))
    page.keyboard.press("Enter")
    lead = page.get_by_role("combobox", name="主办科室", exact=True)
    tab_to(page, lead)
    if lead.input_value() == "":
        page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="派单"))
    page.keyboard.press("Enter")
    page.get_by_text("已派单", exact=True).wait_for()
    case.refresh_from_db()
    assert case.state == "dispatched"
    page.close()
