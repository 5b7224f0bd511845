"""`xiaoneng data-keys generate|status|rotate`: the keys that encrypt personal data at rest."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.fieldcrypt import datakeys
from xiaoneng.security.rotation import DEFAULT_BATCH, data_keys_rotate, data_keys_status


class Command(BaseCommand):
    help = (
        "Personal-data keys: generate ID (prints a new key entry), status (what each column "
        "is encrypted under), rotate (re-encrypt everything under the current key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        generate = sub.add_parser("generate", help="Print a new id:base64key entry.")
        generate.add_argument("key_id", help="A short name, e.g. 2026a.")
        sub.add_parser("status", help="Count the values under each key, per column.")
        rotate = sub.add_parser(
            "rotate", help="Re-encrypt under the current key and recompute the blind indexes."
        )
        rotate.add_argument("--batch", type=int, default=DEFAULT_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "generate":
            try:
                self.stdout.write(datakeys.generate_key_entry(options["key_id"]))
            except ValueError:
                raise CommandError(
                    _("A key id is 1-16 letters, digits, '.', '_' or '-'.")
                ) from None
            return
        ring = datakeys.keyring()
        self.stdout.write(
            _("Current key: %(key)s (check value %(check)s)")
            % {"key": ring.current_id, "check": datakeys.key_check_value(ring.current_id)}
        )
        if command == "status":
            for row in data_keys_status():
                self.stdout.write(
                    f"{row.table}.{row.column}\t"
                    + _(
                        "%(values)d values: %(current)d current key, %(other)d older keys, "
                        "%(clear)d clear"
                    )
                    % {
                        "values": row.values,
                        "current": row.current,
                        "other": row.other_keys,
                        "clear": row.clear,
                    }
                )
            return
        if options["batch"] < 1:
            raise CommandError(_("--batch must be at least 1."))

        def progress(table: str, done: int) -> None:
            message = _("%(table)s: %(done)d rows re-encrypted")
            self.stdout.write(message % {"table": table, "done": done})

        report = data_keys_rotate(batch=options["batch"], progress=progress)
        self.stdout.write(
            _("Done: %(rows)d rows now under key %(key)s.")
            % {"rows": report.total, "key": report.key_id}
        )
