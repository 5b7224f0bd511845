"""Public tracking in one request: the signed link to a tracked case, and its page's public
parts kept in Django's cache.

A lookup (code and secret posted) is answered with the page itself; the page carries a signed
link (``?t=…``) to bookmark or refresh it. Neither writes a session: the link is all the
state there is. The link names the case and a fingerprint of its secret's hash, signed with
``SECRET_KEY`` and dated, so a changed, cut or foreign link is refused, and it lapses after
``TOKEN_DAYS``.

The page's public parts (``selectors.Tracking``) are cached per case and language under the
case's version: the id of its newest timeline event and its last update. Every change to a
case writes an event (cases/services/events.py) and saves the row, so a changed case is read
afresh at once; ``CACHE_SECONDS`` bounds what changes without either (a department head's name).
"""

from __future__ import annotations

import hmac

from django.core import signing
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.errors import DomainError
from xiaoneng.portal.selectors import (
    Tracking,
    tracked_case,
    tracked_page_case,
    tracked_version,
    tracking_view,
)

TOKEN_SALT = "xiaoneng.portal.track"
TOKEN_DAYS = 30
CACHE_SECONDS = 600
CACHE_PREFIX = "xn:track:v1"


class TrackingLinkError(DomainError):
    """A tracking link that was changed, cut short, made for another case, or too old."""


def _fingerprint(case: Case) -> str:
    return salted_hmac(TOKEN_SALT, f"{case.pk}:{case.tracking_secret_hash}").hexdigest()[:20]


def track_token(case: Case) -> str:
    """The signed, dated link token of ``case`` (no personal data; it names the case's id)."""
    return signing.dumps([case.pk, _fingerprint(case)], salt=TOKEN_SALT)


def case_for_token(token: str, *, whole: bool = True) -> Case:
    """The case a link token was made for, read with its version in one query; raises
    ``TrackingLinkError`` (with a message for the person) for any other token. With
    ``whole=False`` only the case's version is read (``tracked_version``): enough to show its
    page (``tracking_page``), which reads the rest only when the page is not cached."""
    try:
        pk, fingerprint = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_DAYS * 86400)
    except signing.SignatureExpired:
        raise TrackingLinkError(
            _(
                "This link to your request has expired. Please look the request up again "
                "with the tracking code and the secret."
            )
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TrackingLinkError(_invalid()) from None
    if not isinstance(pk, int) or not isinstance(fingerprint, str):
        raise TrackingLinkError(_invalid())
    try:
        case = tracked_case(pk) if whole else tracked_version(pk)
    except Case.DoesNotExist:
        raise TrackingLinkError(_invalid()) from None
    if not hmac.compare_digest(_fingerprint(case), fingerprint):
        raise TrackingLinkError(_invalid())
    return case


def _invalid() -> Promise:
    return _(
        "This link to your request is not valid: it may have been changed or cut short. "
        "Please look the request up again with the tracking code and the secret."
    )


def cache_key(case: Case) -> str:
    """The case's version: its newest event (annotated by ``tracking_cases``) and last update."""
    last_event = getattr(case, "last_event_id", None)
    if last_event is None and not hasattr(case, "last_event_id"):
        last_event = case.events.order_by("-id").values_list("id", flat=True).first()
    version = f"{last_event or 0}.{case.updated_at.timestamp():.6f}"
    return f"{CACHE_PREFIX}:{case.pk}:{version}:{get_language() or ''}"


def _page_and_key(case: Case) -> tuple[Tracking, str]:
    key = cache_key(case)
    found = cache.get(key)
    if isinstance(found, Tracking):
        return found, key
    if "title" in case.get_deferred_fields():  # read with its version only
        case = tracked_page_case(case.pk)
        key = cache_key(case)
    page = tracking_view(case)
    cache.set(key, page, timeout=CACHE_SECONDS)
    return page, key


def tracking_page(case: Case) -> Tracking:
    """The public parts of the track page, from the cache when the case has not changed.
    ``case`` may be read with its version only (``selectors.tracking_versions``): the whole
    case is then read (one query) only when its page is not in the cache."""
    return _page_and_key(case)[0]


# The parts of the track page that show the case alone (no request, no link, no form, nothing
# that depends on the hour): rendered once per case version and language and kept with the
# page's public parts, so a cached lookup renders only the page around them.
FRAGMENTS = {"head": "portal/_track_head.html", "timeline": "portal/_track_timeline.html"}


def tracking_page_parts(case: Case) -> tuple[Tracking, dict[str, str]]:
    """The public parts of the track page and its case-only fragments as HTML (``FRAGMENTS``),
    both from the cache when the case has not changed (one cache read)."""
    key = cache_key(case)
    found = cache.get_many([key, f"{key}:html"])
    page, html = found.get(key), found.get(f"{key}:html")
    if isinstance(page, Tracking) and isinstance(html, dict):
        return page, html
    page, key = _page_and_key(case)
    html = {name: render_to_string(template, {"t": page}) for name, template in FRAGMENTS.items()}
    cache.set(f"{key}:html", html, timeout=CACHE_SECONDS)
    return page, html
