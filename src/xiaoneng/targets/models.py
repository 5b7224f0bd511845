"""Yearly targets (目标任务): a target split into tasks owned by departments or schools, each
with milestones on deadline clocks and progress reports signed off by the head."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MILESTONE_OWNER = "targets.milestone"


class Target(models.Model):
    class Source(models.TextChoices):
        PROVINCE = "province", _("Provincial education department")
        CITY = "city", _("City Party committee and government")
        BUREAU = "bureau", _("Bureau")
        WELFARE = "welfare", _("Public-welfare project (民心工程)")

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "source", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="target_unique_title_per_year")
        ]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "org.Staff",
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The percentage of the latest signed-off progress report.
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["target_id", "id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    clock = models.ForeignKey(
        "workdays.Clock", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return self.title


class MilestoneSignal(models.Model):
    """A pre-warning, yellow or red card on a milestone, raised once (the same levels as cases)."""

    class Level(models.TextChoices):
        PREWARN = "prewarn", _("Pre-warning")
        YELLOW = "yellow", _("Yellow card")
        RED = "red", _("Red card")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="signals")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("milestone signal")
        verbose_name_plural = _("milestone signals")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "level"], name="milestone_signal_once")
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.get_level_display()}"


class ProgressReport(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone reached"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("narrative"))
    evidence = models.FileField(_("evidence"), upload_to="targets/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    reported_by = models.ForeignKey(
        "org.Staff", verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="progress_report_percent_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.percent}%"
