"""The working-day calendar (day overrides, official years) and the clocks that run on it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.sources import holiday_label

COUNTING_CHOICES = [
    (Counting.WORKDAYS.value, _("working days")),
    (Counting.DAYS.value, _("calendar days")),
    (Counting.MONTHS.value, _("months")),
    (Counting.HOURS.value, _("hours")),
]


class CalendarOverride(models.Model):
    """A day that differs from the weekend rule: a statutory holiday or a make-up working day.

    Rows without a unit are the national calendar; rows with a unit are that unit's local days
    and apply on top of the national ones (a local holiday, or a local working day).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("State Council schedule (chinesecalendar)")
        MANUAL = "manual", _("Entered by hand")

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=32, choices=Source.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Empty for the national calendar; set for a unit's local day."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=Q(unit__isnull=True), name="workdays_override_national"
            ),
            models.UniqueConstraint(
                fields=["day", "unit"],
                condition=Q(unit__isnull=False),
                name="workdays_override_local",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.name}".strip()

    @property
    def is_workday(self) -> bool:
        return self.kind == self.Kind.MAKEUP_WORKDAY

    @property
    def label(self) -> str:
        """The holiday's name in the reader's language (an official one in English on English
        pages; one entered by hand as typed)."""
        return holiday_label(self.name)


class CalendarYear(models.Model):
    """A year whose official schedule is known; deadlines in other years are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarState(models.Model):
    """One row whose token changes with every calendar change, so caches know to rebuild.

    A random token rather than a counter: a counter can repeat after a rolled-back
    transaction (every test, for one) and a process would then keep a stale calendar.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar state")

    def __str__(self) -> str:
        return self.token


class Clock(models.Model):
    """The time limit of one stage of one thing (a case, an assisting opinion, …)."""

    class Stage(models.TextChoices):
        SIGN_FOR = "sign_for", _("Sign for")
        ASSIST_OPINION = "assist_opinion", _("Assisting opinion")
        REPLY = "reply", _("Reply")
        RATING = "rating", _("Rating window")
        SUPERVISION = "supervision", _("Supervision")
        ACCEPTANCE = "acceptance", _("Decision on acceptance")
        INTAKE = "intake", _("Acceptance from the intake pool")
        ONE_TIME_NOTICE = "one_time_notice", _("One-time notice")
        RECTIFICATION = "rectification", _("Rectification")
        MILESTONE = "milestone", _("Milestone")

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        STOPPED = "stopped", _("Stopped")

    owner_type = models.CharField(_("owner type"), max_length=64)
    owner_id = models.BigIntegerField(_("owner id"))
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    policy_version = models.ForeignKey(
        "catalog.PolicyVersion",
        verbose_name=_("policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clocks",
    )
    # The unit whose local calendar applies (and whose audit trail records the clock).
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clocks",
    )
    counting = models.CharField(_("counted in"), max_length=16, choices=COUNTING_CHOICES)
    limit = models.PositiveIntegerField(_("limit"))
    count_start = models.BooleanField(_("start day counts"), default=False)
    closing_time = models.TimeField(_("office closing time"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RUNNING
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stop_reason = models.CharField(_("stop reason"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="workdays_clock_owner"),
            models.Index(fields=["state", "due_at"], name="workdays_clock_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(state="stopped"),
                name="workdays_clock_stopped_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_type}:{self.owner_id} {self.stage}"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.STOPPED

    @property
    def next_check_at(self) -> datetime | None:
        """When a sweep looks at this clock next (its ``ClockCheck``), None if never: stopped,
        paused, or nothing left to cross. Read from the narrow row, or the one the clock
        services set on this instance before saving it."""
        try:
            check = self.next_check
        except ClockCheck.DoesNotExist:
            return None
        return check.next_check_at if check is not None else None

    @property
    def extension_units(self) -> int:
        return sum(extension.units for extension in self.extensions.all())


class ClockPause(models.Model):
    clock = models.ForeignKey(
        Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="pauses"
    )
    paused_at = models.DateTimeField(_("paused at"))
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Resumed by starting the whole period again (e.g. after materials were supplemented).
    restart = models.BooleanField(_("restarted"), default=False)

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["paused_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"],
                condition=Q(resumed_at__isnull=True),
                name="workdays_one_open_pause",
            ),
            models.CheckConstraint(
                condition=Q(resumed_at__isnull=True) | Q(resumed_at__gte=F("paused_at")),
                name="workdays_pause_resumed_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.paused_at.isoformat()}"


class ClockExtension(models.Model):
    clock = models.ForeignKey(
        Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="extensions"
    )
    units = models.PositiveIntegerField(_("extra units"))
    reason = models.CharField(_("reason"), max_length=500)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_due_at = models.DateTimeField(_("due before"))
    new_due_at = models.DateTimeField(_("new due"))
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clock extension")
        verbose_name_plural = _("clock extensions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="workdays_extension_positive")
        ]

    def __str__(self) -> str:
        return f"{self.clock_id} +{self.units}"


class ClockCheck(models.Model):
    """When a sweep must next look at a running clock: one narrow row per running clock with a
    threshold still ahead (or one to act on now), none for a stopped or paused clock.

    Kept apart from the wide ``Clock`` row (issue #25 item 5): a sweep locks and reschedules
    thousands of clocks a minute, and each of those updates used to write a new version of the
    clock with an entry in each of its seven indexes; here it writes a row of three columns
    with two. The clock services keep it (``workdays.services.clocks``); ``owner_type`` is the
    clock's, copied (it never changes) so each sweep asks only for its own owners' clocks.
    """

    clock = models.OneToOneField(
        Clock,
        verbose_name=_("clock"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="next_check",
    )
    owner_type = models.CharField(_("owner type"), max_length=64)
    next_check_at = models.DateTimeField(_("next check at"))

    class Meta:
        verbose_name = _("next check of a clock")
        verbose_name_plural = _("next checks of clocks")
        indexes = [
            # The sweeps' due-clock queries (``next_check_at <= now``, ordered by next check
            # and clock): the rows come in that order, so a batch reads only its LIMIT rows.
            models.Index(fields=["next_check_at", "clock"], name="workdays_clockcheck_due"),
        ]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.next_check_at.isoformat()}"
