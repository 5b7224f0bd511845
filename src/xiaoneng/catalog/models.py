"""Time-limit policies as data: a stable policy code and immutable, numbered versions.

Editing a policy never changes a version in place: it creates the next version, so every clock
keeps counting by the rules it started under (a case keeps the version it started with).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xiaoneng.workdays.models import COUNTING_CHOICES, Clock


class TimeLimitPolicy(models.Model):
    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Read instead of the Chinese name when the page is in English (blank: the Chinese name).
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("time-limit policy")
        verbose_name_plural = _("time-limit policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: the English name on English pages when there is one."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class PolicyVersion(models.Model):
    class AfterSupplement(models.TextChoices):
        RESUME = "resume", _("Resume the remaining time")
        RESTART = "restart", _("Restart the whole period")

    policy = models.ForeignKey(
        TimeLimitPolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    count_start = models.BooleanField(
        _("start day counts"),
        default=False,
        help_text=_("By law (民法典 art. 201) the day a period starts is not counted."),
    )
    closing_time = models.TimeField(
        _("office closing time"),
        null=True,
        blank=True,
        help_text=_("Deadlines end at this time; empty means at the end of the day."),
    )
    prewarn_workdays = models.PositiveSmallIntegerField(
        _("pre-warning (working days before)"), default=1
    )
    prewarn_fractions = models.JSONField(
        _("pre-warnings at percentages of the period"), default=list, blank=True
    )
    yellow_grace_workdays = models.PositiveSmallIntegerField(
        _("reminder limit after a yellow card (working days)"), default=5
    )
    extension_allowed = models.BooleanField(_("extension allowed"), default=True)
    extension_max = models.PositiveIntegerField(
        _("maximum extension"),
        null=True,
        blank=True,
        help_text=_("In the reply's unit, all extensions together; empty means by approval."),
    )
    after_supplement = models.CharField(
        _("after supplement"),
        max_length=16,
        choices=AfterSupplement.choices,
        default=AfterSupplement.RESUME,
    )
    source = models.TextField(_("source"), help_text=_("The rule this policy follows."))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="catalog_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.number}"

    def stage_limit(self, stage: str) -> PolicyStageLimit | None:
        for limit in self.stage_limits.all():
            if limit.stage == stage:
                return limit
        return None


class PolicyStageLimit(models.Model):
    """The limit of one stage (sign for, reply, …) in one policy version."""

    version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("policy version"),
        on_delete=models.CASCADE,
        related_name="stage_limits",
    )
    stage = models.CharField(_("stage"), max_length=32)
    amount = models.PositiveIntegerField(_("limit"))
    counting = models.CharField(_("counted in"), max_length=16, choices=COUNTING_CHOICES)
    # Empty: the version's start rule applies.
    count_start = models.BooleanField(_("start day counts"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stage limit")
        verbose_name_plural = _("stage limits")
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "stage"], name="catalog_stage_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(counting="days"),
                name="catalog_stage_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.stage} {self.amount} {self.counting}"

    @property
    def stage_label(self) -> str:
        """The stage in the reader's language (签收, 答复, …), never its code."""
        return str(dict(Clock.Stage.choices).get(self.stage, self.stage))

    @property
    def effective_count_start(self) -> bool:
        return self.version.count_start if self.count_start is None else self.count_start


from xiaoneng.catalog import guides  # noqa: E402, F401  (service guides and commitments)
