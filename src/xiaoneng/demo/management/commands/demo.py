"""`xiaoneng demo`: load the demo organisation (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.cases.models import Case
from xiaoneng.demo.data import DEMO_PASSWORD
from xiaoneng.demo.features import demo_features_load
from xiaoneng.demo.guides import demo_guides_load
from xiaoneng.demo.history import demo_history_load
from xiaoneng.demo.services import demo_is_loaded, demo_load, demo_logins
from xiaoneng.org.roles import role_label
from xiaoneng.workdays.models import CalendarYear
from xiaoneng.workdays.services.calendar import calendar_load


class Command(BaseCommand):
    help = "Load the demo bureau, schools, posts and one login per role; print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--first-run",
            action="store_true",
            help="Load only when no demo data exists yet (used by `make run`).",
        )
        parser.add_argument(
            "--cases", type=int, default=300, help="How many historical cases to create."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["first_run"] and demo_is_loaded():
            self.stdout.write(_("Demo data already loaded."))
        else:
            if not CalendarYear.objects.exists():
                calendar_load()
                self.stdout.write(_("Official working-day calendar loaded."))
            demo_load()
            demo_guides_load()
            if not Case.objects.exists():
                self.stdout.write(_("Creating six months of case history (about a minute)…"))
                demo_history_load(cases=options["cases"])
            demo_features_load()
            self.stdout.write(_("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(pw)s)") % {"pw": DEMO_PASSWORD})
        for login in demo_logins():
            roles = "、".join(role_label(code) for code in login.roles)
            self.stdout.write(
                f"  {login.username:<18} {login.full_name:<6} {roles}  ({login.where})"
            )
        if settings.XIAONENG_REQUIRE_OTP:
            self.stdout.write("")
            self.stdout.write(
                _(
                    "The efficiency office, inspector, leader and administrator logins also ask "
                    "for a second-factor code: run `xiaoneng otp-code USERNAME` to get it."
                )
            )
        self.stdout.write("")
