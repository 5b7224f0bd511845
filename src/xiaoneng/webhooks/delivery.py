"""Fan-out of case events to webhook endpoints, and the signed, retried HTTP delivery.

Ordering. The case event table is the outbox: ``webhook_deliveries_plan`` reads it after a
cursor kept in one locked row. Event ids are handed out when a row is inserted, not when its
transaction commits, so a transaction holding id 10 may commit after one holding id 11; a
cursor that jumped to 11 at the moment only 11 was visible would skip 10 for ever. The plan
therefore works in two steps: it notes the highest event id it can see (the *horizon*) and the
time, and only fans out events up to that horizon once ``SETTLE_SECONDS`` have passed since
the observation. Any transaction that had inserted an event below the horizon and commits
within the settle delay is seen. We observe the horizon instead of comparing ``CaseEvent.at``
because services may record an event with a backdated time (an imported case keeps its
original registration time).

Limit: an event whose transaction stays open longer than the settle delay after the horizon
was taken is skipped. Case transactions last milliseconds; a longer settle delay trades
latency for margin. Events reach receivers one to two periodic runs after they happen.

Delivery. Due rows are claimed in a short transaction with ``SELECT … FOR UPDATE SKIP LOCKED``
and pushed ``LEASE_SECONDS`` into the future before the transaction commits, so no lock (and,
on SQLite, no write lock) is held during the HTTP call and a second sender never picks the
same row. The outcome is written in a second short transaction. A sender that dies mid-call
leaves the row to be retried when the lease ends: receivers get at-least-once delivery and
should de-duplicate on ``X-Xiaoneng-Delivery``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from xiaoneng.cases.models import CaseEvent
from xiaoneng.webhooks.events import due_dates, event_payload
from xiaoneng.webhooks.models import WebhookCursor, WebhookDelivery, WebhookEndpoint

log = logging.getLogger("xiaoneng.webhooks")

SETTLE_SECONDS = 5
# Minutes to wait after the 1st, 2nd, … failed attempt; after the last one the delivery fails.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
TIMEOUT_SECONDS = 5
# Longer than the HTTP timeout by far: a claimed row is not due again while its call can run.
LEASE_SECONDS = 120
PLAN_BATCH = 500
SEND_BATCH = 10
# The periodic job shares one thread with the sweeps: a slow receiver must not hold them up.
JOB_BUDGET_SECONDS = 30
USER_AGENT = "Xiaoneng-Webhooks/1"
_ERROR_MAX = WebhookDelivery._meta.get_field("last_error").max_length


@dataclass(frozen=True)
class PlanResult:
    events: int = 0
    deliveries: int = 0


@dataclass(frozen=True)
class SendResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"delivered {self.delivered}, retried {self.retried}, failed {self.failed}"


# -- signatures --------------------------------------------------------------------------------


def webhook_signature(secret: str, timestamp: str | int, body: bytes) -> str:
    """The ``X-Xiaoneng-Signature`` value: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def webhook_signature_verify(
    secret: str,
    timestamp: str | int,
    body: bytes,
    header: str,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs ``body`` at ``timestamp`` with ``secret`` and the timestamp is
    within ``tolerance`` seconds of now (a replayed old request is refused)."""
    try:
        sent_at = int(str(timestamp))
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    return hmac.compare_digest(webhook_signature(secret, sent_at, body), header or "")


# -- fan-out -----------------------------------------------------------------------------------


def _locked_cursor() -> WebhookCursor:
    cursor = WebhookCursor.objects.select_for_update().filter(pk=1).first()
    if cursor is not None:
        return cursor
    try:
        with transaction.atomic():
            WebhookCursor.objects.create(pk=1)
    except IntegrityError:  # another planner created it first
        pass
    return WebhookCursor.objects.select_for_update().get(pk=1)


def webhook_deliveries_plan(*, now: datetime | None = None, limit: int = PLAN_BATCH) -> PlanResult:
    """Create the deliveries of settled case events for the matching active endpoints."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor = _locked_cursor()
        events = 0
        deliveries = 0
        settled = cursor.horizon_at is not None and cursor.horizon_at <= now - timedelta(
            seconds=SETTLE_SECONDS
        )
        if settled and cursor.horizon_id is not None:
            batch = list(
                CaseEvent.objects.filter(id__gt=cursor.last_event_id, id__lte=cursor.horizon_id)
                .select_related("case__unit", "case__lead_department")
                .order_by("id")[:limit]
            )
            deliveries = _fan_out(batch, now)
            events = len(batch)
            if len(batch) < limit:
                cursor.last_event_id = cursor.horizon_id
                cursor.horizon_id = cursor.horizon_at = None
            else:
                cursor.last_event_id = batch[-1].pk
        if cursor.horizon_at is None:
            newest = CaseEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
            if newest > cursor.last_event_id:
                cursor.horizon_id, cursor.horizon_at = newest, now
        cursor.save()
    return PlanResult(events=events, deliveries=deliveries)


def _fan_out(batch: list[CaseEvent], now: datetime) -> int:
    if not batch:
        return 0
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).order_by("id"))
    if not endpoints:
        return 0
    due = due_dates({event.case_id for event in batch})
    rows: list[WebhookDelivery] = []
    for event in batch:
        payload: dict[str, Any] | None = None
        for endpoint in endpoints:
            if event.pk <= endpoint.after_event_id or not endpoint.wants(event.action):
                continue
            if endpoint.unit_id is not None and endpoint.unit_id != event.case.unit_id:
                continue
            if payload is None:
                payload = event_payload(event, due.get(event.case_id, {}))
            rows.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    event_id=event.pk,
                    event_type=event.action[:32],
                    case_number=event.case.number,
                    payload=payload,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    # A planner that lost its cursor update cannot deliver an event to an endpoint twice.
    WebhookDelivery.objects.bulk_create(rows, batch_size=200, ignore_conflicts=True)
    return len(rows)


