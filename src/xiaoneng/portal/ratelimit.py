"""A small fixed-window rate limiter on Django's cache, keyed by client address and action.

Limits come from settings (``XIAONENG_RATE_<ACTION>`` as ``(requests, seconds)``) with the
defaults below. Over the limit, the view answers 429 with ``Retry-After``.

Most actions count every request (``hit``). Public submissions count only what was accepted
(``submit_allowance`` before, ``submit_counted`` after): a person who mistyped their phone
number three times must not lose their turn, and the count per phone number keeps one person
from flooding the office from many addresses while a school behind one NAT address still gets
a generous allowance.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xiaoneng.web.client import client_address

DEFAULTS: dict[str, tuple[int, int]] = {
    "submit": (100, 3600),
    "submit_phone": (5, 86400),
    "track": (30, 600),
    "rate": (20, 600),
    "open311_post": (30, 3600),
    "guides": (120, 600),
    "figures": (120, 600),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def limit_for(action: str) -> tuple[int, int]:
    return getattr(settings, f"XIAONENG_RATE_{action.upper()}", DEFAULTS[action])


def _key(action: str, subject: str, window_start: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"xn:rl:{action}:{digest}:{window_start}"


def _window(action: str) -> tuple[int, int, int, int]:
    """Fixed windows aligned to the site's local clock, so "a day" ends at local midnight."""
    limit, window = limit_for(action)
    now = int(time.time())
    offset = int(timezone.localtime().utcoffset().total_seconds())
    window_start = now - (now + offset) % window
    return limit, window, window_start, max(1, window_start + window - now)


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def hit(request: HttpRequest, action: str) -> Verdict:
    """Count one request; refuse it when the window already holds the allowed number."""
    limit, window, window_start, retry_after = _window(action)
    key = _key(action, client_address(request) or "unknown", window_start)
    return Verdict(allowed=_count(key, window) <= limit, retry_after=retry_after)


def check(action: str, subject: str) -> Verdict:
    """Whether one more may be counted for ``subject``, without counting it."""
    limit, _window_len, window_start, retry_after = _window(action)
    used = cache.get(_key(action, subject, window_start)) or 0
    return Verdict(allowed=used < limit, retry_after=retry_after)


def count(action: str, subject: str) -> None:
    _limit, window, window_start, _retry = _window(action)
    _count(_key(action, subject, window_start), window)


def _phone_subject(phone: str) -> str | None:
    """The phone number as a keyed digest: a plain hash of an 11-digit number is reversible."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not digits:
        return None
    return salted_hmac("xiaoneng.ratelimit.phone", digits).hexdigest()


def _submit_subjects(request: HttpRequest, phone: str) -> list[tuple[str, str]]:
    subjects = [("submit", client_address(request) or "unknown")]
    by_phone = _phone_subject(phone)
    if by_phone is not None:
        subjects.append(("submit_phone", by_phone))
    return subjects


def submit_allowance(request: HttpRequest, *, phone: str) -> Verdict:
    """Whether a public submission from this address and phone may be accepted now; when not,
    how long until every limit that refuses it has room again."""
    verdicts = [check(action, subject) for action, subject in _submit_subjects(request, phone)]
    refused = [verdict for verdict in verdicts if not verdict.allowed]
    if not refused:
        return Verdict(allowed=True, retry_after=0)
    return Verdict(allowed=False, retry_after=max(verdict.retry_after for verdict in refused))


def submit_counted(request: HttpRequest, *, phone: str) -> None:
    """Count one accepted submission against the address and the phone number."""
    for action, subject in _submit_subjects(request, phone):
        count(action, subject)


def too_many(verdict: Verdict, *, content_type: str = "text/plain; charset=utf-8") -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your address. Please try again later."),
        status=429,
        content_type=content_type,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response
