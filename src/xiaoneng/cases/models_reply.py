"""The reply composer's data: reply templates and snippets per unit, and the draft reply.

Imported by ``cases/models.py`` so Django finds the models in the cases app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TEMPLATE_BODY = 5000


class ReplyTemplate(models.Model):
    """A text a unit's handlers start a reply from (per category), or a snippet they insert:
    the one-time notice (一次性告知) of what is missing, or a legal basis. Edited by the unit's
    department heads (cases/services/replies.py)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply template")
        NOTICE = "notice", _("One-time notice (一次性告知)")
        BASIS = "basis", _("Legal basis")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REPLY)
    # Blank: offered on every category's cases.
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["kind", "category_id", "title", "id"]
        indexes = [models.Index(fields=["unit", "is_active", "kind"], name="reply_tpl_unit")]

    def __str__(self) -> str:
        return self.title


class ReplyDraft(models.Model):
    """The reply being written for a case: saved as a draft (only the lead department sees
    it), or submitted for the head's review. It is never public; it becomes the case's reply
    (``Case.reply_text``) only when the reply is issued, and is then deleted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="reply_draft")
    text = models.TextField(_("reply"), blank=True)
    grade = models.CharField(_("resolution grade"), max_length=1, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        "org.Staff", verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # What the head said when sending it back, shown to the handler until the next save.
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("draft reply")
        verbose_name_plural = _("draft replies")

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"
