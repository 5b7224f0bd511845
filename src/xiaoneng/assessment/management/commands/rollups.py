"""``xiaoneng rollups rebuild|check|apply``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.assessment.rollups import rollups_apply_all, rollups_check, rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild, check or apply the assessment rollups."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "apply"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "rebuild":
            count = rollups_rebuild()
            self.stdout.write(f"rebuilt from {count} cases")
        elif action == "apply":
            self.stdout.write(f"{rollups_apply_all()} cases recomputed")
        else:
            problems = rollups_check()
            for line in problems:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"{len(problems)} differences", returncode=1)
            self.stdout.write("rollups agree with the case table")
