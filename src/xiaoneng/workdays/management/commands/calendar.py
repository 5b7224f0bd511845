"""``xiaoneng calendar load`` and ``xiaoneng calendar status``: the official holiday schedules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.workdays.selectors import CalendarStatus, calendar_status, year_ranges
from xiaoneng.workdays.services import calendar_load


def _years_text(years: list[int]) -> str:
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in year_ranges(years)]
    return ", ".join(parts) or "—"


class Command(BaseCommand):
    help = "Load the official holiday schedules, or report which years are covered."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "load", help="load every year the chinesecalendar package carries"
        )
        load.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
        status = actions.add_parser("status", help="which years are covered or missing")
        status.add_argument("--today", help="report as of this day (YYYY-MM-DD)")
        status.add_argument(
            "--check", action="store_true", help="exit with status 1 when there is a warning"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["year"])
        else:
            self._status(options["today"], check=options["check"])

    def _load(self, years: list[int] | None) -> None:
        result = calendar_load(years=years)
        if not result.years:
            raise CommandError(_("The chinesecalendar package carries none of these years."))
        self.stdout.write(
            _(
                "Loaded %(years)s from %(source)s: %(created)d days added, %(updated)d corrected, "
                "%(deleted)d removed; %(moved)d open clocks recomputed."
            )
            % {
                "years": _years_text(result.years),
                "source": result.source,
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "moved": result.clocks_moved,
            }
        )
        if result.kept_manual:
            days = ", ".join(day.isoformat() for day in result.kept_manual)
            self.stderr.write(
                self.style.WARNING(
                    _("Kept days entered by hand that differ from the package: %(days)s")
                    % {"days": days}
                )
            )

    def _status(self, today_text: str | None, *, check: bool) -> None:
        try:
            today = date.fromisoformat(today_text) if today_text else None
        except ValueError:
            raise CommandError(
                _("%(value)s is not a date (YYYY-MM-DD).") % {"value": today_text}
            ) from None
        status = calendar_status(today)
        self._print_status(status)
        if check and status.warning:
            raise CommandError(_("The holiday calendar needs attention."), returncode=1)

    def _print_status(self, status: CalendarStatus) -> None:
        self.stdout.write(
            _("Official holiday schedules loaded: %(years)s")
            % {"years": _years_text(status.official_years)}
        )
        self.stdout.write(
            _("Years missing (deadlines there are provisional): %(years)s")
            % {"years": _years_text(status.missing_years)}
        )
        self.stdout.write(
            _("National calendar days on record: %(count)d") % {"count": status.override_count}
        )
        if status.current_year_missing:
            self.stderr.write(
                self.style.ERROR(
                    _(
                        "WARNING: the official holiday schedule for %(year)d, the current year, "
                        "is not loaded. Deadlines are provisional. Run xiaoneng calendar load "
                        "or enter the schedule by hand."
                    )
                    % {"year": status.today.year}
                )
            )
        if status.next_year_missing and status.warning:
            self.stderr.write(
                self.style.ERROR(
                    _(
                        "WARNING: the official holiday schedule for %(year)d is not loaded. "
                        "Deadlines reaching into %(year)d are provisional. Upgrade the "
                        "chinesecalendar package and run xiaoneng calendar load, or enter the "
                        "schedule by hand as soon as the State Council publishes it."
                    )
                    % {"year": status.today.year + 1}
                )
            )
        elif not status.warning:
            self.stdout.write(_("Calendar OK."))
