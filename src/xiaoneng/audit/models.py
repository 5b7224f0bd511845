"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Scheme(models.IntegerChoices):
    """How a row's hash was made. Legacy rows keep their plain hash; they may only precede the
    first keyed row, so nobody can "downgrade" a keyed row to a hash anyone can recompute."""

    SHA256 = 1, _("SHA-256 (before keyed chaining)")
    HMAC_SHA256 = 2, _("HMAC-SHA256")


class AuditEntry(models.Model):
    """One recorded action. Rows are never updated or deleted (a trigger enforces it on PostgreSQL).

    ``prev_hash`` is unique, so two writers can never attach to the same predecessor: the chain
    cannot fork even if the head lock were bypassed.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    # No database constraint: deleting a person must never touch the audit table.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)
    # No default: every writer states the scheme, so a forgotten field never means "legacy".
    scheme = models.PositiveSmallIntegerField(_("hash scheme"), choices=Scheme.choices)
    key_id = models.CharField(_("key id"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        permissions = [("verify_auditentry", _("Can verify the audit chain"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row every writer locks to append: last hash and row count of the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)
    # The key of the last row: a different current key makes the next append record a rotation.
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.count} {self.last_hash[:12]}"


class AuditQueued(models.Model):
    """An entry written by a transaction that found the chain head busy, waiting for the
    integrator (``audit_integrate``) to seal it into the chain in the next batch.

    Rows arrive with their writer's commit and leave in the integrator's: an entry is either
    here or in the chain, never in both and never lost with a rollback.
    """

    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("queued audit entry")
        verbose_name_plural = _("queued audit entries")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"queued #{self.pk} {self.action}"
