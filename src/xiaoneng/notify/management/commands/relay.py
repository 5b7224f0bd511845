"""`xiaoneng relay`: deliver the due messages of the notification outbox once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiaoneng.notify.relay import outbox_relay


class Command(BaseCommand):
    help = "Deliver due notifications from the outbox once and print how many were sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=200, help="Most messages to handle (default 200)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_relay(limit=max(1, options["limit"]))
        self.stdout.write(
            f"Notifications: {result.sent} sent, {result.retried} to retry later, "
            f"{result.failed} failed."
        )
