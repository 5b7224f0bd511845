"""`xiaoneng sweep`: raise due pre-warnings and cards, record assisting silence, close unrated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xiaoneng.cases.sweeps import sweep_parallel


class Command(BaseCommand):
    help = "Run the deadline sweeper once and print what it did."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help=_("Sweepers to run at once, each in its own process (one per core; PostgreSQL)"),
        )

    def handle(self, *args: Any, workers: int = 1, **options: Any) -> None:
        if workers < 1:
            raise CommandError(_("--workers must be at least 1."))
        result = sweep_parallel(workers=workers)
        labels = {
            "prewarn": _("pre-warnings"),
            "yellow": _("yellow cards"),
            "red": _("red cards"),
            "assist_silent": _("assisting opinions recorded as agreement (silence)"),
            "closed_unrated": _("cases closed unrated"),
        }
        self.stdout.write(_("Clocks checked: %(n)d") % {"n": result.checked})
        for key, label in labels.items():
            self.stdout.write(f"  {label}: {result.raised.get(key, 0)}")
        if not sum(result.raised.values()):
            self.stdout.write(_("Nothing to raise."))
