"""`xiaoneng notify_failed`: list the messages the relay gave up on, and requeue them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.notify.models import Notification
from xiaoneng.notify.selectors import notifications_failed
from xiaoneng.notify.services import notification_retry


class Command(BaseCommand):
    help = (
        "List failed notifications (recipients masked); with --retry ID … or --retry-all, "
        "queue them again for the relay (audited)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--retry", type=int, nargs="+", metavar="ID", default=[])
        group.add_argument("--retry-all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = notifications_failed().select_related("recipient_user")
        if options["retry_all"]:
            targets = list(failed)
        elif options["retry"]:
            targets = list(failed.filter(pk__in=options["retry"]))
            missing = sorted(set(options["retry"]) - {row.pk for row in targets})
            if missing:
                raise CommandError(f"Not failed notifications: {', '.join(map(str, missing))}")
        else:
            self._list(failed)
            return
        for notification in targets:
            notification_retry(notification=notification, by=None)
        self.stdout.write(f"{len(targets)} notification(s) queued again; the relay sends them.")

    def _list(self, failed: Any) -> None:
        rows: list[Notification] = list(failed[:200])
        if not rows:
            self.stdout.write("No failed notifications.")
            return
        for row in rows:
            self.stdout.write(
                f"#{row.pk} {row.created_at:%Y-%m-%d %H:%M} {row.channel} {row.kind} "
                f"{row.masked_recipient} {row.case_number or '-'} "
                f"attempts={row.attempts} {row.last_error}"
            )
