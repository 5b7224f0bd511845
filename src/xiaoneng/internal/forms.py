"""Forms of the internal-matter pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.internal.models import Matter
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.web.fields import DepartmentChoiceField, DepartmentMultipleChoiceField
from xiaoneng.web.forms import OfficeForm


def bureau_departments() -> Any:
    return Department.objects.filter(
        unit__kind=Unit.Kind.BUREAU, unit__parent=None, is_active=True
    ).order_by("sort_order", "pk")


def leaders() -> Any:
    return (
        Staff.objects.filter(user__groups__name=Role.LEADER, user__is_active=True)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)  # the full name, else the username


class RegisterForm(OfficeForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Matter.Kind.INSTRUCTION.value, Matter.Kind.INSTRUCTION.label),
            (Matter.Kind.MEETING.value, Matter.Kind.MEETING.label),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Summary of the document"), widget=forms.Textarea, required=False
    )
    leader = StaffChoice(label=_("Leader"), queryset=Staff.objects.none(), required=False)
    instruction = forms.CharField(
        label=_("Leader's instruction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    instructed_on = forms.DateField(
        label=_("Instructed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_ref = forms.CharField(label=_("Minutes reference"), max_length=100, required=False)
    limit_workdays = forms.IntegerField(
        label=_("Time limit set by the leader (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Empty: the published limit of the kind."),
    )
    attachment = forms.FileField(label=_("Document"), required=False)
    lead_department = DepartmentChoiceField(
        label=_("Lead department"), queryset=Department.objects.none(), required=False
    )
    assisting = DepartmentMultipleChoiceField(
        label=_("Assisting departments"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = bureau_departments()
        self.fields["lead_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["assisting"].queryset = departments  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders()  # type: ignore[attr-defined]


class AskForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("What you ask for"), widget=forms.Textarea)
    department = DepartmentChoiceField(
        label=_("Department in charge"), queryset=Department.objects.none(), required=False
    )
    to_leaders = forms.BooleanField(
        label=_("Ask the bureau's leaders (through 办公室)"), required=False
    )
    leader = StaffChoice(label=_("Leader in charge"), queryset=Staff.objects.none(), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = bureau_departments()  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders()  # type: ignore[attr-defined]


class RouteForm(OfficeForm):
    lead_department = DepartmentChoiceField(
        label=_("Lead department"), queryset=Department.objects.none()
    )
    assisting = DepartmentMultipleChoiceField(
        label=_("Assisting departments"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = bureau_departments()
        self.fields["lead_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["assisting"].queryset = departments  # type: ignore[attr-defined]


class RerouteRequestForm(OfficeForm):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    suggested = DepartmentChoiceField(
        label=_("Department suggested"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested"].queryset = bureau_departments()  # type: ignore[attr-defined]


class RerouteDecideForm(OfficeForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Refuse: the department keeps it")), ("1", _("Route it elsewhere"))],
        coerce=lambda value: value == "1",
    )
    new_lead = DepartmentChoiceField(
        label=_("New lead department"), queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].queryset = bureau_departments()  # type: ignore[attr-defined]


class TextForm(OfficeForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class SignOffForm(OfficeForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Sign off")), ("0", _("Return for redrafting"))],
        coerce=lambda value: value == "1",
    )
    to_leader = forms.BooleanField(label=_("Needs the leader's sign-off"), required=False)
    note = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtensionForm(OfficeForm):
    units = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(OfficeForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Grant")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False)


class SuperviseForm(OfficeForm):
    requirement = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 2}))
    due_working_days = forms.IntegerField(
        label=_("Feedback within (working days)"), min_value=1, max_value=30, initial=3
    )


class ListFilterForm(OfficeForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *Matter.Kind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *Matter.State.choices], required=False
    )
    department = DepartmentChoiceField(
        label=_("Lead department"), queryset=Department.objects.none(), required=False
    )
    open = forms.BooleanField(label=_("Open only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = bureau_departments()  # type: ignore[attr-defined]
