"""Forms of the assessment pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.models import AssessmentSettings
from xiaoneng.assessment.selectors import Period
from xiaoneng.web.forms import OfficeForm


def default_period(today: date | None = None) -> Period:
    """The current month so far."""
    today = today or timezone.localdate()
    return Period(today.replace(day=1), today)


class PeriodForm(OfficeForm):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *units]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        if start and end and end - start > timedelta(days=3660):
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return data

    def period(self) -> Period:
        fallback = default_period()
        if not self.is_valid():
            return fallback
        start = self.cleaned_data.get("date_from") or fallback.start
        end = self.cleaned_data.get("date_to") or max(start, fallback.end)
        return Period(start, end)

    def unit_id(self) -> int | None:
        return self.cleaned_data.get("unit") if self.is_valid() else None


class BulletinForm(OfficeForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=120)
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class WeightsForm(forms.ModelForm):
    class Meta:
        model = AssessmentSettings
        fields = [
            "weight_response",
            "weight_resolution",
            "weight_satisfaction",
            "weight_evaluation",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the evaluation weight keeps its value (forms from before it existed).
        self.fields["weight_evaluation"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("weight_evaluation") is None:
            data["weight_evaluation"] = self.instance.weight_evaluation
        if data["weight_evaluation"] > 100:
            raise forms.ValidationError(_("The weight of the evaluation is a share of 100."))
        total = sum(data.get(name) or 0 for name in self.Meta.fields[:3])
        if total != 100:
            raise forms.ValidationError(_("The three weights must add up to 100."))
        return data
