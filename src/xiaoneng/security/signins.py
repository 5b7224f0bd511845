"""Sign-in events in the audit log, and lifting a lockout (GB/T 22239-2019 level 3, 安全审计).

Django and django-axes announce sign-ins, failures, sign-outs and lockouts through signals; the
receivers in ``receivers.py`` only call the services below, which decide what is written. Only
the username a person typed is kept: never a password, a one-time code or a token (the summary
cleaner in ``log_action`` drops such keys as a second guard).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.org.models import User
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

# The actions the security administrator reviews on the sign-in page.
SIGNIN = "security.signin"
SIGNIN_FAILED = "security.signin_failed"
SIGNOUT = "security.signout"
LOCKOUT = "security.lockout"
UNLOCK = "security.unlock"
SECURITY_EVENT_LABELS = {
    SIGNIN: _("Signed in"),
    SIGNIN_FAILED: _("Sign-in refused"),
    SIGNOUT: _("Signed out"),
    LOCKOUT: _("Locked out"),
    UNLOCK: _("Lockout lifted"),
    "security.otp_failed": _("Second factor refused"),
    "security.otp_enrol": _("Authenticator set up"),
    "security.password_change": _("Password changed"),
    "security.password_set": _("Password set by an administrator"),
    "security.user_deactivate": _("Account deactivated"),
    "org.staff.set_roles": _("Roles changed"),
    "org.staff.create": _("Account created"),
    "org.user.update": _("Account or roles changed (administration)"),
}
SECURITY_EVENTS = tuple(SECURITY_EVENT_LABELS)
# Usernames longer than any real one are cut: whatever was typed is kept only to this length.
_USERNAME_MAX = 150


def _typed_username(username: Any) -> str:
    return str(username or "").strip()[:_USERNAME_MAX]


def _account(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


def signin_record(*, user: User) -> None:
    """A person signed in (password, and where required the second factor follows)."""
    with transaction.atomic():
        log_action(action=SIGNIN, obj=user, actor=user)


def signin_failed_record(*, username: Any) -> None:
    """A sign-in was refused: wrong password, unknown account, inactive or locked."""
    typed = _typed_username(username)
    with transaction.atomic():
        log_action(action=SIGNIN_FAILED, obj=_account(typed), summary={"username": typed})


def signout_record(*, user: User) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    with transaction.atomic():
        log_action(action=SIGNOUT, obj=user, actor=user)


def lockout_record(*, username: Any) -> None:
    """Too many failures: the account or the address is locked for the cool-off time."""
    typed = _typed_username(username)
    with transaction.atomic():
        log_action(action=LOCKOUT, obj=_account(typed), summary={"username": typed})


def lockout_clear(*, by: Actor, username: str = "", ip_address: str = "") -> int:
    """Lift the lock of an account (its failures from every address) or of an address (every
    username tried from it) before the cool-off ends; returns how many records were removed.

    Only the security administrator may do it, and it is audited with who, whom and from where.
    """
    username = _typed_username(username)
    ip_address = (ip_address or "").strip()
    if Role.SECADMIN not in user_roles(by):
        raise DomainError(_("Only the security administrator may lift a lockout."))
    if not username and not ip_address:
        raise DomainError(_("Name the account or the address to unlock."))
    if ip_address:
        try:
            ip_address = str(ipaddress.ip_address(ip_address))
        except ValueError:
            raise DomainError(_("This is not a valid IP address.")) from None
    condition = Q()
    if username:
        condition &= Q(username=username)
    if ip_address:
        condition &= Q(ip_address=ip_address)
    with transaction.atomic():
        removed: int
        removed, _detail = AccessAttempt.objects.filter(condition).delete()
        if not removed:
            raise DomainError(_("There is no lockout to lift for this account or address."))
        log_action(
            action=UNLOCK,
            obj=_account(username),
            actor=by,
            summary={"username": username, "address": ip_address, "attempts": removed},
        )
    return removed
