"""`xiaoneng webhooks_send`: fan out settled case events and send due webhook deliveries once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiaoneng.webhooks.delivery import webhook_deliveries_plan, webhook_deliveries_send


class Command(BaseCommand):
    help = "Plan webhook deliveries for new case events and send the due ones once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="Most deliveries to send (default 100)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        planned = webhook_deliveries_plan()
        sent = webhook_deliveries_send(limit=max(1, options["limit"]))
        self.stdout.write(
            f"Webhooks: {planned.events} events read, {planned.deliveries} deliveries planned; "
            f"{sent.delivered} delivered, {sent.retried} to retry later, {sent.failed} failed."
        )
