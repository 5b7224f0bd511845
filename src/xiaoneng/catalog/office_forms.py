"""Forms of the office pages for guides and commitments.

Forms parse input only; the rules (limits, duplicates, phones, reasons) live in the services,
whose refusals the views attach to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.catalog.guides import GuideMaterial, ServiceItemVersion
from xiaoneng.org.models import Department, Unit
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm

_FORMS = {
    "original": "original",
    "原件": "original",
    "copy": "copy",
    "复印件": "copy",
    "both": "both",
    "原件及复印件": "both",
    "原件和复印件": "both",
}
_YES = {"1", "yes", "true", "y", "是", "按需", "conditional"}


def materials_to_text(materials: list[GuideMaterial]) -> str:
    """One line per material: name | copies | form | format | notes | conditional."""
    return "\n".join(
        " | ".join(
            [
                m.name,
                str(m.copies),
                m.form,
                m.file_format,
                m.notes,
                "conditional" if m.conditional else "",
            ]
        ).rstrip(" |")
        for m in materials
    )


def materials_from_text(text: str) -> list[dict[str, Any]]:
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if not cells[0]:
            continue
        cells += [""] * (6 - len(cells))
        rows.append(
            {
                "name": cells[0],
                "copies": cells[1] or 1,
                "form": _FORMS.get(cells[2], cells[2] or "original"),
                "file_format": cells[3],
                "notes": cells[4],
                "conditional": cells[5].lower() in _YES,
            }
        )
    return rows


class ServiceItemForm(OfficeForm):
    code = forms.SlugField(label=_("Code"), max_length=48)
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.all())
    department = DepartmentChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.all(),
        required=False,
    )
    category_code = forms.SlugField(label=_("Case category code"), initial="other")


class GuideForm(OfficeForm):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    item_type = forms.ChoiceField(label=_("Type"), choices=ServiceItemVersion.ItemType.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea, required=False)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea, required=False)
    process_steps = forms.CharField(
        label=_("Process steps"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One step per line."),
    )
    statutory_limit = forms.IntegerField(label=_("Statutory limit (working days)"), min_value=0)
    committed_limit = forms.IntegerField(label=_("Committed limit (working days)"), min_value=0)
    fees = forms.CharField(label=_("Fees"), required=False)
    fee_basis = forms.CharField(label=_("Basis of the fees"), required=False)
    window_address = forms.CharField(label=_("Window address"), required=False)
    window_hours = forms.CharField(label=_("Window hours"), required=False)
    enquiry_phone = forms.CharField(label=_("Enquiry phone"), max_length=32, required=False)
    supervision_phone = forms.CharField(label=_("Supervision phone"), max_length=32, required=False)
    online = forms.BooleanField(label=_("Can be applied for online"), required=False)
    materials = forms.CharField(
        label=_("Required materials"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One per line: name | copies | original, copy or both | format | notes | conditional"
        ),
    )


class CommitmentsForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    entries = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("One commitment per line."),
    )
