"""Duty rosters (值班表) with their swaps and holiday-gap warnings, emergency plans (应急预案),
drills (演练) and the bureau's drill requirements. Imported by ``emergencies.models``."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A day shift runs 08:00–20:00; the night shift of a day runs from 20:00 to 08:00 the next day.
DAY_SHIFT_START = time(8)
NIGHT_SHIFT_START = time(20)


class Shift(models.TextChoices):
    DAY = "day", _("Day shift (08:00–20:00)")
    NIGHT = "night", _("Night shift (20:00–08:00)")


class DutyShift(models.Model):
    """Who is on duty for a unit on one shift of one day."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="duty_shifts"
    )
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("on duty"), on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["unit", "day", "shift"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "shift"], name="emergencies_one_duty_per_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day.isoformat()} {self.shift}"


class DutySwap(models.Model):
    """The person on duty asks to hand a shift to a colleague; the unit's head decides."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the head's decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="swaps"
    )
    from_staff = models.ForeignKey(
        "org.Staff", verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    to_staff = models.ForeignKey(
        "org.Staff", verbose_name=_("taken over by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("duty swap")
        verbose_name_plural = _("duty swaps")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(state="requested"),
                name="emergencies_one_open_swap_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.from_staff_id} → {self.to_staff_id} ({self.state})"


class RosterGapWarning(models.Model):
    """A holiday shift without anyone on duty, warned about once (a week ahead)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    warned_at = models.DateTimeField(_("warned at"))

    class Meta:
        verbose_name = _("duty roster gap warning")
        verbose_name_plural = _("duty roster gap warnings")
        ordering = ["day", "shift", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "shift"], name="emergencies_one_gap_warning"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day.isoformat()} {self.shift}"


class PlanType(models.TextChoices):
    OVERALL = "overall", _("Overall emergency plan")
    FIRE = "fire", _("Fire safety")
    FOOD_SAFETY = "food_safety", _("Food safety")
    PUBLIC_HEALTH = "public_health", _("Public health and infectious disease")
    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    CAMPUS_SECURITY = "campus_security", _("Campus security and anti-violence")
    TRAFFIC = "traffic", _("Traffic safety")
    EXAM_SECURITY = "exam_security", _("Examination security")
    NETWORK_SECURITY = "network_security", _("Network and information security")
    OTHER = "other", _("Other")


class EmergencyPlan(models.Model):
    """One version of a unit's emergency plan (应急预案) with its approved document. A new
    version is a new row; the older ones stay for the record."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=24, choices=PlanType.choices)
    version = models.CharField(_("version"), max_length=20)
    approved_on = models.DateField(_("approved on"))
    approved_by = models.CharField(_("approved by"), max_length=100)
    document = models.FileField(_("document"), upload_to="emergency-plans/%Y/%m/")
    document_name = models.CharField(max_length=200)
    document_type = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(
        "org.Staff", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        ordering = ["unit", "type", "-approved_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "version"], name="emergencies_plan_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class DrillType(models.TextChoices):
    EVACUATION = "evacuation", _("Evacuation")
    FIRE = "fire", _("Fire")
    EARTHQUAKE = "earthquake", _("Earthquake")
    FOOD_SAFETY = "food_safety", _("Food safety")
    ANTI_VIOLENCE = "anti_violence", _("Anti-terrorism and anti-violence")
    FLOOD = "flood", _("Flood and typhoon")
    PUBLIC_HEALTH = "public_health", _("Infectious disease")
    OTHER = "other", _("Other")


class Drill(models.Model):
    """A drill (演练) a unit held."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    type = models.CharField(_("type"), max_length=16, choices=DrillType.choices)
    participants = models.PositiveIntegerField(_("participants"))
    evaluation = models.TextField(_("evaluation"))
    plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name=_("plan drilled"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
    )
    recorded_by = models.ForeignKey(
        "org.Staff", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["type", "held_on"], name="emergencies_drill_type_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.held_on.isoformat()} {self.type}"


class DrillRequirement(models.Model):
    """What the bureau asks of every school: at least ``minimum`` drills of a type a term (or
    a school year)."""

    class Per(models.TextChoices):
        TERM = "term", _("per term")
        YEAR = "year", _("per school year")

    type = models.CharField(_("drill type"), max_length=16, choices=DrillType.choices)
    per = models.CharField(_("per"), max_length=8, choices=Per.choices)
    minimum = models.PositiveSmallIntegerField(_("at least"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("drill requirement")
        verbose_name_plural = _("drill requirements")
        ordering = ["type", "per"]
        constraints = [
            models.UniqueConstraint(fields=["type", "per"], name="emergencies_requirement_unique"),
            models.CheckConstraint(
                condition=Q(minimum__gt=0), name="emergencies_requirement_minimum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} ≥{self.minimum}/{self.per}"
