"""Study campaigns (大讨论) with required submissions per person, party groups (党小组), and
learning records (学习型机关): study sessions with attendance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PartyGroup(models.Model):
    """党小组: a named group of staff members of one unit."""

    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "org.Staff", verbose_name=_("members"), related_name="party_groups", blank=True
    )

    class Meta:
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")
        ordering = ["unit", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="cp_party_group_unit_name")
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for submissions")
        CLOSED = "closed", _("Closed to submissions")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    organiser = models.ForeignKey(
        "org.Department",
        verbose_name=_("organising office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("participating units"), related_name="+", blank=True
    )
    party_groups = models.ManyToManyField(
        PartyGroup, verbose_name=_("participating party groups"), related_name="+", blank=True
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind working days before the deadline"), default=2
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="cp_period")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def unit_id(self) -> int:
        return self.organiser.unit_id


class Requirement(models.Model):
    """What every participant owes: at least ``min_count`` texts of ``kind`` by ``deadline``."""

    class Kind(models.TextChoices):
        NOTES = "notes", _("Study notes")
        REFLECTION = "reflection", _("Reflection")
        PROPOSAL = "proposal", _("Proposal")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    min_count = models.PositiveSmallIntegerField(_("minimum per person"), default=1)
    min_length = models.PositiveIntegerField(_("minimum length (characters)"), default=0)
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="cp_requirement_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind}"

    @property
    def required(self) -> bool:
        return self.min_count > 0


class Participant(models.Model):
    """A staff member taking part, fixed when the campaign opens (department as it was then)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["campaign", "department", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "staff"], name="cp_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.staff_id}"


class Submission(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Handed in")
        ACCEPTED = "accepted", _("Approved")
        RETURNED = "returned", _("Returned for rework")
        RESUBMITTED = "resubmitted", _("Handed in again")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="submissions"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="submissions"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    file = models.FileField(upload_to="campaigns/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    late = models.BooleanField(_("handed in late"), default=False)
    selected = models.BooleanField(_("selected for the summary"), default=False)
    submitted_at = models.DateTimeField(_("handed in at"))
    return_reason = models.TextField(_("reason for return"), blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["campaign", "state"], name="cp_submission_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:submission_detail", args=[self.pk])

    @property
    def unit_id(self) -> int:
        return self.campaign.organiser.unit_id


class CampaignReminder(models.Model):
    """One automatic reminder per person and requirement (the database keeps it to one)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="reminders")
    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "staff"], name="cp_remind_once")
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} {self.staff_id}"


# -- learning records ---------------------------------------------------------------------------


class StudySession(models.Model):
    class Category(models.TextChoices):
        THEORY = "theory", _("Political theory")
        POLICY = "policy", _("Policy and law")
        PROFESSIONAL = "professional", _("Professional knowledge")

    date = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("study topic"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("organising department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="cp_session_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:session_detail", args=[self.pk])

    @property
    def unit_id(self) -> int:
        return self.department.unit_id


class Attendance(models.Model):
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    # The staff member's department at the session, for the department's hours.
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="cp_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.staff_id}"
