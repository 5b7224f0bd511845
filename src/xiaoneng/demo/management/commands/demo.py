"""`xiaoneng demo`: load the demo organisation (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.demo.data import DEMO_PASSWORD
from xiaoneng.demo.services import demo_is_loaded, demo_load, demo_logins
from xiaoneng.org.roles import role_label


class Command(BaseCommand):
    help = "Load the demo bureau, schools, posts and one login per role; print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--first-run",
            action="store_true",
            help="Load only when no demo data exists yet (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["first_run"] and demo_is_loaded():
            self.stdout.write(_("Demo data already loaded."))
        else:
            demo_load()
            self.stdout.write(_("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(pw)s)") % {"pw": DEMO_PASSWORD})
        for login in demo_logins():
            roles = "、".join(role_label(code) for code in login.roles)
            self.stdout.write(
                f"  {login.username:<18} {login.full_name:<6} {roles}  ({login.where})"
            )
        self.stdout.write("")
