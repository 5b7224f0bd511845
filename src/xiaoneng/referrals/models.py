"""One row per referral spreadsheet uploaded or imported, with its report."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage() -> FileSystemStorage:
    """Uploaded spreadsheets hold personal data: kept outside MEDIA_ROOT, never served."""
    return FileSystemStorage(location=settings.DATA_DIR / "private" / "referrals")


class ReferralImport(models.Model):
    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all-or-nothing", _("All or nothing")
        GOOD_ROWS = "good-rows", _("Import the good rows")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Awaiting confirmation")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: errors, nothing imported")
        REFUSED = "refused", _("File refused")
        FAILED = "failed", _("Failed, nothing imported from the failing batch")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    upload = models.FileField(
        storage=private_storage, upload_to="%Y/%m/", blank=True, max_length=300
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("cases created"), default=0)
    rows_skipped = models.PositiveIntegerField(_("already imported"), default=0)
    rows_error = models.PositiveIntegerField(_("rows with errors"), default=0)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # [[row, column, message], ...], capped; never the cells' personal data.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    errors_truncated = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("referral import")
        verbose_name_plural = _("referral imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="referral_by_created")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
