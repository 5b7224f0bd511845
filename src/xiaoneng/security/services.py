"""Passwords and sessions: change, expiry, ending every session of a person."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.org.models import User
from xiaoneng.security.models import PasswordHistory, UserSession


def password_changed_at(*, user: User) -> datetime:
    """When the person's current password was set; the account's creation if never recorded."""
    latest = (
        PasswordHistory.objects.filter(user_id=user.pk)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return latest or user.date_joined


def password_expires_at(*, changed_at: datetime) -> datetime:
    return changed_at + timedelta(days=settings.XIAONENG_PASSWORD_MAX_AGE_DAYS)


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Check the old password and the policy, set the new one, record and audit it."""
    if not user.check_password(old_password):
        raise DomainError(_("The current password is not correct."))
    if old_password == new_password:
        raise DomainError(_("The new password must differ from the current one."))
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        user.password = locked.password
        log_action(action="security.password_change", obj=locked, actor=user)


def session_register(*, user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user_id": user.pk})


def user_sessions_end(*, user: User) -> int:
    """Delete every session the person signed in with; returns how many were ended."""
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    if not keys:
        return 0
    ended, _detail = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return ended


def user_deactivate(*, user: User, by: User | None) -> None:
    """Deactivate an account: it can no longer sign in and every open session ends now."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended = user_sessions_end(user=locked)
        log_action(
            action="security.user_deactivate", obj=locked, actor=by, summary={"sessions": ended}
        )
    user.is_active = False


def sessions_prune(*, now: datetime | None = None) -> int:
    """Forget registered keys whose session is gone (expired or signed out)."""
    now = now or timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    deleted, _detail = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
