"""`xiaoneng apikey create|issue|revoke|list`: integration clients and their keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.api.models import ApiClient, ApiKey
from xiaoneng.api.scopes import SCOPES, SERVICE_ROLES
from xiaoneng.api.services import apiclient_create, apikey_issue, apikey_revoke
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Department, Unit


class Command(BaseCommand):
    help = "Manage integration clients and their API keys (a key is shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a client and issue its first key")
        create.add_argument("name")
        create.add_argument("--scope", action="append", default=[], choices=sorted(SCOPES))
        create.add_argument("--unit", help="Restrict the client to this unit (code)")
        create.add_argument("--department", help="Department code of its service account")
        create.add_argument("--role", action="append", default=[], choices=SERVICE_ROLES)
        create.add_argument("--days", type=int, default=365, help="Key validity in days")
        issue = sub.add_parser("issue", help="Issue another key (rotation: old keys stay valid)")
        issue.add_argument("name")
        issue.add_argument("--days", type=int, default=365)
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="List clients and keys")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _create(self, options: dict[str, Any]) -> None:
        unit = department = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(_("No unit with code %(code)s.") % {"code": options["unit"]})
        if options["department"]:
            department = Department.objects.filter(
                unit=unit or Unit.objects.filter(parent=None).order_by("pk").first(),
                code=options["department"],
            ).first()
            if department is None:
                raise CommandError(
                    _("No department with code %(code)s in that unit.")
                    % {"code": options["department"]}
                )
        client = apiclient_create(
            name=options["name"],
            scopes=options["scope"],
            unit=unit,
            department=department,
            roles=options["role"] or ["intake"],
            by=None,
        )
        self._print_key(client, options["days"])

    def _issue(self, options: dict[str, Any]) -> None:
        client = ApiClient.objects.filter(name=options["name"]).first()
        if client is None:
            raise CommandError(_("No client named %(name)s.") % {"name": options["name"]})
        self._print_key(client, options["days"])

    def _print_key(self, client: ApiClient, days: int) -> None:
        issued = apikey_issue(client=client, by=None, days=days)
        self.stdout.write(
            _("Key for %(name)s (shown only now, store it safely):") % {"name": client.name}
        )
        self.stdout.write(issued.plaintext)

    def _revoke(self, options: dict[str, Any]) -> None:
        keys = list(ApiKey.objects.filter(prefix=options["prefix"]))
        if len(keys) != 1:
            raise CommandError(_("No single key with that prefix."))
        apikey_revoke(key=keys[0], by=None)
        self.stdout.write(_("Revoked."))

    def _list(self, options: dict[str, Any]) -> None:
        for client in ApiClient.objects.select_related("unit").prefetch_related("keys"):
            scope = client.unit.code if client.unit_id else "*"
            state = "" if client.is_active else " " + _("(deactivated)")
            self.stdout.write(f"{client.name} [{scope}] {' '.join(client.scopes)}{state}")
            for key in client.keys.all():
                status = (
                    _("revoked")
                    if key.revoked_at
                    else (_("valid") if key.is_valid() else _("expired"))
                )
                expires = key.expires_at.date().isoformat() if key.expires_at else "-"
                used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "-"
                self.stdout.write(f"  {key.prefix}  {status}  {expires}  {used}")
