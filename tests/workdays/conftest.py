"""Fixtures for the calendar and clock tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UnitFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """An aware Asia/Shanghai moment from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def official(db: None) -> None:
    """The official schedules of 2024–2026 loaded through the service (enough for most tests
    and a fraction of the time of all 23 years)."""
    from xiaoneng.workdays.services import calendar_load

    calendar_load(years=[2024, 2025, 2026])


@pytest.fixture
def official_all(db: None) -> None:
    """Every year the chinesecalendar package carries, as ``xiaoneng calendar load`` does."""
    from xiaoneng.workdays.services import calendar_load

    calendar_load()


@pytest.fixture
def policies(db: None) -> None:
    from xiaoneng.catalog.services import policies_seed

    policies_seed()


@pytest.fixture
def admin(db: None):
    return UserFactory()


@pytest.fixture
def unit(db: None):
    return UnitFactory()


@pytest.fixture(autouse=True)
def _english_messages() -> object:
    """These tests match the English source messages; the Chinese ones are checked by the
    catalog check and by the case and office tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
