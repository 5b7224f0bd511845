"""What triage keeps: the trained routing models, every suggestion with the choice that
followed it, and the repeat-complaint alerts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutingModel(models.Model):
    """One trained model of one receiving unit; the newest version is the one in use."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    trained_at = models.DateTimeField(_("trained at"))
    blob = models.BinaryField()
    cases = models.PositiveIntegerField(_("past cases learnt from"), default=0)
    departments = models.PositiveIntegerField(_("departments"), default=0)
    held_out = models.PositiveIntegerField(_("held-out cases"), default=0)
    top1 = models.FloatField(_("top-1 accuracy"), null=True, blank=True)
    top3 = models.FloatField(_("top-3 accuracy"), null=True, blank=True)
    seconds = models.FloatField(_("training time (s)"), default=0)

    class Meta:
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        ordering = ["unit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="triage_model_unit_version")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} v{self.version}"


class Suggestion(models.Model):
    """The departments suggested for a case when it arrived, and who was chosen at dispatch."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="triage_suggestion"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    model_version = models.PositiveIntegerField(null=True, blank=True)
    made_at = models.DateTimeField()
    # [{"department": code, "department_id": pk, "confidence": 0.83}], best first; empty when
    # the model did not know.
    items = models.JSONField(default=list, blank=True)
    top = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    followed = models.BooleanField(null=True, blank=True)
    # When the case was checked for being a repeat complaint (at arrival, or by the sweep).
    repeat_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "made_at"], name="triage_suggestion_unit")]

    def __str__(self) -> str:
        return f"{self.case_id}"


class RepeatAlert(models.Model):
    """A complaint made again after a reply: one per case, linked to the earlier case."""

    class Reason(models.TextChoices):
        PERSON = "person", _("Same person")
        MATTER = "matter", _("Same matter at the same school")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="repeat_alert")
    earlier = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The first case of the chain of repeats: the matter this alert counts towards.
    root = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    score = models.FloatField(_("score"), default=0)
    raised_at = models.DateTimeField(_("raised at"))
    hotspot = models.BooleanField(_("hotspot"), default=False)

    class Meta:
        verbose_name = _("repeat complaint alert")
        verbose_name_plural = _("repeat complaint alerts")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["root", "raised_at"], name="triage_repeat_root")]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.earlier_id}"
