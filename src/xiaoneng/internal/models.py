"""Internal matters (政令畅通): leaders' instructions on documents (批办件), requests for
instructions (请示) and meeting decisions (会议议定事项), their route, drafts, sign-offs and
cards. Their clocks are ``workdays.Clock`` rows owned by ``internal.matter``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MATTER_OWNER = "internal.matter"


class Matter(models.Model):
    class Kind(models.TextChoices):
        INSTRUCTION = "instruction", _("Leader's instruction (批办件)")
        REQUEST = "request", _("Request for instructions (请示)")
        MEETING = "meeting", _("Meeting decision (会议议定事项)")

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered, to be routed")
        ROUTED = "routed", _("Routed, awaiting sign-for")
        REROUTE_REQUESTED = "reroute_requested", _("Re-route requested")
        IN_PROGRESS = "in_progress", _("In progress")
        HEAD_REVIEW = "head_review", _("Awaiting the head's sign-off")
        LEADER_REVIEW = "leader_review", _("Awaiting the leader's sign-off")
        REPLIED = "replied", _("Reply returned, awaiting receipt")
        DONE = "done", _("Done")

    number = models.CharField(_("number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    # The bureau: whose calendar the clocks run on.
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    asking_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("asking unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internal_requests",
    )
    asking_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("asking department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internal_requests",
    )
    asked_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    lead_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internal_matters",
    )
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(_("leader's instruction"), blank=True)
    instructed_on = models.DateField(_("instructed on"), null=True, blank=True)
    meeting_ref = models.CharField(_("minutes reference"), max_length=100, blank=True)
    limit_workdays = models.PositiveSmallIntegerField(
        _("time limit set (working days)"), null=True, blank=True
    )
    needs_leader_signoff = models.BooleanField(_("leader's sign-off needed"), default=False)
    policy_version = models.ForeignKey(
        "catalog.PolicyVersion",
        verbose_name=_("time-limit policy"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attachment = models.FileField(_("document"), upload_to="internal/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("signed for by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.TextField(_("result"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    reroute_count = models.PositiveSmallIntegerField(_("re-route requests"), default=0)

    class Meta:
        verbose_name = _("internal matter")
        verbose_name_plural = _("internal matters")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "registered_at"], name="internal_kind_registered"),
            models.Index(fields=["lead_department", "state"], name="internal_lead_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("internal:detail", args=[self.pk])


class MatterAssist(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="assists")
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("assisting department"),
        on_delete=models.PROTECT,
        related_name="internal_assists",
    )

    class Meta:
        verbose_name = _("assisting department")
        verbose_name_plural = _("assisting departments")
        constraints = [
            models.UniqueConstraint(fields=["matter", "department"], name="internal_assist_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.department_id}"


class MatterEvent(models.Model):
    """One step of a matter's route, for its timeline."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32)
    staff = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecidedRequest(models.Model):
    """What a request that the office decides carries: the decision, who took it, when, and
    the note given with it (re-route and extension requests)."""

    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
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
    note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True


class RerouteRequest(DecidedRequest):
    """The lead department asks 办公室 to route the matter elsewhere; it may not refuse it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reroutes")
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="internal_reroutes",
    )
    requested_by = models.ForeignKey(
        "org.Staff", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), db_index=True)
    reason = models.TextField(_("reasons"))
    suggested_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("suggested department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("re-route request")
        verbose_name_plural = _("re-route requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(decision="pending"),
                name="internal_one_pending_reroute",
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.department_id} {self.decision}"


class ReplyDraft(models.Model):
    """A draft reply to a 请示 (or a completion report), signed off by the head and the leader."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="drafts")
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("reply"))
    drafted_by = models.ForeignKey(
        "org.Staff", verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"))

    class Meta:
        verbose_name = _("draft reply")
        verbose_name_plural = _("draft replies")
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "version"], name="internal_draft_version")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} v{self.version}"


class SignOff(models.Model):
    """审签: the head's or the leader's decision on a draft."""

    class Level(models.TextChoices):
        HEAD = "head", _("Department head")
        LEADER = "leader", _("Leader in charge")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Signed off")
        RETURNED = "returned", _("Returned for redrafting")

    draft = models.ForeignKey(ReplyDraft, on_delete=models.CASCADE, related_name="signoffs")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id} {self.level} {self.outcome}"


class ExtensionRequest(DecidedRequest):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="extensions")
    units = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        "org.Staff", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(decision="pending"),
                name="internal_one_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} +{self.units}"


class MatterSignal(models.Model):
    """A pre-warning, yellow or red card on one clock of a matter, raised once by the sweep."""

    class Level(models.TextChoices):
        PREWARN = "prewarn", _("Pre-warning")
        YELLOW = "yellow", _("Yellow card")
        RED = "red", _("Red card")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="signals")
    clock = models.ForeignKey(
        "workdays.Clock", on_delete=models.PROTECT, related_name="internal_signals"
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "level"], name="internal_signal_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.level}"
