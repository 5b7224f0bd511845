"""The user guide's screenshots, taken on the demo bureau the browser tests build.

Every shot has a stable name (``GUIDE_SHOTS``); docs/user-guide.md shows each one as
``images/<name>.jpg`` and tests/docs/test_guide_images.py checks that the two lists agree.
The run always writes the shots (JPEG) to the screenshot folder it prints at the end
(``XN_SCREENSHOTS``, else var/screenshots/) under ``guide/``; with
``XN_GUIDE_SHOTS=docs/images`` (``make guide-screenshots``) it writes them there as well, which
is how the committed pictures are regenerated. Chinese at 1366 px unless the name says
otherwise (``-390`` a phone's width, ``-en`` English).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache as django_cache

from tests.browser.conftest import module_live_server, new_context, screenshot_folder, signed_in
from tests.browser.guide_shots import GUIDE_SHOTS
from tests.browser.test_a11y import Site

pytestmark = [pytest.mark.browser]

WIDTH, PHONE = 1366, 390
HEIGHT, PHONE_HEIGHT = 860, 844
# JPEG at device scale 1: the guide's pictures stay small (about 3 MB in all).
QUALITY = 75
HISTORY = 60  # historical cases (the full demo makes 300; 60 keep the setup short)
FOLDER = screenshot_folder() / "guide"
FOLDER.mkdir(exist_ok=True)
TARGET = os.environ.get("XN_GUIDE_SHOTS", "")
taken: set[str] = set()


# The mark also makes pytest-django set up the test database when this module runs alone (see
# test_a11y.py): the site fixture needs one.
@pytest.mark.django_db
def test_the_shot_names_are_stable_file_names() -> None:
    for name in GUIDE_SHOTS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


def shoot(page, name: str) -> None:
    """Save the shot ``name`` (one of GUIDE_SHOTS): the visible window, to the artefact folder
    and, when asked, to the guide's folder."""
    assert name in GUIDE_SHOTS, f"{name} is not declared in GUIDE_SHOTS"
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page scrolls sideways ({scroll} px > {width})"
    folders = [FOLDER]
    if TARGET:
        target = Path(TARGET)
        if not target.is_absolute():  # relative to the checkout
            target = Path(__file__).resolve().parents[2] / target
        target.mkdir(parents=True, exist_ok=True)
        folders.append(target)
    for folder in folders:
        page.screenshot(path=str(folder / f"{name}.jpg"), type="jpeg", quality=QUALITY)
    taken.add(name)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[Site]:
    """The whole demo (``xiaoneng demo`` with a short history, so the charts have months to
    show) and one case in handling, committed for the module's own live server; flushed after
    (``module_live_server``)."""
    from django.core.management import call_command

    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register, case_sign_for
    from xiaoneng.demo.data import DEMO_PASSWORD
    from xiaoneng.org.models import Department, User

    with module_live_server(django_db_blocker) as url:
        call_command("demo", cases=HISTORY, verbosity=0)
        users = {u.username: u for u in User.objects.all()}
        working = case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=Category.objects.get(code="enrolment"),
            title="实验小学课后服务收费",
            content="家长反映实验小学课后服务收费过高，请核查。",
            requester_name="钱家长",
            requester_phone="13600004444",
        ).case
        basic = Department.objects.get(unit__code="bureau", code="basic")
        working = case_dispatch(case=working, by=users["intake"], lead=basic)
        working = case_sign_for(case=working, by=users["handler_a"])
        rollups_rebuild()
        yield Site(url, DEMO_PASSWORD, working.pk, working.pk)


@pytest.fixture(scope="module")
def visitor(browser, en_browser, site) -> Iterator[object]:
    """``visitor(username, language, width)``: a page for that person (None: the public),
    signed in on the server side, in a browser whose locale is the language's."""

    contexts: list[object] = []

    def open_page(username: str | None, language: str = "zh-hans", width: int = WIDTH):
        height = PHONE_HEIGHT if width == PHONE else HEIGHT
        chromium = en_browser if language == "en" else browser
        context = new_context(chromium, language=language, width=width, height=height)
        signed_in(context, site.url, username, language)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_office_shots(site: Site, visitor) -> None:
    page = visitor("intake")
    page.goto(f"{site.url}/intake/")
    shoot(page, "intake-register")
    page.get_by_label("诉求人电话").fill("1391234")
    page.get_by_role("button", name="登记").click()
    page.locator(".error-summary").wait_for()
    shoot(page, "intake-errors")
    page.goto(f"{site.url}/intake/pool/")
    shoot(page, "intake-pool")

    for language, suffix in (("zh-hans", ""), ("en", "-en")):
        page = visitor("handler_a", language)
        page.goto(f"{site.url}/")
        page.get_by_test_id("remaining").first.wait_for()
        shoot(page, f"workbench-handler{suffix}")
        page.goto(f"{site.url}/cases/{site.case_id}/")
        reply = page.get_by_test_id("action-reply")
        if reply.get_attribute("open") is None:
            reply.locator("> summary").click()
        reply.scroll_into_view_if_needed()
        shoot(page, f"case-reply-composer{suffix}")

    page = visitor("head")
    page.goto(f"{site.url}/")
    shoot(page, "workbench-dept-head")

    page = visitor("xiaoneng")
    page.goto(f"{site.url}/console/")
    shoot(page, "console")
    page.goto(f"{site.url}/office/assessment/")
    page.locator("figure, .chart, svg").first.scroll_into_view_if_needed()
    shoot(page, "assessment-dashboard")

    page = visitor("leader")
    page.goto(f"{site.url}/cockpit/")
    shoot(page, "cockpit")

    page = visitor("handler_a", width=PHONE)
    page.goto(f"{site.url}/")
    shoot(page, "workbench-handler-390")
    page = visitor("xiaoneng", width=PHONE)
    page.goto(f"{site.url}/")
    page.get_by_test_id("menu-button").click()
    page.get_by_test_id("office-nav").locator("summary").first.click()
    shoot(page, "menu-390")
    all_taken("office")


