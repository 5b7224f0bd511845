"""The person's own channel preference: parsed here, decided by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelPreferenceForm(forms.Form):
    # Like web.forms.OfficeForm (labels above their fields, no colon), which notify cannot
    # import: the web kit already imports notify (web/person.py), and apps import one way only.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    sms = forms.BooleanField(label=_("Also by SMS"), required=False)
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)
    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Urgent notifications always go to this number by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
