"""Conduct complaints (效能投诉): about a named staff member or unit, investigated by the
inspector. The complainant's identity is confidential: only the efficiency office and the
inspector ever see it (see docs/accountability.md)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.fieldcrypt.fields import EncryptedTextField


class ConductComplaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, acceptance pending")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        INVESTIGATING = "investigating", _("Under investigation")
        SUBSTANTIATED = "substantiated", _("Substantiated")
        NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")

    # Confidential: never shown to the unit or the person complained about.
    complainant_name = EncryptedTextField(_("complainant"), max_length=64, blank=True)
    complainant_phone = EncryptedTextField(_("complainant's phone"), max_length=32, blank=True)
    content = models.TextField(_("content"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit complained about"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("person named"), max_length=64, blank=True)
    source_case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("converted from case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_complaint",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_by = models.ForeignKey(
        "org.Staff", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"))
    acceptance_note = models.TextField(_("acceptance decision"), blank=True)
    accepted_at = models.DateTimeField(_("decided on acceptance at"), null=True, blank=True)
    investigator = models.ForeignKey(
        "org.Staff",
        verbose_name=_("investigator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extended = models.BooleanField(_("investigation extended"), default=False)
    finding = models.TextField(_("finding"), blank=True)
    found_at = models.DateTimeField(_("finding at"), null=True, blank=True)
    violation = models.OneToOneField(
        "accountability.Violation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_complaint",
    )

    class Meta:
        verbose_name = _("conduct complaint")
        verbose_name_plural = _("conduct complaints")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{_('Conduct complaint')} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:conduct", args=[self.pk])
