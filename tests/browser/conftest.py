"""Playwright driving Debian's Chromium (/usr/bin/chromium); .ci/run installs it when missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XIAONENG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Our closed network refuses Chromium's background connections; keep it quiet and local.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The browser speaks the page's language. A date input's format (2026/12/06 or 12/06/2026) and
# the file input's button follow the language Chromium was started in (its --lang, its LANGUAGE
# and the locale files of Debian's chromium-l10n), not a context's locale: so the Chinese pages
# are seen in a Chinese Chromium (``browser``) and the English ones in an English one
# (``en_browser``, started when a test asks for it). Each context also takes the language's
# locale (navigator.language, Intl, the Accept-Language header).
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
DEBIAN_LOCALES = Path("/usr/lib/chromium/locales")
# LANGUAGE only: LANG stays the machine's (C.UTF-8 here), since a LANG naming a locale the
# system has not generated turns Chromium's file names into ASCII (an upload named 来文.pdf
# would lose its name).
_LANGUAGE = {"zh-hans": "zh_CN", "en": "en_US"}


def new_context(browser, *, language: str = "zh-hans", width: int = 1280, height: int = 800):
    """A context of ``browser`` (the one of the same language) with the language's locale."""
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15000)
    return context


@contextmanager
def module_live_server(django_db_blocker) -> Iterator[str]:
    """A live server of the module's own, on a database the module fills and commits, flushed
    after; yields its address. pytest-django's ``live_server`` fixture would make every test
    that uses it a transactional test, which flushes the database after each test (the demo
    would be gone, and each flush costs seconds). Fast password hashing, no second factor."""
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        XIAONENG_REQUIRE_OTP=False,
    )
    with django_db_blocker.unblock(), fast:
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def signed_in(context, url: str, username: str | None, language: str) -> None:
    """Give ``context`` the language cookie and, for a staff member, a session made on the
    server side (the sign-in page has tests of its own): one session per person."""
    from django.conf import settings
    from django.test import Client

    from xiaoneng.org.models import User

    cookies = [{"name": "django_language", "value": language, "url": url}]
    if username:
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url})
    context.add_cookies(cookies)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-l10n")
    if CHROMIUM == "/usr/bin/chromium" and not DEBIAN_LOCALES.joinpath("zh-CN.pak").exists():
        pytest.fail("Chromium has no Chinese: apt-get install chromium-l10n")
    # The live server and Django's ORM run in this thread; Playwright's sync API is fine with it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        yield playwright


def launch(playwright, language: str):
    """Chromium started in ``language`` (``zh-hans`` or ``en``)."""
    environment = {**os.environ, "LANGUAGE": _LANGUAGE[language]}
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, f"--lang={LOCALES[language]}"],
        env=environment,
    )


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[object]:
    """The Chinese browser (the office and the portal speak Chinese unless asked)."""
    browser = launch(playwright_driver, "zh-hans")
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def en_browser(playwright_driver) -> Iterator[object]:
    """The English browser, for the English pages."""
    browser = launch(playwright_driver, "en")
    yield browser
    browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def en_page(en_browser) -> Iterator[object]:
    """A page in the English browser: for the English pages."""
    context = new_context(en_browser, language="en")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator[object]:
    context = new_context(browser, width=375, height=740)
    page = context.new_page()
    yield page
    context.close()


def screenshot_folder() -> Path:
    """Where the browser tests keep their screenshots (a CI artefact): ``XN_SCREENSHOTS`` or
    var/screenshots/ in the checkout; the run prints it at the end."""
    folder = Path(
        os.environ.get("XN_SCREENSHOTS")
        or Path(__file__).resolve().parents[2] / "var" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter) -> None:
    folder = screenshot_folder()
    shots = sum(1 for path in folder.rglob("*") if path.suffix in {".png", ".jpg"})
    if shots:
        terminalreporter.write_line(f"browser screenshots ({shots}): {folder}")
