"""Violations (效能问题). Automatic ones come from the case sweeper and case services; the
supervision-and-accountability issue adds grades, responsible persons, sanctions and appeals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Violation(models.Model):
    class Kind(models.TextChoices):
        RED_CARD = "red_card", _("Red card: time limit missed")
        LATE_SIGN_FOR = "late_sign_for", _("Late sign-for")
        BUCK_PASSING = "buck_passing", _("Buck-passing: return rejected")
        SECOND_NOTICE = "second_notice", _("Second notice for missing materials")
        UNFILED_DENIAL = "unfiled_denial", _("Refusal without a denial filing")
        FAULT_DISSATISFACTION = "fault_dissatisfaction", _("Dissatisfaction, unit at fault")
        INSPECTION = "inspection", _("Inspection finding")
        CONDUCT = "conduct", _("Conduct complaint finding")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # What caused it, once: e.g. "red:<clock id>", "return:<request id>".
    source_key = models.CharField(max_length=64, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    description = models.TextField(_("description"))
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case or ''}"


from xiaoneng.accountability.filings import DenialFiling  # noqa: E402, F401
