"""Campus safety incidents (突发事件), their reports on hour clocks, the alerts that escalate
until someone acknowledges, and the incident's timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    SOCIAL_SECURITY = "social_security", _("Social security")
    ACCIDENT = "accident", _("Accident or disaster")
    PUBLIC_HEALTH = "public_health", _("Public health")
    FOOD_SAFETY = "food_safety", _("Food safety")
    INFECTIOUS_DISEASE = "infectious_disease", _("Infectious disease")
    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    EXAM_SECURITY = "exam_security", _("Education examination security")
    NETWORK_SECURITY = "network_security", _("Network and information security")
    PUBLIC_OPINION = "public_opinion", _("Public opinion")


class Grade(models.TextChoices):
    I = "1", _("I (especially serious)")  # noqa: E741 - the grade's official name
    II = "2", _("II (serious)")
    III = "3", _("III (major)")
    IV = "4", _("IV (general)")


class Incident(models.Model):
    class State(models.TextChoices):
        RESPONDING = "responding", _("Response under way")
        RESPONSE_ENDED = "response_ended", _("Response ended, final report due")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="incidents"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    type = models.CharField(_("type"), max_length=24, choices=IncidentType.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    preliminary_grade = models.CharField(
        _("preliminary grade"), max_length=1, choices=Grade.choices
    )
    title = models.CharField(_("title"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred at"))
    discovered_at = models.DateTimeField(_("discovered at"))
    place = models.CharField(_("place"), max_length=200)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    dead = models.PositiveIntegerField(_("dead"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    what_happened = models.TextField(_("what happened"))
    measures = models.TextField(_("measures taken"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RESPONDING
    )
    response_ended_at = models.DateTimeField(_("response ended at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    # The public request this incident was turned from (staff only: the public never sees it).
    source_case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("source request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident",
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-discovered_at", "-id"]
        indexes = [models.Index(fields=["state", "grade"], name="emergencies_incident_open")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("emergencies:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("Initial report")
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")


class IncidentReport(models.Model):
    """One report as sent: never changed afterwards; a correction is a new report."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    dead = models.PositiveIntegerField(_("dead"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    situation = models.TextField(_("situation"))
    measures = models.TextField(_("measures taken"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"],
                condition=Q(kind="initial"),
                name="emergencies_one_initial_report",
            ),
            models.UniqueConstraint(
                fields=["incident"],
                condition=Q(kind="final"),
                name="emergencies_one_final_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.sent_at.isoformat()}"


class ReportRule(models.Model):
    """How soon the reports are due, by incident type and grade (empty = any). The most
    specific row wins: type and grade, then grade, then type, then the row for any."""

    type = models.CharField(_("type"), max_length=24, choices=IncidentType.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    initial_hours = models.PositiveIntegerField(_("initial report within (hours)"), default=1)
    progress_hours = models.PositiveIntegerField(
        _("progress report every (hours)"),
        null=True,
        blank=True,
        help_text=_("Empty: a progress report only when the situation changes."),
    )
    final_days = models.PositiveIntegerField(
        _("final report within (days of the end of the response)"), default=7
    )

    class Meta:
        verbose_name = _("report rule")
        verbose_name_plural = _("report rules")
        ordering = ["type", "grade", "id"]
        constraints = [
            models.UniqueConstraint(fields=["type", "grade"], name="emergencies_rule_unique"),
            models.CheckConstraint(
                condition=Q(initial_hours__gt=0), name="emergencies_rule_initial"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type or '*'}/{self.grade or '*'}"


class ReportDeadline(models.Model):
    """One report's clock in calendar hours: pre-warning, then the red signal at the due
    moment; swept by ``emergencies.sweep`` through ``next_check_at``."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Report sent on time")
        LATE = "late", _("Report sent late")
        CANCELLED = "cancelled", _("No longer due")

    class Signal(models.TextChoices):
        NONE = "", _("None")
        WARNING = "warning", _("Pre-warning")
        RED = "red", _("Red")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"), default=1)
    started_at = models.DateTimeField(_("started at"))
    warn_at = models.DateTimeField(_("pre-warning at"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    signal = models.CharField(
        _("signal"), max_length=8, choices=Signal.choices, default=Signal.NONE, blank=True
    )
    report = models.OneToOneField(
        IncidentReport,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadline",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["next_check_at"], name="emergencies_deadline_check")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "sequence"], name="emergencies_deadline_unique"
            ),
            models.UniqueConstraint(
                fields=["incident"],
                condition=Q(state="open"),
                name="emergencies_one_open_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}#{self.sequence} {self.due_at.isoformat()}"


class Alert(models.Model):
    """One person alerted about an incident, waiting for a click that says they know."""

    class Line(models.TextChoices):
        # An urgent public request: the post it waits on — A holder, B holder, the head.
        CASE = "case", _("The post of an urgent request")
        # Repeated to the same person until acknowledged.
        UNIT = "unit", _("The reporting unit's head")
        # Walks the bureau's chain: the post's A holder, B holder, the head, the leaders.
        BUREAU = "bureau", _("The bureau's chain")
        # Grades I–II: each leader at once, repeated until acknowledged.
        LEADERS = "leaders", _("The bureau's leaders")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        PASSED_ON = "passed_on", _("Not acknowledged in time, passed on")
        WITHDRAWN = "withdrawn", _("No longer needed")

    # An alert is about an incident, or (line CASE) about an urgent public request.
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="urgent_alerts",
    )
    # For a request: the stage it waits in ("intake" in the pool, "sign_for" once dispatched);
    # the chain stops when the stage is done.
    case_stage = models.CharField(_("stage"), max_length=16, blank=True)
    # The code the recipient may text back to acknowledge (SMS reply), unique among the
    # recipient's recent alerts.
    reply_code = models.CharField(_("reply code"), max_length=8, blank=True)
    line = models.CharField(_("line"), max_length=8, choices=Line.choices)
    recipient = models.ForeignKey(
        "org.Staff", verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(_("capacity"), max_length=64)
    step = models.PositiveIntegerField(_("step"))
    round = models.PositiveIntegerField(_("round"), default=1)
    sent_at = models.DateTimeField(_("sent at"))
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    passed_on_at = models.DateTimeField(_("passed on at"), null=True, blank=True)
    # When the sweep looks at it next (its acknowledgement deadline); empty once handled.
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["next_check_at"], name="emergencies_alert_check"),
            models.Index(fields=["recipient", "reply_code"], name="emergencies_alert_reply"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incident__isnull=False) & Q(case__isnull=True))
                | (Q(incident__isnull=True) & Q(case__isnull=False)),
                name="emergencies_alert_incident_or_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id or self.case_id} → {self.recipient_id} ({self.state})"


class TimelineEvent(models.Model):
    """What happened to an incident, in order: reports, signals, alerts, acknowledgements,
    escalations, re-grading, the end of the response. Texts are rendered from ``kind`` and
    ``data`` in the reader's language."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Incident reported")
        REPORT_SENT = "report_sent", _("Report sent")
        PREWARNING = "prewarning", _("Report due soon")
        RED = "red", _("Report overdue: red signal")
        ALERT_SENT = "alert_sent", _("Alert sent")
        ACKNOWLEDGED = "acknowledged", _("Alert acknowledged")
        ESCALATED = "escalated", _("Not acknowledged in time: escalated")
        REGRADED = "regraded", _("Grade changed")
        RESPONSE_ENDED = "response_ended", _("Response ended")
        CLOSED = "closed", _("Closed with the final report")
        FROM_CASE = "from_case", _("Turned from a public request")
        OUTBOUND_DUE = "outbound_due", _("Report to an outside authority due")
        OUTBOUND_SENT = "outbound_sent", _("Reported to an outside authority")
        OUTBOUND_RED = "outbound_red", _("Report to an outside authority overdue: red signal")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("details"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.at.isoformat()} {self.kind}"


class OutboundRecipient(models.TextChoices):
    CITY_DUTY_OFFICE = "city_duty_office", _("The city's duty office (市政府总值班室)")
    HEALTH_AUTHORITY = "health_authority", _("The health authority (卫生健康部门)")


class OutboundReport(models.Model):
    """A report the bureau owes an outside authority — the city's duty office for grades I–II,
    the health authority for public-health events — on its own calendar-hour clock, recorded
    when someone has made it (by telephone, fax or their system)."""

    class State(models.TextChoices):
        OPEN = "open", _("Due")
        MET = "met", _("Reported on time")
        LATE = "late", _("Reported late")

    class Means(models.TextChoices):
        PHONE = "phone", _("Telephone")
        FAX = "fax", _("Fax")
        SYSTEM = "system", _("Their reporting system")
        DOCUMENT = "document", _("Written document")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="outbound"
    )
    recipient = models.CharField(_("to"), max_length=24, choices=OutboundRecipient.choices)
    started_at = models.DateTimeField(_("started at"))
    warn_at = models.DateTimeField(_("pre-warning at"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    signal = models.CharField(
        _("signal"),
        max_length=8,
        choices=ReportDeadline.Signal.choices,
        default=ReportDeadline.Signal.NONE,
        blank=True,
    )
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    means = models.CharField(_("by"), max_length=8, choices=Means.choices, blank=True)
    received_by = models.CharField(_("received by"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbound report")
        verbose_name_plural = _("outbound reports")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["next_check_at"], name="emergencies_outbound_check")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "recipient"], name="emergencies_outbound_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.recipient} ({self.state})"


class SmsReply(models.Model):
    """A text a provider passed on (the reply to an alert), kept whatever became of it."""

    class Outcome(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged the alert")
        ALREADY = "already", _("The alert was already acknowledged")
        EXPIRED = "expired", _("The code has expired")
        UNKNOWN = "unknown", _("No alert has this code for this number")

    provider = models.CharField(_("provider"), max_length=16)
    phone = models.CharField(_("phone"), max_length=32)
    text = models.CharField(_("text"), max_length=300)
    received_at = models.DateTimeField(_("received at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    alert = models.ForeignKey(
        Alert,
        verbose_name=_("alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_replies",
    )

    class Meta:
        verbose_name = _("SMS reply")
        verbose_name_plural = _("SMS replies")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.received_at.isoformat()} {self.outcome}"


# Duty rosters, plans, drills and requirements live in their own module.
from xiaoneng.emergencies.models_safety import (  # noqa: E402,F401
    Drill,
    DrillRequirement,
    DrillType,
    DutyShift,
    DutySwap,
    EmergencyPlan,
    PlanType,
    RosterGapWarning,
    Shift,
)
