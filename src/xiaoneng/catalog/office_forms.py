"""Forms of the office pages for guides and commitments.

Forms parse input only; the rules (limits, duplicates, phones, reasons) live in the services,
whose refusals the views attach to the field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xiaoneng.catalog.guides import GuideMaterial, ServiceItemVersion
from xiaoneng.org.models import Department, Unit
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm

# The words of the form cell and the last cell of a material's line: written in the reader's
# language, read in either (and as the stored codes, which older drafts and files use).
CONDITIONAL = _("where it applies")
LANGUAGES = ("zh-hans", "en")


def _words(text: object) -> set[str]:
    words = set()
    for language in LANGUAGES:
        with translation.override(language):
            words.add(str(text).strip().casefold())
    return words


def _form_words() -> dict[str, str]:
    found = {code: code for code in GuideMaterial.Form.values}
    for code, label in GuideMaterial.Form.choices:
        found.update(dict.fromkeys(_words(label), code))
    found.update({"原件和复印件": "both", "原件、复印件": "both", "original & copy": "both"})
    return found


def _conditional_words() -> set[str]:
    return _words(CONDITIONAL) | _words(_("only where it applies")) | {
        "conditional", "按需", "是", "yes", "y", "1", "true",
    }  # fmt: skip


def _cells(line: str, count: int) -> list[str]:
    cells = [cell.strip() for cell in line.split("|")]
    return cells + [""] * (count - len(cells))


def _line(cells: list[str]) -> str:
    """「户口簿 | 1 | 原件 | | 核验原件」: an empty part reads as "| |"."""
    return re.sub(r"\| {2}(?=\|)", "| ", " | ".join(cells)).rstrip(" |")


def materials_to_text(materials: list[GuideMaterial]) -> str:
    """One line per material, in the reader's language:
    name | copies | original, copy or original and copy | format | notes | where it applies."""
    forms_ = dict(GuideMaterial.Form.choices)
    return "\n".join(
        _line(
            [
                m.name,
                str(m.copies),
                str(forms_.get(m.form, m.form)),
                m.file_format,
                m.notes,
                str(CONDITIONAL) if m.conditional else "",
            ]
        )
        for m in materials
    )


def materials_from_text(text: str) -> list[dict[str, Any]]:
    words, conditional = _form_words(), _conditional_words()
    rows = []
    for line in text.splitlines():
        cells = _cells(line, 6)
        if not cells[0]:
            continue
        form = cells[2]
        rows.append(
            {
                "name": cells[0],
                "copies": cells[1] or 1,
                "form": words.get(form.casefold(), form) if form else "original",
                "file_format": cells[3],
                "notes": cells[4],
                "conditional": cells[5].casefold() in conditional,
            }
        )
    return rows


def materials_en_to_text(materials: list[GuideMaterial]) -> str:
    """The English of each material, one line per material in the same order:
    name | format | notes (an empty line: no English for that material)."""
    lines = [_line([m.name_en, m.file_format_en, m.notes_en]) for m in materials]
    return "\n".join(lines).rstrip("\n")


def materials_en_from_text(text: str) -> list[dict[str, str]]:
    lines = text.rstrip().splitlines()
    return [
        dict(zip(("name_en", "file_format_en", "notes_en"), _cells(line, 3)[:3], strict=True))
        for line in lines
    ]


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
    # The Chinese guide first, then what English pages read instead.
    field_order = [
        "name", "item_type", "legal_basis", "conditions", "process_steps", "statutory_limit",
        "committed_limit", "fees", "fee_basis", "window_address", "window_hours",
        "enquiry_phone", "supervision_phone", "online", "materials",
        "name_en", "legal_basis_en", "conditions_en", "process_steps_en", "fees_en",
        "fee_basis_en", "window_address_en", "window_hours_en", "materials_en",
    ]  # fmt: skip

    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    item_type = forms.ChoiceField(label=_("Type"), choices=ServiceItemVersion.ItemType.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    process_steps = forms.CharField(
        label=_("Process steps"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One step per line."),
    )
    # The English that English pages read (each optional: left empty, the Chinese shows).
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    legal_basis_en = forms.CharField(
        label=_("Legal basis in English"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conditions_en = forms.CharField(
        label=_("Conditions in English"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    process_steps_en = forms.CharField(
        label=_("Process steps in English"),
        widget=forms.Textarea(attrs={"rows": 5}),
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
    fees_en = forms.CharField(label=_("Fees in English"), required=False)
    fee_basis_en = forms.CharField(label=_("Basis of the fees in English"), required=False)
    window_address_en = forms.CharField(
        label=_("Window address in English"), max_length=300, required=False
    )
    window_hours_en = forms.CharField(
        label=_("Window hours in English"), max_length=300, required=False
    )
    online = forms.BooleanField(label=_("Can be applied for online"), required=False)
    materials = forms.CharField(
        label=_("Required materials"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One material per line, its parts separated by “|”: name | copies | original, copy "
            "or original and copy | format | notes | “where it applies” when only some "
            "applicants need it. For example: ID card of the applicant | 1 | original and copy "
            "| | the original is checked, a copy kept"
        ),
    )
    materials_en = forms.CharField(
        label=_("Required materials in English"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "One line for each material above, in the same order: name | format | notes. "
            "Leave a line empty where a material has no English."
        ),
    )

    def clean(self) -> dict[str, Any]:
        """Read the two material boxes into rows (``material_rows``): the English lines go to
        the materials in the same order."""
        data = super().clean()
        rows = materials_from_text(data.get("materials") or "")
        english = materials_en_from_text(data.get("materials_en") or "")
        if len(english) > len(rows):
            self.add_error(
                "materials_en",
                _(
                    "Required materials in English: %(lines)d lines for %(count)d materials; "
                    "write one line for each material, in the same order."
                )
                % {"lines": len(english), "count": len(rows)},
            )
        for row, extra in zip(rows, english, strict=False):
            row.update(extra)
        data["material_rows"] = rows
        return data


class CommitmentsForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    entries = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("One commitment per line."),
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    entries_en = forms.CharField(
        label=_("Commitments in English"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Optional. One line per commitment, in the same order; English pages show it."),
    )
