"""Shared fixtures: a fast password hasher, the demo organisation, and one named user per role."""

from __future__ import annotations

import gc

import pytest

from xiaoneng.demo.data import DEMO_PASSWORD
from xiaoneng.org.models import Staff, User


def pytest_configure(config: pytest.Config) -> None:
    """The cycle collector's youngest generation is collected every 20 000 allocations instead
    of every 700. The suite allocates much and frees nearly all of it by reference counting;
    at Python's defaults the collector took 7 % of a test process's CPU (13.2 s of 188 s over
    tests/security, assessment, office and cases), at these 3.3 % (6.1 s), with the largest
    process 4 % bigger (docs/testing.md, sixth round)."""
    gc.set_threshold(20_000, 10, 10)


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Each test's database rolls back, taking the configuration token with it: what a process
    cached under a token from an earlier test must not serve the next one (issue #25)."""
    from xiaoneng.workdays.calendar import calendar_cache_clear

    calendar_cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_off_unless_marked(request: pytest.FixtureRequest, settings: object) -> None:
    """The second factor is on by default (XIAONENG_REQUIRE_OTP); tests of other features sign
    in leaders and administrators without it. Tests marked ``otp`` keep it on."""
    settings.XIAONENG_REQUIRE_OTP = request.node.get_closest_marker("otp") is not None


@pytest.fixture
def demo_org(db: None) -> None:
    """The demo bureau, its schools, posts and one login per role, as ``demo_load`` makes them
    through the services: built by the first test of a process that asks for it, then copied
    into each later test from a recording of that build (see tests/demo_snapshot.py)."""
    from tests.demo_snapshot import load_demo_bureau

    load_demo_bureau()


@pytest.fixture
def guides(demo_org: None) -> None:
    """The demo bureau with the demo's service guides and commitments, copied in like the
    bureau (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import load_demo_guides

    load_demo_guides()


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


@pytest.fixture
def users(demo_org: None) -> dict[str, User]:
    """Named users of the demo organisation, keyed by username (intake, head, auditor, …)."""
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def staff_of(demo_org: None):
    return _staff


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Every test starts in the site's default language: a request that switched to English
    must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_modify_db_settings: None) -> bool:
    """On SQLite, each test process starts from a copy of a migrated template database
    (tests/db_template.py) and keeps it, instead of migrating its own."""
    from pathlib import Path

    from django.conf import settings

    from tests.db_template import copy_template_to

    if request.config.getvalue("reuse_db"):
        return True
    database = settings.DATABASES["default"]
    if (
        database["ENGINE"] != "django.db.backends.sqlite3"
        or request.config.getvalue("create_db")
        or request.config.getvalue("nomigrations")
    ):
        return False
    target = Path(database["TEST"]["NAME"])
    copy_template_to(target, folder=target.parent)
    return True
