"""Plain Django forms for the campaign and study pages; rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.models import PartyGroup, Requirement, StudySession
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField, UnitMultipleChoiceField
from xiaoneng.web.forms import OfficeForm


class StaffMultiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.user} · {obj.department.label if obj.department else ''}"


def _departments() -> Any:
    return (
        Department.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "id")
    )


DATE = {"type": "date"}
DEFAULT_COUNTS = {
    Requirement.Kind.NOTES: 2,
    Requirement.Kind.REFLECTION: 1,
    Requirement.Kind.PROPOSAL: 0,
}
DEFAULT_LENGTHS = {
    Requirement.Kind.NOTES: 300,
    Requirement.Kind.REFLECTION: 800,
    Requirement.Kind.PROPOSAL: 0,
}


class CampaignForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs=DATE))
    organiser = DepartmentChoiceField(
        label=_("Organising office"), queryset=Department.objects.none()
    )
    units = UnitMultipleChoiceField(
        label=_("Participating units"), queryset=Unit.objects.none(), required=False
    )
    party_groups = forms.ModelMultipleChoiceField(
        label=_("Participating party groups"), queryset=PartyGroup.objects.none(), required=False
    )
    remind_days = forms.IntegerField(
        label=_("Remind this many working days before a deadline"),
        min_value=0,
        max_value=30,
        initial=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = _departments()
        self.fields["units"].queryset = Unit.objects.filter(is_active=True)
        self.fields["party_groups"].queryset = PartyGroup.objects.select_related("unit")
        for kind, label in Requirement.Kind.choices:
            self.fields[f"{kind}_count"] = forms.IntegerField(
                label=_("%(kind)s: minimum per person (0 = optional)") % {"kind": label},
                min_value=0,
                max_value=20,
                initial=DEFAULT_COUNTS[kind],
            )
            self.fields[f"{kind}_length"] = forms.IntegerField(
                label=_("%(kind)s: minimum length in characters") % {"kind": label},
                min_value=0,
                max_value=20000,
                initial=DEFAULT_LENGTHS[kind],
            )
            self.fields[f"{kind}_deadline"] = forms.DateField(
                label=_("%(kind)s: deadline") % {"kind": label},
                widget=forms.DateInput(attrs=DATE),
            )

    def requirement_specs(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "min_count": data[f"{kind}_count"],
                "min_length": data[f"{kind}_length"],
                "deadline": data[f"{kind}_deadline"],
            }
            for kind in Requirement.Kind.values
        ]


class PartyGroupForm(OfficeForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    members = StaffMultiChoice(label=_("Members"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["members"].queryset = Staff.objects.filter(user__is_active=True).select_related(
            "user", "department"
        )


class SubmissionForm(OfficeForm):
    requirement = forms.ModelChoiceField(
        label=_("Kind of submission"), queryset=Requirement.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("Attached file (optional)"), required=False)

    def __init__(self, *args: Any, campaign: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["requirement"].queryset = campaign.requirements.order_by("kind")
        self.fields["requirement"].label_from_instance = lambda r: r.get_kind_display()


class ResubmitForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("Attached file (optional)"), required=False)


class ReviewForm(OfficeForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Approve")), ("return", _("Return for rework"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for return"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(OfficeForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    topic = forms.CharField(label=_("Study topic"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=StudySession.Category.choices)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, min_value=0)
    department = DepartmentChoiceField(
        label=_("Organising department"), queryset=Department.objects.none()
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            departments if departments is not None else _departments()
        )
        self.initial.setdefault("date", timezone.localdate())


class AttendanceForm(OfficeForm):
    staff = StaffMultiChoice(
        label=_("Attended"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["staff"].queryset = people


class YearForm(OfficeForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
