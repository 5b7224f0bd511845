"""`xiaoneng createstaff`: create a staff account with its unit, department and roles."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.errors import DomainError
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.services import staff_create


class Command(BaseCommand):
    help = "Create a staff member (there are no superusers: give one administrator role instead)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="Full name, e.g. 张三")
        parser.add_argument("--unit", required=True, help="Unit code")
        parser.add_argument("--department", help="Department code within the unit")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            choices=[role.value for role in Role],
            help="Repeat for several roles",
        )
        parser.add_argument("--password", help="Read from the terminal when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with code %(code)s.") % {"code": options["unit"]})
        department = None
        if options["department"]:
            department = Department.objects.filter(unit=unit, code=options["department"]).first()
            if department is None:
                raise CommandError(
                    _("No department with code %(code)s in that unit.")
                    % {"code": options["department"]}
                )
        password = options["password"] or getpass.getpass(_("Password: "))
        try:
            staff = staff_create(
                username=options["username"],
                full_name=options["name"],
                unit=unit,
                department=department,
                roles=options["role"],
                password=password,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Created %(name)s.") % {"name": staff})
