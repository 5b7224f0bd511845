"""Playwright driving Debian's Chromium (/usr/bin/chromium); .ci/run installs it when missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


# The browser's locale follows the page's language: a date input reads 2026/12/06 in Chinese and
# 12/06/2026 in English (without a locale, headless Chromium shows mm/dd/yyyy everywhere), and
# the Accept-Language header matches the django_language cookie the tests set.
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}


def new_context(browser, *, language: str = "zh-hans", width: int = 1280, height: int = 800):
    """A browser context whose locale is the language's (``zh-hans`` or ``en``)."""
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15000)
    return context


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    # The live server and Django's ORM run in this thread; Playwright's sync API is fine with it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def en_page(browser) -> Iterator[object]:
    """A page in an English browser (en-US): for the English pages."""
    context = new_context(browser, language="en")
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
