"""Forms of the evaluation pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.evaluation.models import Question, QuestionKind, QuestionnaireVersion, TypicalCase
from xiaoneng.org.models import Department, Unit
from xiaoneng.web.fields import DepartmentMultipleChoiceField, UnitMultipleChoiceField
from xiaoneng.web.forms import HelpfulForm, OfficeForm


class RoundForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    version = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=QuestionnaireVersion.objects.select_related("questionnaire"),
    )
    period_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    departments = DepartmentMultipleChoiceField(
        label=_("Departments evaluated"),
        queryset=Department.objects.filter(unit__kind=Unit.Kind.BUREAU, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schools = UnitMultipleChoiceField(
        label=_("Schools evaluated"),
        queryset=Unit.objects.filter(kind=Unit.Kind.SCHOOL, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    named_panels = forms.CharField(
        label=_("Named panels (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sample_size = forms.IntegerField(label=_("Service recipients asked per unit"), initial=10)
    min_answers = forms.IntegerField(label=_("Fewest answers for a result"), initial=5)
    link_days = forms.IntegerField(label=_("Days an invitation link stays valid"), initial=14)
    public_open = forms.BooleanField(
        label=_("Open to the public on the portal"), required=False, initial=True
    )

    def panel_names(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["named_panels"].splitlines() if line.strip()
        ]


class PanelInviteForm(OfficeForm):
    phones = forms.CharField(
        label=_("Mobile numbers of the panel (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["phones"].splitlines() if line.strip()]


class QuestionForm(OfficeForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_zh = forms.CharField(label=_("Text (Chinese)"), max_length=300)
    text_en = forms.CharField(label=_("Text (English)"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Options or scale labels, one per line: Chinese | English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    show_if_question = forms.ModelChoiceField(
        label=_("Asked only after the question"),
        queryset=Question.objects.exclude(kind=QuestionKind.TEXT),
        required=False,
    )
    show_if_values = forms.CharField(
        label=_("…answered with (values, comma-separated)"), required=False, max_length=100
    )

    def option_list(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["options"].splitlines():
            zh, _bar, en = line.partition("|")
            if zh.strip():
                rows.append({"zh": zh.strip(), "en": en.strip()})
        return rows

    def value_list(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["show_if_values"].split(",") if v.strip()]


class QuestionnaireForm(OfficeForm):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions, in the order of the bank"),
        queryset=Question.objects.order_by("id"),
        widget=forms.CheckboxSelectMultiple,
    )


class TypicalForm(OfficeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=TypicalCase.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    handling = forms.CharField(label=_("Handling"), widget=forms.Textarea(attrs={"rows": 3}))
    lesson = forms.CharField(label=_("Lesson"), widget=forms.Textarea(attrs={"rows": 3}))
    name_unit = forms.BooleanField(
        label=_("Name the unit (only where the decision says so)"), required=False
    )


class WithdrawForm(OfficeForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PhoneForm(HelpfulForm):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class CodeForm(HelpfulForm):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(label=_("Code received by SMS"), max_length=6)


def submitted_answers(data: Any) -> dict[str, list[str]]:
    """The questionnaire's answers from a POST (each key with all its values)."""
    return {key[2:]: data.getlist(key) for key in data if key.startswith("q-")}
