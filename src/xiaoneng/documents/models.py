"""Document numbers (文号): one counter per document type and year, and each number issued once.

The same document downloaded again carries the same number: the number belongs to what the
document is about (a case, a notice, a filing, a signal), not to the download.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentCounter(models.Model):
    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="documents_counter_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.value}"


class IssuedDocument(models.Model):
    kind = models.CharField(_("document"), max_length=32)
    owner_type = models.CharField(max_length=64)
    owner_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "owner_type", "owner_id"], name="documents_issued_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="documents_number_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number
