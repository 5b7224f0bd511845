"""`xiaoneng backup [--output FILE]`: the database and a manifest in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.ops.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) into a .tar.gz with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, default=None, help="Archive to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = backup_create(output=options["output"])
        dump = result.manifest["dump"]
        self.stdout.write(
            _("Backup written to %(path)s (%(size)d bytes of database, sha256 %(sha)s).")
            % {"path": result.path, "size": dump["size"], "sha": dump["sha256"][:16]}
        )
