"""`xiaoneng audit verify`: check that no audit row was altered, removed or forked."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Audit log tools. 'verify' recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute the hash chain and report the first broken row.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.ok:
            self.stdout.write(_("OK: %(rows)d audit rows, chain intact.") % {"rows": report.rows})
            return
        self.stderr.write(
            _("BROKEN: audit row %(id)s does not fit the chain: %(reason)s.")
            % {"id": report.broken_id, "reason": report.reason}
        )
        raise SystemExit(1)
