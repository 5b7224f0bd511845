"""`xiaoneng otp-code USERNAME`: the current authenticator code of a demo login (not in
production). Creates a confirmed authenticator for the person if they have none, so the demo
logins that need a second factor can sign in without a phone."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from xiaoneng.org.models import User
from xiaoneng.security.otp import otp_demo_device, otp_secret_text


class Command(BaseCommand):
    help = "Print the current second-factor code of a login (demo and development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("otp-code is not available in production mode.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No login named {options['username']!r}.")
        device = otp_demo_device(user=user)
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}")
        self.stderr.write(
            f"valid for {left} more second(s); secret {otp_secret_text(device=device)}"
        )
