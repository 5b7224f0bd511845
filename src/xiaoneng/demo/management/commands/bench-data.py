"""`xiaoneng bench-data --cases N`: fill a benchmark database with a ten-year case history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from xiaoneng.errors import DomainError

# The generated tracking secrets can be derived from the codes (the tracking benchmark needs
# them), so the command refuses any database that is not plainly a benchmark's.
NAME_MARK = "bench"


class Command(BaseCommand):
    help = (
        "Add N generated cases with a realistic history (events, clocks, returns, extensions, "
        "ratings, audit rows) to a PostgreSQL benchmark database whose name contains 'bench', "
        "then rebuild the rollups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add")
        parser.add_argument("--years", type=int, default=10, help="Years of history (10)")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (2026)")
        parser.add_argument(
            "--no-rollups", action="store_true", help="Skip rebuilding the rollups afterwards"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported when run: `xiaoneng help bench-data` need not load the bench machinery.
        from xiaoneng.assessment.rollups import rollups_rebuild
        from xiaoneng.demo.benchdata import bench_data_fill

        name = connection.settings_dict["NAME"] or ""
        if NAME_MARK not in name:
            raise CommandError(
                _(
                    "bench-data only fills a benchmark database: its name must contain "
                    "“bench” (this one is “%(name)s”)."
                )
                % {"name": name}
            )
        try:
            result = bench_data_fill(
                cases=options["cases"],
                years=options["years"],
                seed=options["seed"],
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Added %(cases)s cases (%(open)s still open), %(events)s events, %(clocks)s "
                "clocks and %(audit)s audit rows in %(seconds).0f s."
            )
            % {
                "cases": f"{result.cases:,}",
                "open": f"{result.open_cases:,}",
                "events": f"{result.events:,}",
                "clocks": f"{result.clocks:,}",
                "audit": f"{result.audit_rows:,}",
                "seconds": result.seconds,
            }
        )
        if not options["no_rollups"]:
            import time

            began = time.perf_counter()
            rollups_rebuild()
            self.stdout.write(
                _("Rollups rebuilt in %(seconds).0f s.") % {"seconds": time.perf_counter() - began}
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
