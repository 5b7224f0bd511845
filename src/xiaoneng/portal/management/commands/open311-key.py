"""`xiaoneng open311-key create NAME`: a key for an Open311 client, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.portal.models import Open311Key
from xiaoneng.portal.services import open311_key_create, open311_key_deactivate


class Command(BaseCommand):
    help = "Open311 api_keys: create NAME (prints the key once), list, deactivate NAME."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create a key and print it once.")
        create.add_argument("name")
        sub.add_parser("list", help="List the keys (never the keys themselves).")
        deactivate = sub.add_parser("deactivate", help="Stop a key from working.")
        deactivate.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "create":
            key, raw = open311_key_create(name=options["name"])
            self.stdout.write(raw)
            self.stderr.write(
                _("Key %(name)s created. It is shown only this once: keep it safe.")
                % {"name": key.name}
            )
        elif options["subcommand"] == "deactivate":
            key = open311_key_deactivate(name=options["name"])
            self.stdout.write(_("Key %(name)s deactivated.") % {"name": key.name})
        else:
            for key in Open311Key.objects.all():
                state = _("active") if key.is_active else _("inactive")
                self.stdout.write(f"{key.name}\t{state}\t{key.created_at:%Y-%m-%d}")
