"""Forms of the office pages for applications and denial filings.

Forms parse input only; the rules (materials, reasons, limits) live in the services, whose
refusals the views attach to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.catalog.guides import ServiceItemVersion
from xiaoneng.web.forms import OfficeForm


class ApplicationForm(OfficeForm):
    requester_name = forms.CharField(label=_("Applicant"), max_length=64)
    requester_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    requester_id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    content = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    provided = forms.TypedMultipleChoiceField(
        label=_("Materials provided"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_applicable = forms.TypedMultipleChoiceField(
        label=_("Does not apply"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, version: ServiceItemVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        materials = list(version.materials.order_by("position", "id"))
        self.fields["provided"].choices = [(m.pk, m.describe_label()) for m in materials]
        self.fields["not_applicable"].choices = [
            (m.pk, m.label) for m in materials if m.conditional
        ]


class RefusalForm(OfficeForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)
    basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea, required=False)
    head_opinion = forms.CharField(label=_("Head's opinion"), required=False)


class SecondNoticeForm(OfficeForm):
    items = forms.TypedMultipleChoiceField(
        label=_("Materials to ask for"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, version: ServiceItemVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (m.pk, m.label) for m in version.materials.order_by("position", "id")
        ]


class ExtensionForm(OfficeForm):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=10)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class FilingReviewForm(OfficeForm):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold the refusal")), ("0", _("Overturn it"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea, required=False)
