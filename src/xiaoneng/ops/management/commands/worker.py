"""`xiaoneng worker`: a Celery worker for Xiaoneng's tasks (needs CELERY_BROKER_URL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run a Celery worker (production mode; needs CELERY_BROKER_URL)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=None, help="Worker processes.")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", default=None, help="Node name (default celery@host).")
        parser.add_argument("--pool", default=None, help="prefork (default), solo or threads.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "CELERY_BROKER_URL is not set: in embedded mode `xiaoneng serve` runs the "
                "periodic jobs itself and no worker is needed."
            )
        from xiaoneng.ops.celery_app import app

        argv = ["worker", f"--loglevel={options['loglevel']}", "--without-mingle"]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        if options["pool"]:
            argv.append(f"--pool={options['pool']}")
        app.worker_main(argv)
