"""Plain forms for the target pages; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.targets.models import Milestone, Target
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.user} · {obj.unit.short_label}"


class ListFilterForm(OfficeForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *Target.Source.choices], required=False
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    lagging = forms.BooleanField(label=_("Lagging only"), required=False)
    done = forms.BooleanField(label=_("Complete only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")

    def year_value(self) -> int:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or timezone.localdate().year


class TargetForm(OfficeForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Source"), choices=Target.Source.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForm(OfficeForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    leader = StaffChoice(
        label=_("Responsible leader"), queryset=Staff.objects.none(), required=False
    )
    person = StaffChoice(
        label=_("Responsible person"), queryset=Staff.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")
        self.fields["department"].queryset = Department.objects.filter(
            is_active=True
        ).select_related("unit")
        staff = Staff.objects.filter(user__is_active=True).select_related("user", "unit")
        self.fields["leader"].queryset = staff
        self.fields["person"].queryset = staff


class MilestoneForm(OfficeForm):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(OfficeForm):
    percent = forms.IntegerField(label=_("Progress (%)"))
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    milestone = forms.ModelChoiceField(
        label=_("Milestone reached (optional)"), queryset=Milestone.objects.none(), required=False
    )
    evidence = forms.FileField(label=_("Evidence file (optional)"), required=False)

    def __init__(self, *args: Any, task: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.filter(done_at__isnull=True)


class SignOffForm(OfficeForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Sign off")), ("return", _("Return"))]
    )
    note = forms.CharField(
        label=_("Note (required to return)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(OfficeForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Target list (.xlsx)"))
