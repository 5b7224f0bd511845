"""`xiaoneng beat`: the Celery beat scheduler that queues every registered periodic job."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run Celery beat: queue every periodic job each XIAONENG_PERIODIC_INTERVAL seconds."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument(
            "--schedule", default=settings.CELERY_BEAT_SCHEDULE_FILENAME, help="State file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "CELERY_BROKER_URL is not set: in embedded mode `xiaoneng serve` runs the "
                "periodic jobs itself and beat is not needed."
            )
        from xiaoneng.ops.celery_app import app, beat_schedule

        app.conf.beat_schedule = beat_schedule()
        for name in sorted(app.conf.beat_schedule):
            self.stdout.write(f"scheduled {name}")
        app.start(
            ["beat", f"--loglevel={options['loglevel']}", f"--schedule={options['schedule']}"]
        )
