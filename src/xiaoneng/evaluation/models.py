"""Questionnaires, evaluation rounds, their panels and anonymous answers; typical cases.

Anonymity (docs/evaluation.md): an answer (``Response``) names its round, the unit evaluated,
the panel and the questionnaire version, and the day it came in; nothing else. An invitation
is marked used without any reference to the answer, and the phone numbers of the people asked
are kept only as keyed blind indexes (``Contacted``, ``PublicVoter``), never beside an
invitation or an answer.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.labels import department_label
from xiaoneng.org.models import Unit


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale of 1 to 5")
    TEXT = "text", _("Free text")


def localised(texts: dict[str, str]) -> str:
    """The text in the active language (Chinese unless English is chosen)."""
    language = (get_language() or "zh-hans").lower()
    key = "en" if language.startswith("en") else "zh"
    return texts.get(key) or texts.get("zh") or texts.get("en") or ""


class Question(models.Model):
    """A question of the bank. ``options`` are ``[{"value", "zh", "en"}]`` (choices) or the five
    labels of a scale, lowest first. ``show_if`` names an earlier question and the answers
    after which this one is asked."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text_zh = models.CharField(_("text (Chinese)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("asked only after the question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    show_if_values = models.JSONField(_("asked only after these answers"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["id"]

    def __str__(self) -> str:
        return localised({"zh": self.text_zh, "en": self.text_en})

    @property
    def show_if_labels(self) -> list[str]:
        """The answers after which the question is asked, by their labels in the reader's
        language (the stored values are codes)."""
        if self.show_if_question is None:
            return []
        labels = {
            str(o.get("value")): localised({"zh": o.get("zh", ""), "en": o.get("en", "")})
            for o in self.show_if_question.options
            if isinstance(o, dict)
        }
        return [labels.get(str(value)) or str(value) for value in self.show_if_values]


class Questionnaire(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-id"]

    def __str__(self) -> str:
        return localised({"zh": self.name_zh, "en": self.name_en})


class QuestionnaireVersion(models.Model):
    """The questions of a questionnaire frozen as they were asked: ``items`` is a list of
    ``{"key", "question", "kind", "text": {"zh", "en"}, "options", "required", "show_if"}``.
    An answer keeps the version it was given on, so changing the bank never changes it."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="evaluation_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Round(models.Model):
    """An evaluation round: draft → open (invitations go out, answers come in) → closed →
    approved by a leader (results public on the portal)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")
        APPROVED = "approved", _("Results approved and public")

    title = models.CharField(_("title"), max_length=120)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    sample_size = models.PositiveSmallIntegerField(
        _("service recipients asked per unit"), default=10
    )
    min_answers = models.PositiveSmallIntegerField(
        _("fewest answers for a result"),
        default=5,
        help_text=_("Below this many answers a question shows “too few answers”."),
    )
    public_open = models.BooleanField(_("open to the public on the portal"), default=True)
    link_days = models.PositiveSmallIntegerField(
        _("days an invitation link stays valid"), default=14
    )
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-period_to", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:round", args=[self.pk])


class RoundUnit(models.Model):
    """A unit evaluated in a round: a school (``unit``) or a department of the bureau."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The name when the round was opened, kept for the round's record; pages read ``label``.
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, department__isnull=False)
                | Q(unit__isnull=False, department__isnull=True),
                name="evaluation_unit_or_department",
            ),
            models.UniqueConstraint(
                fields=["round", "unit"],
                condition=Q(unit__isnull=False),
                name="evaluation_unit_once",
            ),
            models.UniqueConstraint(
                fields=["round", "department"],
                condition=Q(department__isnull=False),
                name="evaluation_department_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The unit's or the department's name in the reader's language (the stored name
        when the unit or department is gone)."""
        if self.unit_id is not None and self.unit is not None:
            return str(self.unit.label)
        if self.department_id is not None and self.department is not None:
            return str(self.department.label)
        return self.name


class Panel(models.Model):
    class Kind(models.TextChoices):
        RECIPIENTS = "recipients", _("Service recipients (sampled from closed cases)")
        NAMED = "named", _("Named panel")
        PUBLIC = "public", _("The public (portal and posters)")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panels")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The panel's name in the reader's language: the service recipients and the public
        are named by the catalogs, a named panel as it was typed."""
        if self.kind == self.Kind.RECIPIENTS:
            return str(_("Service recipients"))
        if self.kind == self.Kind.PUBLIC:
            return str(_("The public"))
        return self.name


class PanelCount(models.Model):
    """What remains of the invitations of a panel for a unit: how many, how many answered."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="counts")
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="counts")
    invited = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "round_unit"], name="evaluation_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.panel_id}/{self.round_unit_id}: {self.answered}/{self.invited}"


