"""The outbox relay: hands due messages to their channels, with retries and a failed state.

Rows are claimed in small batches with ``SELECT … FOR UPDATE SKIP LOCKED`` (on SQLite the
``IMMEDIATE`` transaction serialises relays instead) and marked sent in the transaction that
holds the lock, so two relays running at once never deliver a message twice. A delivery failure
only ever touches the outbox row: the change that enqueued it committed long before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xiaoneng.notify.channels import channel_for
from xiaoneng.notify.models import Notification
from xiaoneng.privacy import mask_contacts
from xiaoneng.sealing import SealError, mask_values, unseal

log = logging.getLogger("xiaoneng.notify")

# Minutes to wait after the 1st, 2nd, … failed attempt; the last value repeats.
DEFAULT_BACKOFF_MINUTES = (1, 5, 15, 60, 240)
DEFAULT_MAX_ATTEMPTS = 6
# Rows per transaction: bounds how long a batch holds its locks (and SQLite's write lock).
BATCH_SIZE = 20

_ERROR_MAX = Notification._meta.get_field("last_error").max_length


@dataclass(frozen=True)
class RelayPrompt:
    """How to ask for a relay run right after a commit, and whether to (``wanted``).

    The notify services ask once per transaction that wrote outbox rows. Whoever runs relays
    outside the request registers it (ops: the Celery task, when a broker is configured); with
    none registered, or none wanted, the periodic job alone delivers (every minute in the
    embedded server)."""

    wanted: Callable[[], bool]
    send: Callable[[], object]


_prompt: RelayPrompt | None = None


def relay_prompt_register(*, wanted: Callable[[], bool], send: Callable[[], object]) -> None:
    global _prompt
    _prompt = RelayPrompt(wanted=wanted, send=send)


def relay_prompt() -> RelayPrompt | None:
    return _prompt


@dataclass(frozen=True)
class RelayResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, retried {self.retried}, failed {self.failed}"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "XIAONENG_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed attempts (1 → the first step of the schedule)."""
    steps = tuple(getattr(settings, "XIAONENG_NOTIFY_BACKOFF_MINUTES", DEFAULT_BACKOFF_MINUTES))
    steps = steps or DEFAULT_BACKOFF_MINUTES
    return timedelta(minutes=steps[min(max(attempts, 1), len(steps)) - 1])


def error_text(exc: BaseException, hide: Iterable[str] = ()) -> str:
    """A short description of a failure with e-mail addresses, phone numbers and the values in
    ``hide`` (a message's secrets, which a gateway may quote back) masked."""
    message = mask_values(" ".join(str(exc).split()), hide)
    message = mask_contacts(message)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text[:_ERROR_MAX]


def _secret_values(notification: Notification) -> list[str]:
    try:
        return list(unseal(notification.sealed).values())
    except SealError:
        return []


def _attempt(notification: Notification, now: datetime) -> str:
    """Deliver one locked row and record the outcome on it: "sent", "retried" or "failed"."""
    notification.attempts += 1
    try:
        # A savepoint: whatever the channel wrote is undone if it fails, and the batch goes on.
        with transaction.atomic():
            channel_for(notification.channel)(notification)
    except Exception as exc:
        # A gateway may quote the message it refused: its secrets never reach a log or a row.
        notification.last_error = error_text(exc, _secret_values(notification))
        # A refusal that no later attempt can change (a wrong number, an unapproved template).
        permanent = bool(getattr(exc, "permanent", False))
        if permanent or notification.attempts >= max_attempts():
            notification.status = Notification.Status.FAILED
            notification.sealed = ""  # the secret is needed no longer: discard it
            outcome = "failed"
            log.error(
                "notification %s (%s to %s) failed for good after %s attempts: %s",
                notification.pk,
                notification.channel,
                notification.masked_recipient,
                notification.attempts,
                notification.last_error,
            )
        else:
            notification.next_attempt_at = now + backoff(notification.attempts)
            outcome = "retried"
            log.warning(
                "notification %s (%s) attempt %s failed, next at %s: %s",
                notification.pk,
                notification.channel,
                notification.attempts,
                notification.next_attempt_at.isoformat(timespec="seconds"),
                notification.last_error,
            )
        notification.save(
            update_fields=["attempts", "status", "next_attempt_at", "last_error", "sealed"]
        )
        return outcome
    notification.status = Notification.Status.SENT
    notification.sent_at = now
    notification.sealed = ""  # delivered: the secret is discarded
    notification.save(update_fields=["attempts", "status", "sent_at", "sealed"])
    return "sent"


def outbox_relay(*, limit: int = 200, now: datetime | None = None) -> RelayResult:
    """Deliver up to ``limit`` due pending messages, oldest first; return the counts."""
    now = now or timezone.now()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    remaining = limit
    while remaining > 0:
        size = min(BATCH_SIZE, remaining)
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
                .order_by("id")[:size]
            )
            for notification in batch:
                counts[_attempt(notification, now)] += 1
        remaining -= len(batch)
        if len(batch) < size:
            break
    return RelayResult(**counts)


def outbox_relay_until_caught_up(
    *, seconds: float = 40.0, limit: int = 200, now: datetime | None = None
) -> RelayResult:
    """The periodic job: relay rounds of ``limit`` until nothing due is left or ``seconds`` have
    passed (one round at least), so a burst drains within the minute instead of at ``limit``
    messages a minute, and a slow channel never makes one run overlap the next."""
    deadline = time.monotonic() + seconds
    total = RelayResult()
    while True:
        result = outbox_relay(limit=limit, now=now)
        total = RelayResult(
            sent=total.sent + result.sent,
            retried=total.retried + result.retried,
            failed=total.failed + result.failed,
        )
        if result.sent + result.retried + result.failed < limit or time.monotonic() >= deadline:
            return total
