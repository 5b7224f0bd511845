from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.web.forms import OfficeForm


class PasswordChangeForm(OfficeForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


class TokenForm(OfficeForm):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ExportReasonForm(OfficeForm):
    reason = forms.CharField(
        label=_("Reason for the export"),
        max_length=200,
        help_text=_("Recorded in the audit log with your name, the time and the row count."),
    )
