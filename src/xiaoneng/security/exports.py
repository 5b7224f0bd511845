"""Export control: who may export, why, how often; and the watermark on every workbook.

Callers: check with ``export_authorize`` before building the file, stamp the workbook with
``workbook_watermark``, then record it with ``export_record`` (the audited row also feeds the
rate limit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.selectors import user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

EXPORT_ACTION_SUFFIX = ".export"
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


def export_record(
    *, user: User, kind: str, reason: str, rows: int, filters: dict[str, Any] | None = None
) -> AuditEntry:
    """Audit one export (call inside a transaction): who, which list, why, how many rows."""
    return log_action(
        action=f"{kind}{EXPORT_ACTION_SUFFIX}",
        actor=user,
        summary={"kind": kind, "reason": reason, "rows": rows, "filters": filters or {}},
    )


def watermark_text(*, user: User, at: datetime) -> str:
    moment = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return gettext("Exported by %(user)s (%(username)s) at %(time)s. Internal use only.") % {
        "user": str(user),
        "username": user.get_username(),
        "time": moment,
    }


def workbook_watermark(workbook: Any, *, user: User, at: datetime) -> str:
    """Put the exporter and time in every sheet's header and footer and a first-row note.

    For a write-only workbook call it before appending rows; in any other workbook the note is
    inserted above what is there. Either way it is row 1.
    Returns the text used.
    """
    text = watermark_text(user=user, at=at)
    for sheet in workbook.worksheets:
        for part in (sheet.oddHeader, sheet.evenHeader):
            part.center.text = text
        for part in (sheet.oddFooter, sheet.evenFooter):
            part.center.text = text
        if workbook.write_only:
            sheet.append([text])
        else:
            sheet.insert_rows(1)
            sheet.cell(row=1, column=1, value=text)
    return text
