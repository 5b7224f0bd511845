"""Rollups of the case log, assessment settings, hotspot alerts, repeat complaints, bulletins."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The counters every metric of DESIGN.md §7 needs; see metrics.py for the formulas.
MEASURES = (
    "received",
    "dispatched",
    "signed",
    "signed_on_time",
    "replied",
    "replied_on_time",
    "reply_workdays",
    "rated",
    "satisfied",
    "basically",
    "unsatisfied",
    "resolved",
    "unrated",
    "returned",
    "reopened",
    "repeat",
)


class RollupCursor(models.Model):
    """The single row saying how far the case event log has been applied to the rollups.

    ``last_id`` is the highest event id below which every event has been applied; ``gaps``
    holds ids seen missing above it (a transaction still open, or rolled back) with the moment
    they were first seen, so a late commit is never skipped (see rollups.py).
    """

    last_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"cursor {self.last_id}"


class CaseFact(models.Model):
    """What one case contributes to the rollups now, so that a change is applied as a delta."""

    case_id = models.BigIntegerField(primary_key=True)
    contributions = models.JSONField(default=list)

    def __str__(self) -> str:
        return str(self.case_id)


class Rollup(models.Model):
    """Counts per day × unit × department × channel × kind × category."""

    day = models.DateField()
    unit_id = models.BigIntegerField()
    department_id = models.BigIntegerField(default=0)  # 0: no department (not dispatched)
    channel = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    category_id = models.BigIntegerField()
    received = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    signed_on_time = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    replied_on_time = models.IntegerField(default=0)
    reply_workdays = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    unrated = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit_id", "department_id", "channel", "kind", "category_id"],
                name="assessment_rollup_key",
            )
        ]
        indexes = [
            models.Index(fields=["day", "unit_id"], name="assessment_rollup_day_unit"),
            models.Index(fields=["unit_id", "day"], name="assessment_rollup_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id}/{self.department_id} {self.channel}"


class CaseCount(models.Model):
    """What one case contributes to one rollup key: the rollup rows before they are summed.

    The rollup row of a key is the sum of these rows, so a number on a page opens exactly the
    cases it counts (``selectors.counted_rows``), and figures by the unit a request is about
    (涉及单位, ``concerned_unit_id``, 0 for none) are sums of the same counts. Written with the
    case's ``CaseFact`` by rollups.py.
    """

    case_id = models.BigIntegerField()
    day = models.DateField()
    unit_id = models.BigIntegerField()
    department_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    category_id = models.BigIntegerField()
    concerned_unit_id = models.BigIntegerField(default=0)
    received = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    signed_on_time = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    replied_on_time = models.IntegerField(default=0)
    reply_workdays = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    unrated = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "unit_id"], name="assessment_count_day_unit"),
            models.Index(fields=["case_id"], name="assessment_count_case"),
            models.Index(
                fields=["concerned_unit_id", "day"], name="assessment_count_concerned_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day}"


class AssessmentSettings(models.Model):
    """The composite-score weights (one row), editable by the efficiency office."""

    weight_response = models.PositiveSmallIntegerField(_("weight of the response rate"), default=30)
    weight_resolution = models.PositiveSmallIntegerField(
        _("weight of the resolution rate"), default=35
    )
    weight_satisfaction = models.PositiveSmallIntegerField(
        _("weight of the satisfaction rate"), default=35
    )
    # The share (in %) of the evaluation by the people served (evaluation app) in the composite
    # of a unit or department that has an approved round; metrics.composite_with_evaluation.
    weight_evaluation = models.PositiveSmallIntegerField(
        _("weight of the evaluation by the people served (%)"), default=20
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment settings")

    def __str__(self) -> str:
        return f"{self.weight_response}/{self.weight_resolution}/{self.weight_satisfaction}"


class HotspotAlert(models.Model):
    """A category rising sharply at one unit (热点、难点、急点); once per unit, category, window."""

    class Rule(models.TextChoices):
        CLUSTER = "cluster", _("Several complaints within a week")
        SURGE = "surge", _("Doubled week over week")

    unit_id = models.BigIntegerField()
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window until"))
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices)
    count = models.PositiveIntegerField(_("complaints"))
    previous_count = models.PositiveIntegerField(_("previous week"), default=0)
    created_at = models.DateTimeField(_("detected at"))

    class Meta:
        verbose_name = _("hotspot alert")
        verbose_name_plural = _("hotspot alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "category", "window_start"], name="assessment_hotspot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.category_id} {self.window_start}"


class RepeatComplaint(models.Model):
    """A case from the same requester phone about the same category within 90 days of an
    earlier one (重复投诉). Marked here rather than on the case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="repeat_of_link"
    )
    earlier = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case_id} repeats {self.earlier_id}"


class Bulletin(models.Model):
    """A 通报 for a period: draft → approved (by a leader) → published on the portal."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    class PeriodKind(models.TextChoices):
        QUARTER = "quarter", _("Quarterly report")
        HALF_YEAR = "half_year", _("Half-year report")
        YEAR = "year", _("Yearly report")

    title = models.CharField(_("title"), max_length=120)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    # Set on the reports drafted on schedule (scheduled.py), once per kind and period.
    period_kind = models.CharField(
        _("scheduled report"), max_length=12, choices=PeriodKind.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    number = models.CharField(_("number"), max_length=40, blank=True)
    # The figures frozen when the draft is made, so what is approved is what is published.
    content = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"))
    approved_by = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_to", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_from"],
                condition=~models.Q(period_kind=""),
                name="assessment_scheduled_report_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:bulletin_detail", args=[self.pk])
