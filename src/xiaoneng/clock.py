"""A simulated present for building demo data: ``at(moment)`` makes ``timezone.now()`` return
``moment`` for the code it wraps.

The demo lives through months of cases with the real services, so that every timestamp,
deadline, audit row and notification is what the platform would have recorded at the time.
The services, the audit log, the outbox and the models' ``auto_now`` fields all read the time
from ``django.utils.timezone.now`` (and ``localdate``/``localtime`` from it), so that one
function is where the simulated present is read: it answers from a context variable when
one is set and is Django's own function otherwise. The setting is per thread and per
context, so a request served meanwhile by another thread sees the real time.

Tests move the clock with time-machine (a test dependency); this module is for the demo data
the product ships, so that it needs nothing beyond the runtime dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_present: ContextVar[datetime | None] = ContextVar("simulated_present", default=None)
_real_now = timezone.now


def _now() -> datetime:
    moment = _present.get()
    return _real_now() if moment is None else moment


def _install() -> None:
    """Route ``timezone.now`` through ``_now`` (once per process)."""
    if timezone.now is not _now:
        timezone.now = _now


@contextmanager
def at(moment: datetime) -> Iterator[datetime]:
    """Run the block as if it were ``moment`` (an aware datetime); the clock does not tick."""
    if timezone.is_naive(moment):
        raise ValueError("the simulated present must be an aware datetime")
    _install()
    token = _present.set(moment)
    try:
        yield moment
    finally:
        _present.reset(token)
