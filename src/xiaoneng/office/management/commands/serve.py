"""`xiaoneng serve`: the production WSGI server (waitress) with the periodic jobs in-process."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from xiaoneng import periodic
from xiaoneng.wsgi import application


class Command(BaseCommand):
    help = "Serve Xiaoneng over HTTP (embedded mode: migrate first, run sweeps in-process)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run the sweeps in this process."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        if not settings.PRODUCTION:
            call_command("migrate", interactive=False, verbosity=0)
        self.check(databases=["default"], display_num_errors=False)
        if not options["no_periodic"]:
            periodic.start_in_background(settings.XIAONENG_PERIODIC_INTERVAL)
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Xiaoneng is serving on http://{shown}:{port}/  (Ctrl-C to stop)")
        waitress.serve(
            application, host=host, port=port, threads=options["threads"], ident="xiaoneng"
        )
