"""Read-only queries of the webhook pages."""

from __future__ import annotations

from django.db.models import QuerySet

from xiaoneng.webhooks.models import WebhookDelivery, WebhookEndpoint


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("unit", "created_by").order_by(
        "-is_active", "name"
    )


def webhook_deliveries(
    *, status: str = "", endpoint_id: int | None = None
) -> QuerySet[WebhookDelivery]:
    rows = WebhookDelivery.objects.select_related("endpoint").defer("payload").order_by("-id")
    if status in WebhookDelivery.Status.values:
        rows = rows.filter(status=status)
    if endpoint_id is not None:
        rows = rows.filter(endpoint_id=endpoint_id)
    return rows