# -- sending -----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: the signed body must not be replayed to another address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1])


def _error_text(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text[:_ERROR_MAX]


def _post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """POST one delivery; return (status code or None, error text or "")."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Xiaoneng-Event": delivery.event_type,
            "X-Xiaoneng-Delivery": str(delivery.pk),
            "X-Xiaoneng-Timestamp": timestamp,
            "X-Xiaoneng-Signature": webhook_signature(delivery.endpoint.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # any network failure is retried
        return None, _error_text(exc)
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


def _claim(now: datetime, size: int) -> list[WebhookDelivery]:
    with transaction.atomic():
        batch = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")[:size]
        )
        if batch:
            WebhookDelivery.objects.filter(pk__in=[d.pk for d in batch]).update(
                next_attempt_at=now + timedelta(seconds=LEASE_SECONDS)
            )
    return batch


def _record(delivery: WebhookDelivery, code: int | None, error: str, now: datetime) -> str:
    attempts = delivery.attempts + 1
    fields: dict[str, Any] = {"attempts": attempts, "last_status_code": code, "last_error": error}
    if not error:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
        outcome = "delivered"
    elif attempts >= MAX_ATTEMPTS or not delivery.endpoint.is_active:
        fields.update(status=WebhookDelivery.Status.FAILED)
        outcome = "failed"
        log.error("webhook delivery %s failed for good: %s", delivery.pk, error)
    else:
        fields.update(next_attempt_at=now + backoff(attempts))
        outcome = "retried"
        log.warning("webhook delivery %s attempt %s failed: %s", delivery.pk, attempts, error)
    with transaction.atomic():
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING
        ).update(**fields)
    return outcome


def webhook_deliveries_send(
    *, now: datetime | None = None, limit: int = 100, budget_seconds: float | None = None
) -> SendResult:
    """Send up to ``limit`` due pending deliveries; return the counts. With ``budget_seconds``,
    stop once that much time has gone and hand the unsent claimed rows back at once."""
    now = now or timezone.now()
    started = time.monotonic()
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    remaining = limit
    while remaining > 0:
        size = min(SEND_BATCH, remaining)
        batch = _claim(now, size)
        for index, delivery in enumerate(batch):
            if budget_seconds is not None and time.monotonic() - started > budget_seconds:
                unsent = [row.pk for row in batch[index:]]
                WebhookDelivery.objects.filter(
                    pk__in=unsent, status=WebhookDelivery.Status.PENDING
                ).update(next_attempt_at=now)
                return SendResult(**counts)
            if not delivery.endpoint.is_active:
                code, error = None, "endpoint deactivated"
            else:
                code, error = _post(delivery, now)
            counts[_record(delivery, code, error, now)] += 1
        remaining -= len(batch)
        if len(batch) < size:
            break
    return SendResult(**counts)


def webhooks_run(*, now: datetime | None = None) -> str:
    """The periodic job: fan out settled events, then send what is due."""
    planned = webhook_deliveries_plan(now=now)
    sent = webhook_deliveries_send(now=now, budget_seconds=JOB_BUDGET_SECONDS)
    return f"planned {planned.deliveries}, {sent}"
