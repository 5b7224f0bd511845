"""Violations (效能问题). Automatic ones come from the case sweeper and case services; the
supervision-and-accountability issue adds grades, responsible persons, sanctions and appeals."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import render


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
        # Only an upheld appeal sets this.
        REVOKED = "revoked", _("Revoked on appeal")

    class Grade(models.TextChoices):
        GENERAL = "general", _("General")
        SERIOUS = "serious", _("Serious")
        ESPECIALLY_SERIOUS = "especially_serious", _("Especially serious")

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
    # As typed by a person; for a description the system wrote, its rendering in the office's
    # default language (the message and its parameters below render it for each reader).
    description = models.TextField(_("description"))
    # A description the system wrote: the catalog's message id and its parameters (see
    # descriptions.py); blank for a description a person typed.
    message = models.CharField(_("message"), max_length=200, blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    persons = models.ManyToManyField(
        "org.Staff",
        through="ViolationPerson",
        verbose_name=_("persons responsible"),
        related_name="violations_responsible",
        blank=True,
    )
    # Evidence: the case above, a signal (card), an inspection finding reference, a file.
    signal = models.ForeignKey(
        "cases.Signal",
        verbose_name=_("card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    inspection_ref = models.CharField(_("inspection finding"), max_length=64, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="accountability/%Y/%m/", blank=True
    )
    reviewed_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="violation_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case or ''}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:violation", args=[self.pk])

    @property
    def description_label(self) -> str:
        """The description in the active language: one the system wrote rendered from its
        message, one a person typed as typed."""
        if not self.message:
            return self.description
        try:
            return render(self.message, self.message_params)
        except (KeyError, TypeError, ValueError):
            return self.description


class ViolationPerson(models.Model):
    """A person responsible for a violation and their part in it."""

    class Part(models.TextChoices):
        HANDLER = "handler", _("Handler (承办人)")
        REVIEWER = "reviewer", _("Reviewer (审核人)")
        APPROVER = "approver", _("Approver (批准人)")

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="parts")
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)

    class Meta:
        verbose_name = _("person responsible")
        verbose_name_plural = _("persons responsible")
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "staff", "part"], name="violation_person_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_part_display()}"


class Sanction(models.Model):
    """A decided sanction on one person for one confirmed violation."""

    class Measure(models.TextChoices):
        # The ladder, lightest first; ``LADDER`` keeps the order.
        NO_AWARD = "no_award", _("Excluded from awards (不予评优)")
        CRITICISM = "criticism", _("Public criticism (通报批评)")
        ADMONITION = "admonition", _("Admonition talk (诫勉谈话)")
        WARNING = "warning", _("Efficiency warning (效能告诫)")
        TRANSFER = "transfer", _("Transfer or off-post training (调离/离岗培训)")
        REFERRAL = "referral", _("Referral for disciplinary action (移送纪检)")

    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.PROTECT, related_name="sanctions"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("person"), on_delete=models.PROTECT, related_name="sanctions"
    )
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    suggested = models.CharField(
        _("suggested measure"), max_length=12, choices=Measure.choices, blank=True
    )
    aggravating = models.TextField(_("aggravating circumstances"), blank=True)
    mitigating = models.TextField(_("mitigating circumstances"), blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        "org.Staff", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return str(self.get_measure_display())

    def get_absolute_url(self) -> str:
        return reverse("accountability:sanction", args=[self.pk])


LADDER = list(Sanction.Measure.values)


class Appeal(models.Model):
    """申诉 against a card, a violation or a sanction; decided once, kept in the history."""

    class Target(models.TextChoices):
        CARD = "card", _("Card")
        VIOLATION = "violation", _("Violation")
        SANCTION = "sanction", _("Sanction")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ESCALATED = "escalated", _("Escalated to a leader")
        REVOKED = "revoked", _("Revoked")
        SENT_BACK = "sent_back", _("Sent back for re-review")
        UPHELD = "upheld", _("Original decision upheld")

    target = models.CharField(_("appeal against"), max_length=12, choices=Target.choices)
    signal = models.ForeignKey(
        "cases.Signal", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    violation = models.ForeignKey(
        Violation, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    sanction = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    filed_by = models.ForeignKey(
        "org.Staff", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds"))
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:appeal", args=[self.pk])

    @property
    def subject(self) -> object:
        return self.signal or self.violation or self.sanction


class DenialFiling(models.Model):
    """A refusal filed with reason and legal basis (否定报备), reviewed by the efficiency office
    (see filings.py)."""

    class Kind(models.TextChoices):
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        NOT_APPROVED = "not_approved", _("Not approved")
        OVERDUE = "overdue", _("Cannot finish within the promised time")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        UPHELD = "upheld", _("Upheld")
        OVERTURNED = "overturned", _("Overturned")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="denial_filings",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        "org.Staff", verbose_name=_("handler"), on_delete=models.PROTECT, related_name="+"
    )
    # Snapshots as filed: the applicant (personal data, masked in lists) and the matter.
    applicant = models.CharField(_("applicant"), max_length=64, blank=True)
    matter = models.CharField(_("matter"), max_length=200)
    reason = models.TextField(_("reason"))
    basis = models.TextField(_("legal basis"))
    head_opinion = models.TextField(_("head's opinion"), blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    review_due_at = models.DateTimeField(_("review due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_late = models.BooleanField(_("reviewed after its deadline"), default=False)
    instruction = models.TextField(_("instruction"), blank=True)

    class Meta:
        verbose_name = _("denial filing")
        verbose_name_plural = _("denial filings")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["status", "review_due_at"], name="filing_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.matter}"


from xiaoneng.accountability.conduct_models import ConductComplaint  # noqa: E402, F401
