"""Supervision orders (督办) with feedback and reminders (催办), callbacks (回访) and
inspections (明察暗访)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ORDER_OWNER = "supervision.order"


class Order(models.Model):
    """督办单: a case or any matter put under supervision, with its own deadline."""

    class Kind(models.TextChoices):
        CASE = "case", _("Case")
        TARGET = "target", _("Target task")
        RECTIFICATION = "rectification", _("Rectification")
        INSTRUCTION = "instruction", _("Leader's instruction")
        OTHER = "other", _("Other matter")

    class State(models.TextChoices):
        ISSUED = "issued", _("Issued, awaiting feedback")
        ANSWERED = "answered", _("Feedback submitted")
        ACCEPTED = "accepted", _("Accepted (closed)")

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("requirement"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    # Where the matter came from when it is not a case, e.g. "target-task:12".
    source = models.CharField(_("source"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    person = models.ForeignKey(
        "org.Staff",
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    due_working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    clock = models.OneToOneField(
        "workdays.Clock",
        verbose_name=_("clock"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.ISSUED)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"], name="sv_order_dept_state"),
            models.Index(fields=["state", "issued_at"], name="sv_order_state_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:order_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.ACCEPTED


class Feedback(models.Model):
    """One written answer of the responsible department; returned answers stay on record."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="feedbacks")
    text = models.TextField(_("feedback"))
    file = models.FileField(upload_to="supervision/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("after the deadline"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.submitted_at:%Y-%m-%d}"


class Reminder(models.Model):
    """催办: manual (with a note) or automatic (once per order, at the pre-warning point)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual")
        AUTOMATIC = "automatic", _("Automatic")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(kind="automatic"), name="sv_one_automatic_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.sent_at:%Y-%m-%d}"

    @property
    def unit_id(self) -> int:
        return self.order.unit_id


# -- callbacks ----------------------------------------------------------------------------------


class CallbackPolicy(models.Model):
    """How many of a unit's replied cases the efficiency office calls back (default: all)."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("sample (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("callback policy")
        verbose_name_plural = _("callback policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_percent__lte=100), name="sv_callback_percent_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.sample_percent}%"


class Callback(models.Model):
    """One callback attempt. ``final`` marks the attempt that settles the case's callback."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")
        REFUSED = "refused", _("Refused to answer")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callbacks")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    final = models.BooleanField(default=False)
    unreachable = models.BooleanField(_("unreachable"), default=False)
    rating_applied = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "attempt"], name="sv_callback_attempt_once"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(final=True), name="sv_callback_one_final"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.attempt} {self.outcome}"

    @property
    def unit_id(self) -> int:
        return self.case.unit_id


# -- inspections --------------------------------------------------------------------------------


class Inspection(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open inspection")
        UNANNOUNCED = "unannounced", _("Unannounced inspection")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit visited"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(
        "org.Staff", verbose_name=_("inspectors"), related_name="inspections"
    )
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection_detail", args=[self.pk])


class Finding(models.Model):
    class Type(models.TextChoices):
        LATE = "late", _("Late for work")
        ABSENT = "absent", _("Absent from post")
        LEFT_EARLY = "left_early", _("Left early")
        ATTITUDE = "attitude", _("Poor attitude")
        NO_BADGE = "no_badge", _("Not wearing the name badge")
        OFF_TOPIC = "off_topic", _("Off-topic activity (games, shopping…)")
        OTHER = "other", _("Other")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    description = models.TextField(_("description"))
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("staff member"),
        null=True,
        blank=True,
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
    # The accountability violation made from this finding (an id, so this app's migrations do
    # not depend on that app's).
    violation_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_type_display()}"

    @property
    def unit_id(self) -> int:
        return self.inspection.unit_id


class Evidence(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="evidence")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to="inspections/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