def test_portal_shots(site: Site, visitor) -> None:
    """Submit → receipt → track → rate, as the public sees it."""
    from tests.portal.conftest import staff_reply
    from xiaoneng.cases.models import Case
    from xiaoneng.org.models import Department, User

    django_cache.clear()  # the portal's rate limits count per address
    page = visitor(None)
    page.goto(f"{site.url}/portal/submit/?kind=complaint")
    page.get_by_label("事项类别").select_option(index=1)
    page.get_by_label("具体情况和您的诉求").fill("学校食堂饭菜质量差，希望学校改进，请核查。")
    page.get_by_label("您的姓名").fill("孙家长")
    page.get_by_label("您的手机号码").fill("13800007777")
    page.get_by_label("我同意在本网站公开办理结果").check()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "portal-submit")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/submit/receipt/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("tracking-secret").inner_text().strip()
    shoot(page, "portal-receipt")

    case = Case.objects.get(tracking_code=code)
    users = {u.username: u for u in User.objects.all()}
    staff_reply(case, users, Department.objects.get(unit__code="bureau", code="basic"))

    page.goto(f"{site.url}/portal/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("progress").wait_for()
    link = page.get_by_test_id("track-link").get_attribute("href")
    assert link
    shoot(page, "portal-track")

    for language, width, name in (
        ("en", WIDTH, "portal-track-en"),
        ("zh-hans", PHONE, "portal-track-390"),
    ):
        other = visitor(None, language, width)
        other.goto(f"{site.url}{link}")
        other.get_by_test_id("progress").wait_for()
        if language == "en":  # the category in the reader's language (found on the walk)
            assert case.category.name_en
            assert case.category.name_en in other.locator("main").inner_text()
        shoot(other, name)

    page.goto(f"{site.url}{link}")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("已解决").check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_role("status").first.wait_for()
    page.get_by_test_id("progress").scroll_into_view_if_needed()
    shoot(page, "portal-rated")
    all_taken("portal")


def all_taken(prefix: str) -> None:
    """Every declared shot of this test (the portal's start with ``portal-``) was taken."""
    wanted = {name for name in GUIDE_SHOTS if name.startswith("portal-") == (prefix == "portal")}
    assert wanted <= taken, sorted(wanted - taken)


def overflow(page) -> int:
    """How far the page scrolls sideways (0: not at all)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_what_the_walk_found_stays_fixed(site: Site, visitor) -> None:
    """Issue #26's fresh walk on the full demo (see docs/testing.md) found these; each is
    asserted here, on the same demo as the screenshots."""
    from xiaoneng.internal.models import Matter

    # The browser reads dates as the page's language (a date input's mm/dd/yyyy or yyyy/mm/dd).
    for language, locale in (("zh-hans", "zh-CN"), ("en", "en-US")):
        page = visitor("xiaoneng", language)
        page.goto(f"{site.url}/cases/")
        assert page.locator("input[type=date]").count()
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().locale") == locale
        assert page.evaluate("navigator.language") == locale

    # English: the case's actions are capitalised, not lowercase codes; the hint for readers
    # without JavaScript is hidden; the counter survives the form coming back with errors.
    page = visitor("handler_a", "en")
    page.goto(f"{site.url}/cases/{site.case_id}/")
    reply = page.get_by_test_id("action-reply")
    assert reply.locator("> summary").inner_text().strip() == "Reply"
    if reply.get_attribute("open") is None:
        reply.locator("> summary").click()
    assert page.locator("[data-without-js]").count() == 1
    assert not page.locator("[data-without-js]").is_visible()
    assert page.get_by_test_id("composer").locator(".char-count").count() == 1
    page.get_by_test_id("composer-reply").click()
    page.get_by_test_id("composer").locator(".errorlist").first.wait_for()
    # The counter is put back after htmx has settled the swapped form, a moment later.
    page.get_by_test_id("composer").locator(".char-count").first.wait_for()
    assert page.get_by_test_id("composer").locator(".char-count").count() == 1
    assert not page.locator("[data-without-js]").is_visible()

    # Tables with hidden labels scrolled the whole page sideways on a phone.
    for username, path in (
        ("head", "/queue/"),
        ("handler_a", "/inbox/"),
        ("handler_a", "/office/accountability/record/"),
    ):
        for language in ("zh-hans", "en"):
            page = visitor(username, language, PHONE)
            response = page.goto(f"{site.url}{path}")
            assert response is not None
            assert response.status == 200
            assert overflow(page) == 0, f"{path} {language} scrolls sideways on a phone"

    # Internal matters named their people by an empty first and last name.
    matter = Matter.objects.exclude(registered_by=None).select_related("registered_by__user")
    matter = matter.first()
    assert matter is not None
    page = visitor("leader")
    page.goto(f"{site.url}/office/internal/{matter.pk}/")
    assert str(matter.registered_by.user) in page.locator("main").inner_text()
