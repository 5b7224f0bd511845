"""Password rules of the level-3 baseline: character classes, no username, no recent re-use.

Django calls ``password_changed`` on every validator after a user with a new password is saved
(``set_password`` then ``save``), whoever does it: the services, the admin, the demo loader and
the test factories. The history validator records the new hash and its time there, so the
change interval starts at creation without any caller having to remember it.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _classes(password: str) -> int:
    groups = [
        any(ch.islower() for ch in password),
        any(ch.isupper() for ch in password),
        any(ch.isdigit() for ch in password),
        any(not ch.isalnum() or ch in string.punctuation for ch in password),
    ]
    return sum(groups)


class CharacterClassesValidator:
    """At least N of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int | None = None) -> None:
        self.min_classes = min_classes

    @property
    def required(self) -> int:
        if self.min_classes is not None:
            return self.min_classes
        return int(getattr(settings, "XIAONENG_PASSWORD_MIN_CLASSES", 3))

    def validate(self, password: str, user: User = None) -> None:
        if _classes(password) < self.required:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(number)d of: lower-case letters, upper-case "
            "letters, digits and other characters."
        ) % {"number": self.required}


class UsernameNotContainedValidator:
    def validate(self, password: str, user: User = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("Your password must not contain your username.")


class PasswordHistoryValidator:
    """Refuse the last N passwords; record each new one (see the module docstring)."""

    @property
    def depth(self) -> int:
        return int(getattr(settings, "XIAONENG_PASSWORD_HISTORY", 5))

    def validate(self, password: str, user: User = None) -> None:
        if user is None or user.pk is None:
            return
        from xiaoneng.security.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        for encoded in recent[: self.depth]:
            if check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: User = None) -> None:
        if user is None or user.pk is None:
            return
        from xiaoneng.security.models import PasswordHistory

        PasswordHistory.objects.create(
            user_id=user.pk, password=user.password, created_at=timezone.now()
        )
        keep = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
                : max(self.depth, 1)
            ]
        )
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return _("Your password must differ from your last %(number)d passwords.") % {
            "number": self.depth
        }
