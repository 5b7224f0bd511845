"""Reading sign-in events and current lockouts for the security administrator, and who counts
as an administrator for the audit administrator's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.org.models import User
from xiaoneng.org.roles import ADMIN_ROLES
from xiaoneng.security.signins import SECURITY_EVENTS


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_at: datetime


def security_events(*, action: str = "", username: str = "") -> QuerySet[AuditEntry]:
    """Sign-ins, failures, lockouts, unlocks, second-factor failures, password and role
    changes, newest first; ``username`` matches the actor or the name typed at sign-in."""
    entries = AuditEntry.objects.filter(action__in=SECURITY_EVENTS).order_by("-id")
    if action in SECURITY_EVENTS:
        entries = entries.filter(action=action)
    username = username.strip()
    if username:
        entries = entries.filter(actor_label=username) | entries.filter(summary__username=username)
    return entries


def lockouts_current(*, now: datetime | None = None) -> list[Lockout]:
    """Accounts and addresses that django-axes refuses right now: the failures counted within
    the cool-off time reach the limit (the same sums axes makes, per username and per address)."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    limit = settings.AXES_FAILURE_LIMIT
    locks: list[Lockout] = []
    by_account = (
        recent.exclude(username__isnull=True)
        .exclude(username="")
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last_at")
    )
    for row in by_account:
        locks.append(Lockout(row["username"], "", row["failures"], row["last_at"]))
    by_address = (
        recent.exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last_at")
    )
    for row in by_address:
        locks.append(Lockout("", row["ip_address"], row["failures"], row["last_at"]))
    return locks


def administrator_ids() -> list[int]:
    """The logins holding one of the three administrator roles (and any superuser)."""
    holders = User.objects.filter(groups__name__in=[role.value for role in ADMIN_ROLES])
    superusers = User.objects.filter(is_superuser=True)
    return sorted(
        set(holders.values_list("pk", flat=True)) | set(superusers.values_list("pk", flat=True))
    )
