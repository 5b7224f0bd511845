"""`xiaoneng restore FILE`: load a backup into an empty database, then verify the audit chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.ops.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an EMPTY database and verify the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        result = backup_restore(path=options["file"])
        manifest = result.manifest
        self.stdout.write(
            _("Restored the backup of %(created)s (version %(version)s, %(db)s).")
            % {
                "created": manifest["created_at"],
                "version": manifest["app_version"],
                "db": manifest["database"]["version"],
            }
        )
        if result.newer_apps:
            self.stdout.write(
                _("This version has newer migrations for: %(apps)s. Run `xiaoneng migrate`.")
                % {"apps": ", ".join(result.newer_apps)}
            )
        report = audit_chain_verify()
        if not report.ok:
            self.stderr.write(
                _("Audit chain BROKEN at row %(id)s: %(reason)s.")
                % {"id": report.broken_id, "reason": report.reason}
            )
            raise SystemExit(1)
        self.stdout.write(_("Audit chain OK: %(rows)d rows.") % {"rows": report.rows})
