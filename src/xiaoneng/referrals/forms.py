"""Upload and confirmation forms of the referral import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import lazy_format
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.web.forms import OfficeForm

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(OfficeForm):
    file = forms.FileField(
        label=_("Referral spreadsheet"),
        help_text=_("Excel workbook (.xlsx) or CSV (UTF-8 or GB18030), first row the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                lazy_format(
                    _("The file is larger than %(mb)d MB; split it or use the command line."),
                    {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            )
        return upload


class ConfirmForm(OfficeForm):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ReferralImport.Mode.choices,
        initial=ReferralImport.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        help_text=_(
            "All or nothing: any row with an error stores nothing. Good rows: the valid rows "
            "are imported and the others listed."
        ),
    )
