"""An alert acknowledged by SMS: the recipient texts back the alert's reply code. Every text
the provider passes on is kept (``SmsReply``) with what became of it; an unknown or expired
code changes nothing else."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models import Alert, SmsReply
from xiaoneng.emergencies.services._common import _now
from xiaoneng.emergencies.services.alerts import alert_acknowledge
from xiaoneng.errors import DomainError
from xiaoneng.notify.sms_templates import mainland_number
from xiaoneng.privacy import mask_phone

CODE = re.compile(r"(?<!\d)(\d{4,6})(?!\d)")


def _alert_for(phone: str, code: str) -> Alert | None:
    """The latest alert with ``code`` sent to the staff member with this mobile number."""
    candidates = (
        Alert.objects.filter(reply_code=code)
        .select_related("recipient__user", "incident", "case")
        .order_by("-sent_at", "-id")
    )
    for alert in candidates[:50]:
        if mainland_number(alert.recipient.phone or "") == phone:
            return alert
    return None


def _expired(alert: Alert, at: datetime) -> bool:
    window = timedelta(hours=settings.XIAONENG_EMERGENCY_REPLY_CODE_HOURS)
    if alert.state == Alert.State.WITHDRAWN or at - alert.sent_at > window:
        return True
    if alert.incident is not None:
        return not alert.incident.is_open
    return alert.case is None or not alert.case.is_open


def sms_reply_receive(
    *,
    provider: str,
    phone: str,
    text: str,
    sent_at: datetime | None = None,
    at: datetime | None = None,
) -> SmsReply:
    """A text sent back: the alert its code names for this number is acknowledged by its
    recipient (on the timeline, ``via`` sms, audited); otherwise recorded and ignored."""
    at = _now(at)
    phone = mainland_number(phone)
    match = CODE.search(text or "")
    alert = _alert_for(phone, match.group(1)) if match else None
    with transaction.atomic():
        if alert is None:
            outcome = SmsReply.Outcome.UNKNOWN
        elif alert.state == Alert.State.ACKNOWLEDGED:
            outcome = SmsReply.Outcome.ALREADY
        elif _expired(alert, at):
            outcome = SmsReply.Outcome.EXPIRED
        else:
            try:
                alert_acknowledge(alert=alert, by=alert.recipient.user, at=at, via="sms")
                outcome = SmsReply.Outcome.ACKNOWLEDGED
            except DomainError:
                outcome = SmsReply.Outcome.ALREADY
        reply = SmsReply.objects.create(
            provider=provider,
            phone=phone,
            text=(text or "")[:300],
            received_at=at,
            sent_at=sent_at,
            outcome=outcome,
            alert=alert,
        )
        log_action(
            action="emergencies.sms_reply",
            obj=reply,
            summary={
                "provider": provider,
                "phone": mask_phone(phone),
                "outcome": outcome,
                "alert": alert.pk if alert else None,
            },
        )
    return reply
