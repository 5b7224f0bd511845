"""Plain Django forms for the supervision pages; rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Satisfaction
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.supervision.models import Callback, Finding, Inspection, Order
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.user} · {obj.department.label if obj.department else ''}"


class StaffMultiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.user} · {obj.department.label if obj.department else ''}"


class OrderForm(OfficeForm):
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=Order.Kind.choices)
    title = forms.CharField(label=_("Matter"), max_length=200)
    description = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 4}))
    case_number = forms.CharField(
        label=_("Case number"), max_length=20, required=False, help_text=_("For a case only.")
    )
    department = DepartmentChoiceField(
        label=_("Responsible department"), queryset=Department.objects.none()
    )
    person = StaffChoice(
        label=_("Responsible person"), queryset=Staff.objects.none(), required=False
    )
    due_working_days = forms.IntegerField(
        label=_("Deadline in working days"), min_value=1, max_value=250, required=False
    )
    due_date = forms.DateField(
        label=_("or due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.filter(is_active=True, unit__is_active=True)
            .select_related("unit")
            .order_by("unit__sort_order", "unit_id", "sort_order", "id")
        )
        self.fields["person"].queryset = Staff.objects.select_related(
            "user", "department"
        ).order_by("unit_id", "department_id", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("due_working_days") is None and data.get("due_date") is None:
            raise forms.ValidationError(_("Give the deadline either in working days or as a date."))
        return data


class FeedbackForm(OfficeForm):
    text = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label=_("Attachment (optional)"), required=False)


class DecisionForm(OfficeForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))]
    )
    note = forms.CharField(
        label=_("Note or reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RemindForm(OfficeForm):
    note = forms.CharField(label=_("Reminder note"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(OfficeForm):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def default_period() -> dict[str, Any]:
    today = timezone.localdate()
    return {"start": today.replace(day=1), "end": today}


class CallbackForm(OfficeForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Callback.Outcome.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", "—")]
        + [
            (value, label) for value, label in Satisfaction.choices if value != Satisfaction.UNRATED
        ],
    )
    resolved = forms.TypedChoiceField(
        label=_("Resolved"),
        required=False,
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevealForm(OfficeForm):
    reason = forms.CharField(max_length=200)


class PolicyForm(OfficeForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.filter(is_active=True))
    sample_percent = forms.IntegerField(label=_("Sample (%)"), min_value=0, max_value=100)


class InspectionForm(OfficeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    unit = UnitChoiceField(label=_("Unit visited"), queryset=Unit.objects.none())
    inspectors = StaffMultiChoice(label=_("Inspectors"), queryset=Staff.objects.none())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["inspectors"].queryset = Staff.objects.filter(
            unit__parent__isnull=True
        ).select_related("user", "department")


class FindingForm(OfficeForm):
    type = forms.ChoiceField(label=_("Type"), choices=Finding.Type.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    staff = StaffChoice(label=_("Staff member"), queryset=Staff.objects.none(), required=False)
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(
            unit_id=inspection.unit_id
        ).select_related("user", "department")
        self.fields["department"].queryset = Department.objects.filter(unit_id=inspection.unit_id)


class EvidenceForm(OfficeForm):
    file = forms.FileField(label=_("Evidence file"))
    finding = forms.ModelChoiceField(
        label=_("Finding"), queryset=Finding.objects.none(), required=False
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.findings.all()
