"""Applications (申请): a case tied to the service-guide version it was filed under, the check
of its materials, and the one-time notice (一次性告知书) listing everything missing.

The models were born in the cases app; their tables keep the names they had there
(``cases_application``, ``cases_materialcheck``, ``cases_onetimenotice`` and its materials), so
moving them here changed no table (see migrations/0001_initial.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    class Stage(models.TextChoices):
        CHECKING = "checking", _("Checking materials")
        AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
        COMPLETE = "complete", _("Materials complete")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Not approved")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="application", primary_key=True
    )
    # The guide as it was when the application was filed; later versions do not touch it.
    service_item_version = models.ForeignKey(
        "catalog.ServiceItemVersion",
        verbose_name=_("service guide version"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.CHECKING
    )
    checked_at = models.DateTimeField(_("materials checked at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decision_basis = models.TextField(_("legal basis"), blank=True)

    class Meta:
        db_table = "cases_application"
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.case_id} {self.service_item_version}"


class MaterialCheck(models.Model):
    """What the officer found for one required material at intake, and after a supplement."""

    class Status(models.TextChoices):
        PROVIDED = "provided", _("Provided")
        MISSING = "missing", _("Missing")
        NOT_APPLICABLE = "not_applicable", _("Does not apply")
        SUPPLIED = "supplied", _("Supplied later")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="material_checks"
    )
    material = models.ForeignKey(
        "catalog.GuideMaterial", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)

    class Meta:
        db_table = "cases_materialcheck"
        ordering = ["application", "material__position", "material_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "material"], name="case_material_check_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.material_id} {self.status}"


class OneTimeNotice(models.Model):
    """Sequence 1 is the one-time notice; any later one is a second notice (二次告知)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    materials = models.ManyToManyField("catalog.GuideMaterial", related_name="+")
    # Names as issued, in the guide's order: the document reads from these.
    items = models.JSONField(_("missing materials"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)

    class Meta:
        db_table = "cases_onetimenotice"
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")
        ordering = ["application", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sequence"], name="case_notice_seq"),
            models.CheckConstraint(
                condition=Q(sequence=1) | ~Q(reason=""), name="case_second_notice_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} notice {self.sequence}"

    @property
    def is_second(self) -> bool:
        return self.sequence > 1
