"""A small fixed-window rate limiter on Django's cache, keyed by client address and action.

Limits come from settings (``XIAONENG_RATE_<ACTION>`` as ``(requests, seconds)``) with the
defaults below. Over the limit, the view answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

DEFAULTS: dict[str, tuple[int, int]] = {
    "submit": (10, 3600),
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


def client_ip(request: HttpRequest) -> str:
    """The peer address; behind N trusted proxies, the Nth address from the right of XFF."""
    proxies = int(getattr(settings, "XIAONENG_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(action: str, ip: str, window_start: int) -> str:
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return f"xn:rl:{action}:{digest}:{window_start}"


def hit(request: HttpRequest, action: str) -> Verdict:
    """Count one request; refuse it when the window already holds the allowed number."""
    limit, window = limit_for(action)
    now = int(time.time())
    window_start = now - now % window
    key = _key(action, client_ip(request), window_start)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    retry_after = max(1, window_start + window - now)
    return Verdict(allowed=count <= limit, retry_after=retry_after)


def too_many(verdict: Verdict, *, content_type: str = "text/plain; charset=utf-8") -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your address. Please try again later."),
        status=429,
        content_type=content_type,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response