class Invitation(models.Model):
    """A one-time link (its token kept as a hash only). Never names a person or an answer:
    ``used`` says only that it has been spent."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        PAPER = "paper", _("Handed out on paper")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+")
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SMS)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["round", "used"], name="evaluation_invitation_used")]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Contacted(models.Model):
    """A phone asked in a year (keyed blind index only), so nobody is asked twice a year."""

    year = models.PositiveSmallIntegerField()
    phone_index = models.CharField(max_length=48)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "phone_index"], name="evaluation_contacted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.phone_index[:8]}…"


class PublicVoter(models.Model):
    """A phone that answered for a unit of a round on the portal (blind index only): one answer
    per phone. Says nothing of what was answered."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+")
    phone_index = models.CharField(max_length=48)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round_unit", "phone_index"], name="evaluation_public_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_unit_id} {self.phone_index[:8]}…"


class PhoneCode(models.Model):
    """The SMS code that proves a portal visitor holds the phone (hash only, short-lived)."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+")
    phone_index = models.CharField(max_length=48)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["round_unit", "phone_index"], name="evaluation_code_idx")]

    def __str__(self) -> str:
        return f"code {self.pk}"


class Response(models.Model):
    """One anonymous answer to a round's questionnaire."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="responses")
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"response {self.pk}"


class ResponseItem(models.Model):
    """One answer to one question: a choice (one row per option chosen), a score, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40)
    choice = models.CharField(max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["response", "key"], name="evaluation_item_key")]

    def __str__(self) -> str:
        return f"{self.response_id} {self.key}"


class TypicalCase(models.Model):
    """A typical case (典型案例, from a confirmed violation) or a good practice (好做法, from a
    well-handled case): draft → approved by a leader → published on the portal → withdrawn."""

    class Kind(models.TextChoices):
        TYPICAL = "typical", _("Typical case (bad conduct)")
        GOOD = "good", _("Good practice")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=120)
    facts = models.TextField(_("facts"))
    handling = models.TextField(_("handling"))
    lesson = models.TextField(_("lesson"))
    violation = models.ForeignKey(
        "accountability.Violation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The unit is printed only when the decision names it (see services/typical.py).
    unit_named = models.CharField(_("unit named"), max_length=100, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    approved_by = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(violation__isnull=False) | Q(case__isnull=False),
                name="evaluation_typical_has_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:typical", args=[self.pk])

    @property
    def unit_label(self) -> str:
        """The unit named, in the reader's language where it is a unit's own name (the
        published text keeps the name as it was published)."""
        if not self.unit_named or self.unit_id is None:
            return self.unit_named
        unit = Unit.objects.filter(pk=self.unit_id).first()
        if unit is None:
            return self.unit_named
        if self.unit_named in {unit.name, unit.short_name}:
            return str(unit.label)
        # A department, published as the unit's short name and the department's name.
        for department in unit.departments.all():
            if self.unit_named == f"{unit.short_name or unit.name}{department.name}":
                return department_label(department)
        return self.unit_named
