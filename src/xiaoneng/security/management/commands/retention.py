"""`xiaoneng retention run [--dry-run]`: anonymise old requester data and say what was done."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from xiaoneng.security.retention import retention_run


class Command(BaseCommand):
    help = "Apply the retention rules (requester personal data, audit log) and report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(now=timezone.now(), dry_run=options["dry_run"])
        verb = "would anonymise" if options["dry_run"] else "anonymised"
        self.stdout.write(
            f"Requester personal data {verb} on {report.cases_anonymised} closed case(s) "
            f"closed before {report.cutoff:%Y-%m-%d}."
        )
        self.stdout.write(
            f"Requester addresses masked on {report.notifications_blanked} notification(s)."
        )
        self.stdout.write(
            f"Audit log: {report.audit_rows_past_retention} row(s) older than "
            f"{report.audit_cutoff:%Y-%m-%d} (kept; the log is never deleted by this command, "
            f"archive the chain first). Rows deleted: {report.audit_rows_deleted}."
        )
