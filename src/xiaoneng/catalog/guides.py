"""Service guides (办事指南) and unit commitments (服务承诺), as numbered, published versions.

A service item has a stable code; its guide is edited as a draft version and published. A
published version is never changed again: an application keeps the version it was filed under,
so a later edit of the guide does not alter a running application. Commitments work the same
way, one published list per unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _


def in_reader_language(chinese: str, english: str) -> str:
    """The English text on an English page when there is one; the Chinese text otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class ServiceItem(models.Model):
    """A matter the public can apply for (事项); what it says lives in its versions."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The case category an application for this item is filed under (cases.Category.code).
    category_code = models.SlugField(_("case category"), max_length=32, default="other")
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code

    def shown_version(self) -> ServiceItemVersion | None:
        """The version whose name the item goes by: the published one, else the draft (read
        from ``live_versions`` when the selector prefetched it)."""
        live = getattr(self, "live_versions", None)
        if live is None:
            live = list(self.versions.exclude(status=PublishStatus.SUPERSEDED))
        published = [v for v in live if v.status == PublishStatus.PUBLISHED]
        newest = sorted(live, key=lambda v: v.number, reverse=True)
        return (published or newest or [None])[0]

    @property
    def label(self) -> str:
        """The item's name in the reader's language (pages never show the bare code)."""
        version = self.shown_version()
        return version.label if version is not None else str(_("Service item without a guide"))


class ServiceItemVersion(models.Model):
    class ItemType(models.TextChoices):
        LICENCE = "licence", _("Administrative licence")
        PUBLIC_SERVICE = "public_service", _("Public service")
        OTHER = "other", _("Other")

    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PublishStatus.choices, default=PublishStatus.DRAFT
    )
    name = models.CharField(_("name"), max_length=100)
    item_type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"), blank=True)
    process_steps = models.TextField(_("process steps"), blank=True, help_text=_("One per line."))
    statutory_limit = models.PositiveIntegerField(_("statutory time limit (working days)"))
    committed_limit = models.PositiveIntegerField(_("committed time limit (working days)"))
    fees = models.TextField(_("fees"), blank=True)
    fee_basis = models.TextField(_("basis of the fees"), blank=True)
    window_address = models.CharField(_("window address"), max_length=200, blank=True)
    window_hours = models.CharField(_("window hours"), max_length=200, blank=True)
    enquiry_phone = models.CharField(_("enquiry phone"), max_length=32, blank=True)
    supervision_phone = models.CharField(_("supervision phone"), max_length=32, blank=True)
    online = models.BooleanField(_("can be applied for online"), default=False)
    # English pages read these instead of the Chinese texts above (blank: the Chinese text).
    # The official records (the public JSON, notices, decisions) keep the Chinese.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    process_steps_en = models.TextField(_("process steps (English)"), blank=True)
    fees_en = models.TextField(_("fees (English)"), blank=True)
    fee_basis_en = models.TextField(_("basis of the fees (English)"), blank=True)
    window_address_en = models.CharField(_("window address (English)"), max_length=300, blank=True)
    window_hours_en = models.CharField(_("window hours (English)"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service guide version")
        verbose_name_plural = _("service guide versions")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_guide_version"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="published"), name="catalog_guide_one_published"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="draft"), name="catalog_guide_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(committed_limit__lte=F("statutory_limit")) & Q(committed_limit__gt=0),
                name="catalog_guide_committed_within_statutory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def steps(self) -> list[str]:
        """The process steps in Chinese, one per line (the official text)."""
        return _lines(self.process_steps)

    # -- in the reader's language (English pages: the English text where there is one) --------

    @property
    def label(self) -> str:
        return in_reader_language(self.name, self.name_en)

    @property
    def steps_label(self) -> list[str]:
        return _lines(in_reader_language(self.process_steps, self.process_steps_en))

    @property
    def legal_basis_label(self) -> str:
        return in_reader_language(self.legal_basis, self.legal_basis_en)

    @property
    def conditions_label(self) -> str:
        return in_reader_language(self.conditions, self.conditions_en)

    @property
    def fees_label(self) -> str:
        return in_reader_language(self.fees, self.fees_en)

    @property
    def fee_basis_label(self) -> str:
        return in_reader_language(self.fee_basis, self.fee_basis_en)

    @property
    def window_address_label(self) -> str:
        return in_reader_language(self.window_address, self.window_address_en)

    @property
    def window_hours_label(self) -> str:
        return in_reader_language(self.window_hours, self.window_hours_en)


class GuideMaterial(models.Model):
    """One required material (申请材料) of a guide version."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "both", _("Original and copy")

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("material"), max_length=120)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    form = models.CharField(_("original or copy"), max_length=12, choices=Form.choices)
    file_format = models.CharField(_("format"), max_length=60, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    conditional = models.BooleanField(_("only where it applies"), default=False)
    # English pages read these (blank: the Chinese); notices keep the Chinese (``describe``).
    name_en = models.CharField(_("material (English)"), max_length=200, blank=True)
    file_format_en = models.CharField(_("format (English)"), max_length=100, blank=True)
    notes_en = models.CharField(_("notes (English)"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="catalog_material_once")
        ]

    def __str__(self) -> str:
        return self.name

    def describe(self) -> str:
        """「身份证（原件及复印件，1份）」: how the material reads in a notice, always in Chinese
        (the notice is an official record, whatever language the officer reads)."""
        with translation.override("zh-hans"):
            form = str(self.get_form_display())
        parts = [form, f"{self.copies}份"]
        if self.file_format:
            parts.append(self.file_format)
        return f"{self.name}（{'，'.join(parts)}）"

    @property
    def label(self) -> str:
        return in_reader_language(self.name, self.name_en)

    @property
    def file_format_label(self) -> str:
        return in_reader_language(self.file_format, self.file_format_en)

    @property
    def notes_label(self) -> str:
        return in_reader_language(self.notes, self.notes_en)

    def describe_label(self) -> str:
        """How the material reads on a page in the reader's language: 「身份证（原件及复印件，
        1份）」, or "ID card (original and copy, 1 copy)" on an English page."""
        if not (get_language() or "").startswith("en"):
            return self.describe()
        parts = [str(self.get_form_display()).lower()]
        parts.append(ngettext("%(n)d copy", "%(n)d copies", self.copies) % {"n": self.copies})
        if self.file_format_label:
            parts.append(self.file_format_label)
        return f"{self.label} ({', '.join(parts)})"


class CommitmentVersion(models.Model):
    """A unit's published list of service commitments (服务承诺)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PublishStatus.choices, default=PublishStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=100)
    # Optional English that English pages read (empty: the Chinese shows).
    title_en = models.CharField(_("title in English"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service commitments")
        verbose_name_plural = _("service commitments")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="catalog_commitment_version"),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status="published"),
                name="catalog_commitment_one_published",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(status="draft"), name="catalog_commitment_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def title_label(self) -> str:
        return in_reader_language(self.title, self.title_en)


class CommitmentEntry(models.Model):
    version = models.ForeignKey(CommitmentVersion, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("commitment"), max_length=300)
    text_en = models.CharField(_("commitment in English"), max_length=600, blank=True, default="")

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        return in_reader_language(self.text, self.text_en)
