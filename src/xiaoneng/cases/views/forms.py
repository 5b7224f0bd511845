"""Forms of the office: the base form and intake (the case actions' forms are in cases/forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import (
    Category,
    Channel,
    Kind,
)
from xiaoneng.org.models import Department, Unit
from xiaoneng.web.fields import MultipleFileField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm
from xiaoneng.web.uploads import MAX_ATTACHMENT_BYTES, sniff_content_type

MAX_FILES = 10


def active_departments() -> list[Department]:
    return list(
        Department.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "id")
    )


# -- intake -----------------------------------------------------------------------------------


class IntakeForm(OfficeForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    unit_concerned = UnitChoiceField(
        label=_("Unit concerned"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label="—",
    )
    person_concerned = forms.CharField(label=_("Person concerned"), max_length=64, required=False)
    requester_name = forms.CharField(label=_("Requester's name"), max_length=64, required=False)
    requester_phone = forms.CharField(label=_("Requester's phone"), max_length=32, required=False)
    requester_email = forms.EmailField(label=_("Requester's e-mail"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous report"), required=False)
    consent_publish = forms.BooleanField(
        label=_("The requester consents to publication without personal data"), required=False
    )
    external_number = forms.CharField(
        label=_("Number in the referring system"), max_length=64, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX), at most 10 MB each."),
    )
    duplicate_checked = forms.BooleanField(
        label=_("I have looked at the similar requests; register this one anyway"),
        required=False,
    )
    urgent = forms.BooleanField(
        label=_("Urgent: someone's safety or health is at risk now (answered within hours)"),
        required=False,
    )
    # Set once the registrar has seen the urgency suggestion (cases/urgency.py).
    urgency_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(max)d files at a time.") % {"max": MAX_FILES})
        for file in files:
            if file.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    _("The file %(name)s is larger than %(max)d MB.")
                    % {"name": file.name, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                )
            if sniff_content_type(file) is None:
                raise forms.ValidationError(
                    _(
                        "The file %(name)s is not a PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX) "
                        "file."
                    )
                    % {"name": file.name}
                )
        return files


class RevealForm(OfficeForm):
    reason = forms.CharField(label=_("Why you need the requester's details"), max_length=200)
