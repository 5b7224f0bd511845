"""Delivery receipts: asking the SMS provider whether each sent text reached the handset.

The adapter's ``send`` returned the provider's message id, kept on the outbox row; a periodic
job (``notify.sms_receipts``, every minute) asks the configured provider, through its query API,
about the texts it sent in the last two days that have no receipt yet, and records the answer:
``receipt_status`` delivered or undelivered, ``receipt_at`` (when the handset got it, per the
provider) and ``receipt_code`` (the provider's status code). A text still without an answer is
asked about again on the next run, until the window has passed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng.notify.models import Notification
from xiaoneng.notify.relay import error_text
from xiaoneng.notify.sms import sms_backend

log = logging.getLogger("xiaoneng.notify")

RECEIPT_WINDOW = timedelta(days=2)
_CODE_MAX = Notification._meta.get_field("receipt_code").max_length


def sms_receipts_fetch(*, limit: int = 100, now: datetime | None = None) -> int:
    """Ask for the receipts of up to ``limit`` sent texts; return how many were recorded."""
    now = now or timezone.now()
    try:
        backend = sms_backend()
    except Exception as exc:  # a provider not configured: the relay reports it on every text
        log.warning("SMS receipts not fetched: %s", error_text(exc))
        return 0
    ask = getattr(backend, "receipt", None)
    provider = str(getattr(backend, "provider", "") or "")
    if ask is None or not provider:
        return 0
    rows = (
        Notification.objects.filter(
            channel=Notification.Channel.SMS,
            status=Notification.Status.SENT,
            provider=provider,
            receipt_status="",
            sent_at__gte=now - RECEIPT_WINDOW,
        )
        .exclude(provider_message_id="")
        .order_by("id")[:limit]
    )
    recorded = 0
    for row in rows:
        try:
            receipt = ask(
                phone=row.recipient_address, message_id=row.provider_message_id, sent_at=row.sent_at
            )
        except Exception as exc:
            log.warning("receipt of notification %s not fetched: %s", row.pk, error_text(exc))
            continue
        if receipt is None:
            continue
        Notification.objects.filter(pk=row.pk).update(
            receipt_status=(
                Notification.Receipt.DELIVERED
                if receipt.delivered
                else Notification.Receipt.UNDELIVERED
            ),
            receipt_at=receipt.at or now,
            receipt_code=receipt.code[:_CODE_MAX],
        )
        recorded += 1
    return recorded
