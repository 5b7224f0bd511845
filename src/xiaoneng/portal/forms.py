"""Forms of the public portal: they parse and limit input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Category, Kind, Satisfaction
from xiaoneng.cases.services.intake import MAX_CONTENT
from xiaoneng.org.models import Unit
from xiaoneng.privacy import PHONE_ENTRY
from xiaoneng.web.fields import MultipleFileField, MultipleFileInput
from xiaoneng.web.forms import HelpfulForm

PUBLIC_KINDS = [
    (Kind.COMPLAINT.value, _("Complaint (投诉)")),
    (Kind.INQUIRY.value, _("Inquiry (咨询)")),
    (Kind.SUGGESTION.value, _("Suggestion (建议)")),
    (Kind.REPORT.value, _("Report (举报)")),
]


# What the portal's file input offers to choose (the upload check decides what is kept).
PUBLIC_FILE_TYPES = "image/jpeg,image/png,image/webp,application/pdf"


class SubmitForm(HelpfulForm):
    kind = forms.ChoiceField(label=_("What kind of request"), choices=PUBLIC_KINDS)
    category = forms.ModelChoiceField(
        label=_("Topic"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    unit_concerned = forms.ModelChoiceField(
        label=_("School or office concerned"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=_("— not sure / none —"),
    )
    person_concerned = forms.CharField(
        label=_("Person concerned (optional)"), max_length=64, required=False
    )
    title = forms.CharField(label=_("Subject (optional)"), max_length=60, required=False)
    content = forms.CharField(
        label=_("What happened, and what you ask for"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    attachments = MultipleFileField(
        label=_("Pictures or PDF (optional, up to 3 files, 5 MB each)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PUBLIC_FILE_TYPES}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously (only for a report 举报)"), required=False
    )
    requester_name = forms.CharField(label=_("Your name"), max_length=32, required=False)
    requester_phone = forms.CharField(label=_("Your mobile phone"), max_length=20, required=False)
    requester_email = forms.EmailField(label=_("E-mail (optional)"), max_length=100, required=False)
    urgent = forms.BooleanField(
        label=_("Urgent: someone's safety or health is at risk now (answered within hours)"),
        required=False,
    )
    consent_publish = forms.BooleanField(
        label=_(
            "I agree that the result may be published on this site, without my name, phone or "
            "any other personal data."
        ),
        required=False,
    )
    # The honeypot: hidden from people by the style sheet, filled in only by robots.
    # The honeypot sits off-screen in an aria-hidden box: out of the tab order too, so that no
    # keyboard or screen-reader user can land in it (axe: aria-hidden-focus).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_requester_phone(self) -> str:
        phone = self.cleaned_data.get("requester_phone", "").strip()
        if phone and not PHONE_ENTRY.match(phone):
            raise forms.ValidationError(_("Please enter a valid phone number."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_anonymous"):
            if data.get("kind") != Kind.REPORT:
                self.add_error("is_anonymous", _("Only a report (举报) can be made anonymously."))
            return data
        if not data.get("requester_name", "").strip():
            self.add_error("requester_name", _("Please give your name, so we can reply."))
        if not data.get("requester_phone"):
            self.add_error("requester_phone", _("Please give your phone number, so we can reply."))
        return data


class TrackForm(HelpfulForm):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
    secret = forms.CharField(label=_("Secret"), max_length=20, required=False)
    phone_last4 = forms.CharField(
        label=_("Or: last four digits of your phone"), max_length=4, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("secret") and not data.get("phone_last4"):
            raise forms.ValidationError(
                _("Please enter the secret, or the last four digits of your phone.")
            )
        return data


class RateForm(HelpfulForm):
    satisfaction = forms.ChoiceField(
        label=_("Are you satisfied with the reply?"),
        choices=[
            (Satisfaction.SATISFIED.value, _("Satisfied")),
            (Satisfaction.BASICALLY.value, _("Basically satisfied")),
            (Satisfaction.UNSATISFIED.value, _("Unsatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    resolved = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("yes", _("Solved")), ("no", _("Not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
