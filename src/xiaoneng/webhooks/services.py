"""Managing webhook endpoints and their deliveries. Only the system administrator may.

Webhooks send data out of the platform to another system; configuring such a connection is
system administration (like integration clients and the organisation), not casework, so under
the separation of the three administrators (三员分立) it belongs to ``sysadmin`` alone. The
efficiency office supervises cases and never needs to point their events at a URL.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import CaseEvent
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.webhooks.events import EVENT_TYPES
from xiaoneng.webhooks.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

MANAGER_ROLES = frozenset({Role.SYSADMIN})
SECRET_BYTES = 32
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def may_manage_webhooks(user: User) -> bool:
    return bool(user_roles(user) & MANAGER_ROLES)


def _require_manager(user: User) -> None:
    if not may_manage_webhooks(user):
        raise PermissionDenied(_("Only the system administrator may manage webhooks."))


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_url_validate(url: str) -> str:
    """The URL, or a DomainError saying why it cannot receive webhooks."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(_("Enter a valid http or https URL.")) from None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise DomainError(_("Do not put a user name or password in the URL."))
    if parts.scheme != "https" and not settings.DEBUG and not _is_loopback(parts.hostname or ""):
        raise DomainError(
            _(
                "The URL must start with https:// so that case events are encrypted in transit. "
                "Plain http is accepted only for a loopback address (localhost, 127.0.0.1) or "
                "when the platform runs in DEBUG mode."
            )
        )
    return url


def _event_types(values: Iterable[str]) -> list[str]:
    wanted = sorted({value for value in values if value})
    unknown = [value for value in wanted if value not in EVENT_TYPES]
    if unknown:
        raise DomainError(
            lazy_format(_("Unknown event type: %(type)s."), {"type": ", ".join(unknown)})
        )
    return wanted


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(SECRET_BYTES)


def webhook_endpoint_create(
    *,
    by: User,
    name: str,
    url: str,
    event_types: Iterable[str] = (),
    unit: Unit | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Create an active endpoint; return it with its secret, which is never shown again."""
    _require_manager(by)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please give the endpoint a name."))
    url = webhook_url_validate(url)
    types = _event_types(event_types)
    secret = _new_secret()
    with transaction.atomic():
        if WebhookEndpoint.objects.filter(name=name).exists():
            raise DomainError(
                lazy_format(_("An endpoint named %(name)s already exists."), {"name": name})
            )
        newest = CaseEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
        endpoint = WebhookEndpoint.objects.create(
            name=name,
            url=url,
            secret=secret,
            event_types=types,
            unit=unit,
            created_by=by,
            created_at=timezone.now(),
            after_event_id=newest,
        )
        log_action(
            action="webhooks.endpoint.create",
            obj=endpoint,
            actor=by,
            unit_id=unit.pk if unit else None,
            summary={
                "name": name,
                "url": url,
                "event_types": types or "all",
                "unit": unit.code if unit else None,
            },
        )
    return endpoint, secret


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


def webhook_endpoint_deactivate(*, endpoint: WebhookEndpoint, by: User) -> WebhookEndpoint:
    """Stop planning and sending for the endpoint; its pending deliveries fail."""
    _require_manager(by)
    with transaction.atomic():
        endpoint = _locked(endpoint)
        if not endpoint.is_active:
            raise DomainError(_("This endpoint is already deactivated."))
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active"])
        dropped = WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.PENDING
        ).update(status=WebhookDelivery.Status.FAILED, last_error="endpoint deactivated")
        log_action(
            action="webhooks.endpoint.deactivate",
            obj=endpoint,
            actor=by,
            unit_id=endpoint.unit_id,
            summary={"name": endpoint.name, "pending_failed": dropped},
        )
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: User) -> str:
    """Replace the signing secret at once; return the new one (shown once)."""
    _require_manager(by)
    with transaction.atomic():
        endpoint = _locked(endpoint)
        if not endpoint.is_active:
            raise DomainError(_("This endpoint is deactivated."))
        secret = _new_secret()
        endpoint.secret = secret
        endpoint.secret_rotated_at = timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        log_action(
            action="webhooks.endpoint.rotate_secret",
            obj=endpoint,
            actor=by,
            unit_id=endpoint.unit_id,
            summary={"name": endpoint.name},
        )
    return secret


def webhook_delivery_retry(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send a failed delivery again on the next run, with a fresh set of attempts."""
    _require_manager(by)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if delivery.status != WebhookDelivery.Status.FAILED:
            raise DomainError(_("Only a failed delivery can be retried."))
        if not delivery.endpoint.is_active:
            raise DomainError(_("This endpoint is deactivated."))
        previous = delivery.attempts
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        log_action(
            action="webhooks.delivery.retry",
            obj=delivery,
            actor=by,
            unit_id=delivery.endpoint.unit_id,
            summary={
                "endpoint": delivery.endpoint.name,
                "event_id": delivery.event_id,
                "previous_attempts": previous,
            },
        )
    return delivery
