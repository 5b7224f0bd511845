"""The case (工单) and what hangs off it: assisting departments, requests, events, signals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.states import OPEN_STATE_VALUES, State
from xiaoneng.fieldcrypt.fields import BlindIndexField, EncryptedTextField

# The case page's URL pattern by (script prefix, URL configuration): Case.get_absolute_url.
_CASE_URLS: dict[tuple[str, object], str] = {}


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("Mayor's hotline referral")
    EFFICIENCY_OFFICE = "efficiency_office", _("Efficiency office referral")
    PETITION = "petition", _("Petition")
    DEPUTY = "deputy", _("Deputy suggestion")
    CPPCC = "cppcc", _("CPPCC proposal")
    SUPERIOR = "superior", _("Referred by a superior")
    SUPERVISION = "supervision", _("Supervision")
    OPEN311 = "open311", _("Open311")
    API = "api", _("Interface")


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report (whistleblowing)")
    SUGGESTION = "suggestion", _("Suggestion")
    APPLICATION = "application", _("Application")
    PRAISE = "praise", _("Praise")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    UNRATED = "unrated", _("Not rated")


class ReplyGrade(models.TextChoices):
    """How far a deputy's suggestion or CPPCC proposal is solved (A/B/C/D)."""

    A = "A", _("A: solved or adopted")
    B = "B", _("B: being solved, planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: cannot be solved, explained")


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    # Read instead of the Chinese name when the page is in English (blank: the Chinese name).
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    default_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("usual lead department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    # Requests on this topic (校园安全, 食品卫生) are suggested as urgent at intake.
    suggest_urgent = models.BooleanField(_("suggest urgent"), default=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: the English name on English pages when there is one."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Urgency(models.TextChoices):
    """Why a request runs on the hour-level urgent policy (blank: it does not)."""

    MARKED = "marked", _("Marked urgent when registered")
    SUGGESTED = "suggested", _("Suggested urgent from its category or words, to be reviewed")
    CONFIRMED = "confirmed", _("Urgency confirmed on review")


class CaseCounter(models.Model):
    """Per-day sequence behind the human-readable case number."""

    day = models.DateField(primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.value}"


class Case(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    tracking_secret_hash = models.CharField(max_length=64)
    external_number = models.CharField(_("external number"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"))
    unit_concerned = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_concerned = models.CharField(_("person concerned"), max_length=64, blank=True)
    # The requester's personal data: masked in every list, log and notification, encrypted at
    # rest; equality (same phone, same ID number) goes through the keyed blind indexes.
    requester_name = EncryptedTextField(_("requester"), max_length=64, blank=True)
    requester_phone = EncryptedTextField(_("phone"), max_length=32, blank=True)
    requester_email = EncryptedTextField(_("e-mail"), max_length=254, blank=True)
    requester_id_number = EncryptedTextField(_("ID number"), max_length=32, blank=True)
    requester_phone_index = BlindIndexField(source="requester_phone", kind="phone")
    requester_id_index = BlindIndexField(source="requester_id_number", kind="id_number")
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    consent_publish = models.BooleanField(_("consents to publication"), default=False)
    # An urgent request runs on the hour-level "urgent" policy and alerts its post until
    # acknowledged (emergencies); the public sees it like any other case.
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, blank=True, default=""
    )

    # Scope: the unit that owns the case now (the lead department's unit once dispatched).
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REGISTERED
    )
    first_contact = models.ForeignKey(
        "org.Staff",
        verbose_name=_("first-contact officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_contact_cases",
    )
    lead_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    post = models.ForeignKey(
        "org.Post",
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    handler = models.ForeignKey(
        "org.Staff",
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    policy_version = models.ForeignKey(
        "catalog.PolicyVersion",
        verbose_name=_("time-limit policy"),
        on_delete=models.PROTECT,
        related_name="cases",
    )

    reply_text = models.TextField(_("reply"), blank=True)
    reply_grade = models.CharField(
        _("resolution grade"), max_length=1, choices=ReplyGrade.choices, blank=True
    )
    reply_drafted_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_pending_review = models.BooleanField(_("reply awaiting review"), default=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rated_by_callback = models.BooleanField(default=False)

    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    final_reason = models.TextField(_("reason"), blank=True)

    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "-registered_at"], name="case_unit_state"),
            models.Index(fields=["lead_department", "state"], name="case_dept_state"),
            models.Index(fields=["handler", "state"], name="case_handler_state"),
            models.Index(fields=["requester_phone_index", "registered_at"], name="case_phone_idx"),
            models.Index(fields=["requester_id_index", "registered_at"], name="case_id_number_idx"),
            # Open cases are a few per cent of a city's history; the workbench counts only
            # them, so it reads this small index instead of the whole table.
            models.Index(
                fields=["state", "registered_at"],
                name="case_open_state",
                condition=Q(state__in=OPEN_STATE_VALUES),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_number"],
                condition=~Q(external_number=""),
                name="case_channel_external_number",
            )
        ]
        permissions = [("reveal_requester", _("Can reveal a requester's personal data"))]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        # Every notification about a case carries this link: the URL is reversed once per
        # script prefix and URL configuration, then filled in (``reverse`` costs ~0.1 ms).
        key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        pattern = _CASE_URLS.get(key)
        if pattern is None:
            placeholder = 918273645546372819
            pattern = reverse("office:case_detail", args=[placeholder]).replace(
                str(placeholder), "{}"
            )
            _CASE_URLS[key] = pattern
        return pattern.format(self.pk)

    @property
    def is_open(self) -> bool:
        return self.state not in {State.CLOSED, State.WITHDRAWN, State.INVALID, State.MERGED}


class CaseAssist(models.Model):
    """An assisting department (协办) and its opinion; silence at the deadline is agreement."""

    class Opinion(models.TextChoices):
        PENDING = "pending", _("Awaiting opinion")
        AGREE = "agree", _("Agrees")
        DISAGREE = "disagree", _("Disagrees")
        REFER_UP = "refer_up", _("Agrees, refers upward")
        SILENT = "silent", _("Silent: counted as agreement")
        # The case moved on (replied, redispatched, ended) before the opinion came.
        WITHDRAWN = "withdrawn", _("No longer asked")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assists")
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(
        _("opinion"), max_length=12, choices=Opinion.choices, default=Opinion.PENDING
    )
    reason = models.TextField(_("reasons"), blank=True)
    answered_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assisting department")
        verbose_name_plural = _("assisting departments")
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="case_assist_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.department}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # The case moved on so the request no longer applies (docs/cases.md, "Pending requests").
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReturnRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="return_requests")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    basis = models.TextField(_("basis"))
    requested_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    previous_state = models.CharField(max_length=20, choices=State.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending"),
                name="case_one_pending_return",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} return"


class ExtensionRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("reason"))
    basis = models.TextField(_("basis"))
    extra_units = models.PositiveIntegerField(_("extra time"))
    requested_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending"),
                name="case_one_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} extension"


class CaseEvent(models.Model):
    """The case timeline. Rows are only ever added."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Sent with the reply (added in the reply composer), not material of the request.
    for_reply = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class Signal(models.Model):
    """Pre-warning, yellow or red card on one clock; exists once per clock and level."""

    class Level(models.TextChoices):
        PREWARN = "prewarn", _("Pre-warning")
        YELLOW = "yellow", _("Yellow card")
        RED = "red", _("Red card")

    clock = models.ForeignKey("workdays.Clock", on_delete=models.PROTECT, related_name="signals")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="signals"
    )
    unit_id = models.BigIntegerField(null=True, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices)
    raised_at = models.DateTimeField()
    grace_due_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "level"], name="signal_once_per_clock_level")
        ]
        indexes = [models.Index(fields=["unit_id", "level", "raised_at"], name="signal_unit")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_level_display()}"


# The reply composer's models live in their own module (kept short); Django finds them here.
from xiaoneng.cases.models_reply import ReplyDraft, ReplyTemplate  # noqa: E402

__all__ = [
    "Attachment",
    "Case",
    "CaseAssist",
    "CaseCounter",
    "CaseEvent",
    "Category",
    "Channel",
    "Decision",
    "ExtensionRequest",
    "Kind",
    "ReplyDraft",
    "ReplyGrade",
    "ReplyTemplate",
    "ReturnRequest",
    "Satisfaction",
    "Signal",
    "Urgency",
]
