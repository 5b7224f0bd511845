"""Export control: who may export, why, and how often.

Callers: check with ``export_authorize`` before building the file; the workbook, its watermark
and the audited export row are ``xiaoneng.web.excel``'s (the audited rows feed the rate limit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.excel import EXPORT_ACTION_SUFFIX

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

REASON_MAX = 200


def exports_in_last_hour(*, user: User, now: datetime | None = None) -> int:
    since = (now or timezone.now()) - timedelta(hours=1)
    return AuditEntry.objects.filter(
        actor_id=user.pk, action__endswith=EXPORT_ACTION_SUFFIX, created_at__gte=since
    ).count()


def export_authorize(
    *, user: User, reason: str, kind: str, roles: Iterable[str] | None = None
) -> str:
    """Refuse an export without the role, without a reason, or over the hourly limit; returns
    the cleaned reason."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to export."))
    if roles is not None and not user_roles(user) & set(roles):
        raise PermissionDenied(_("Your role may not export this list."))
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise DomainError(_("Give the reason for this export."))
    limit = settings.XIAONENG_EXPORTS_PER_HOUR
    if exports_in_last_hour(user=user) >= limit:
        raise DomainError(
            lazy_format(
                _("You have reached the limit of %(limit)s exports per hour. Try again later."),
                {"limit": limit},
            )
        )
    return reason
