"""Outbound webhooks: endpoints that subscribe to case events, and one delivery per event and
endpoint. The case event table itself is the outbox; ``WebhookCursor`` remembers how far the
fan-out has read it (see ``xiaoneng.webhooks.delivery``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    # Kept in clear because signing needs it; shown to a person only once, when generated.
    secret = models.CharField(max_length=128, editable=False)
    # Empty list: every case event type.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit restriction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    secret_rotated_at = models.DateTimeField(_("secret rotated at"), null=True, blank=True)
    # The newest case event when the endpoint was created: it receives only later events, so a
    # new endpoint is not flooded with the history (event times may be backdated, ids are not).
    after_event_id = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # the unique (endpoint, event_id) constraint starts with this column
    )
    # No foreign key into the cases app: the delivery log must not block pruning or
    # partitioning of the case timeline.
    event_id = models.BigIntegerField(_("case event"))
    event_type = models.CharField(_("event type"), max_length=32)
    case_number = models.CharField(_("case number"), max_length=32, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhooks_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type} {self.status}"


class WebhookCursor(models.Model):
    """The single row remembering how far the fan-out has read the case event table.

    ``horizon_id`` is the highest event id seen at ``horizon_at``; events up to it are fanned
    out only once the settle delay has passed since that observation.
    """

    last_event_id = models.BigIntegerField(default=0)
    horizon_id = models.BigIntegerField(null=True, blank=True)
    horizon_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook cursor")
        verbose_name_plural = _("webhook cursors")

    def __str__(self) -> str:
        return f"after {self.last_event_id}"
