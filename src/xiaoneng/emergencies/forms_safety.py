"""Plain forms for the roster, plan and drill pages; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoneng.emergencies.models_safety import DrillRequirement, DrillType, EmergencyPlan, PlanType
from xiaoneng.emergencies.services.rosters import FILL_ALL, FILL_DAYS_OFF
from xiaoneng.org.models import Staff, Unit
from xiaoneng.web.fields import UnitChoiceField
from xiaoneng.web.forms import OfficeForm

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        staff: Staff = obj
        return f"{staff.name}（{staff.title}）" if staff.title else staff.name


class StaffChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return StaffChoice.label_from_instance(self, obj)  # type: ignore[arg-type]


class RosterUnitForm(forms.Form):
    """The unit whose roster is shown (a bureau-wide reader's choice), in the web kit's
    searchable picker."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["id"] = "roster-unit"


class RosterFillForm(OfficeForm):
    """Fill a week or a holiday period at once: each shift goes round the people chosen."""

    start = forms.DateField(label=_("From"), widget=DAY)
    end = forms.DateField(label=_("To"), widget=DAY)
    days = forms.ChoiceField(
        label=_("Which days"),
        choices=[
            (FILL_ALL, _("Every day")),
            (FILL_DAYS_OFF, _("Days off only (weekends and holidays; 调休 working days excluded)")),
        ],
        initial=FILL_DAYS_OFF,
        widget=forms.RadioSelect,
    )
    day_people = StaffChoices(
        label=_("Day shifts (08:00–20:00), taken in turn"),
        queryset=Staff.objects.none(),
        required=False,
    )
    night_people = StaffChoices(
        label=_("Night shifts (20:00–08:00), taken in turn"),
        queryset=Staff.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, people: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day_people"].queryset = people  # type: ignore[attr-defined]
        self.fields["night_people"].queryset = people  # type: ignore[attr-defined]


class SwapForm(OfficeForm):
    to_staff = StaffChoice(label=_("Colleague taking the shift"), queryset=Staff.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, people: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = people  # type: ignore[attr-defined]


class PlanForm(OfficeForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=PlanType.choices)
    version = forms.CharField(label=_("Version"), max_length=20)
    approved_on = forms.DateField(label=_("Approved on"), widget=DAY)
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=100,
        help_text=_("e.g. the principal's meeting (校长办公会) or the person who signed it"),
    )
    document = forms.FileField(label=_("Approved document (PDF or Word)"))


class DrillForm(OfficeForm):
    held_on = forms.DateField(label=_("Held on"), widget=DAY)
    type = forms.ChoiceField(label=_("Type"), choices=DrillType.choices)
    participants = forms.IntegerField(label=_("Participants"), min_value=1)
    evaluation = forms.CharField(label=_("Evaluation"), widget=TEXT)
    plan = forms.ModelChoiceField(
        label=_("Plan drilled (optional)"), queryset=EmergencyPlan.objects.none(), required=False
    )

    def __init__(self, *args: Any, plans: QuerySet[EmergencyPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class RequirementForm(OfficeForm):
    type = forms.ChoiceField(label=_("Drill type"), choices=DrillType.choices)
    per = forms.ChoiceField(label=_("Per"), choices=DrillRequirement.Per.choices)
    minimum = forms.IntegerField(label=_("At least"), min_value=1, max_value=20, initial=2)
