"""The official State Council schedules as carried by the ``chinesecalendar`` package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from django.utils.translation import get_language

# The package names holidays by its English enum values; the calendar shows the Chinese names.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


ENGLISH_NAMES = {chinese: english for english, chinese in CHINESE_NAMES.items()}


def holiday_label(name: str) -> str:
    """A holiday's stored (Chinese) name in the reader's language: the official holidays by
    their English names on English pages; a name entered by hand as it was typed."""
    if not name or not (get_language() or "").startswith("en"):
        return name
    return ", ".join(ENGLISH_NAMES.get(part, part) for part in name.split("、"))


@dataclass(frozen=True)
class OfficialDay:
    day: date
    is_workday: bool
    name: str


def chinese_name(english: str) -> str:
    # Some days belong to two holidays in one block (e.g. "Mid-autumn Festival, National Day").
    parts = [part.strip() for part in english.split(",")]
    return "、".join(CHINESE_NAMES.get(part, part) for part in parts if part)


def package_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - vendored or renamed installs
        return "unknown"


@cache
def official_days() -> dict[int, tuple[OfficialDay, ...]]:
    """Every overridden day the package carries, grouped by year (read once per process)."""
    from chinese_calendar import constants

    by_year: dict[int, list[OfficialDay]] = {}
    for source, is_workday in ((constants.holidays, False), (constants.workdays, True)):
        for day, english in source.items():
            entry = OfficialDay(day=day, is_workday=is_workday, name=chinese_name(str(english)))
            by_year.setdefault(day.year, []).append(entry)
    return {
        year: tuple(sorted(entries, key=lambda entry: entry.day))
        for year, entries in by_year.items()
    }
