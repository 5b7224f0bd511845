"""`xiaoneng sweep`: raise due pre-warnings and cards, record assisting silence, close unrated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoneng.cases.sweeps import sweep


class Command(BaseCommand):
    help = "Run the deadline sweeper once and print what it did."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep()
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
