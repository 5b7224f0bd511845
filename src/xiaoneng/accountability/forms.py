"""Plain Django forms of the accountability pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import Appeal, Sanction, Violation, ViolationPerson
from xiaoneng.cases.models import Signal
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.fields import DepartmentChoiceField, UnitChoiceField
from xiaoneng.web.forms import OfficeForm


def staff_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Staff.objects.select_related("user").order_by("unit", "department", "id"),
        required=False,
    )


class ViolationFilterForm(OfficeForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Violation.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *Violation.Kind.choices], required=False
    )
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", "—"), *Violation.Grade.choices], required=False
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)


class ViolationReviewForm(OfficeForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm")), ("dismiss", _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", "—"), *Violation.Grade.choices], required=False
    )
    handler = staff_choices()
    reviewer = staff_choices()
    approver = staff_choices()
    note = forms.CharField(
        label=_("Note (required to dismiss)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].label = ViolationPerson.Part.HANDLER.label
        self.fields["reviewer"].label = ViolationPerson.Part.REVIEWER.label
        self.fields["approver"].label = ViolationPerson.Part.APPROVER.label

    def persons(self) -> list[tuple[Staff, str]]:
        return [
            (self.cleaned_data[part], part)
            for part in ("handler", "reviewer", "approver")
            if self.cleaned_data.get(part) is not None
        ]


class EvidenceForm(OfficeForm):
    signal = forms.ModelChoiceField(label=_("Card"), queryset=None, required=False)
    inspection_ref = forms.CharField(label=_("Inspection finding"), max_length=64, required=False)
    file = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args: object, violation: Violation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signal"].queryset = Signal.objects.filter(case_id=violation.case_id)


class SanctionForm(OfficeForm):
    staff = forms.ModelChoiceField(label=_("Person"), queryset=None)
    measure = forms.ChoiceField(label=_("Measure"), choices=Sanction.Measure.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    aggravating = forms.CharField(
        label=_("Aggravating circumstances"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    mitigating = forms.CharField(
        label=_("Mitigating circumstances"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: object, violation: Violation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        ids = {violation.staff_id, *violation.parts.values_list("staff_id", flat=True)}
        self.fields["staff"].queryset = Staff.objects.filter(pk__in=ids).select_related("user")


class AppealForm(OfficeForm):
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecideForm(OfficeForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Appeal.Status.REVOKED, Appeal.Status.REVOKED.label),
            (Appeal.Status.SENT_BACK, Appeal.Status.SENT_BACK.label),
            (Appeal.Status.ESCALATED, Appeal.Status.ESCALATED.label),
            (Appeal.Status.UPHELD, Appeal.Status.UPHELD.label),
        ],
    )
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ConductIntakeForm(OfficeForm):
    complainant_name = forms.CharField(label=_("Complainant"), max_length=64, required=False)
    complainant_phone = forms.CharField(
        label=_("Complainant's phone"), max_length=32, required=False
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    unit = UnitChoiceField(label=_("Unit complained about"), queryset=Unit.objects.all())
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
    )
    staff = staff_choices()
    person_name = forms.CharField(label=_("Person named"), max_length=64, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].label = _("Person complained about")


class ConvertForm(OfficeForm):
    staff = staff_choices()
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].label = _("Person complained about")


class AcceptForm(OfficeForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Do not accept"))],
        widget=forms.RadioSelect,
    )
    investigator = forms.ModelChoiceField(
        label=_("Investigator"),
        queryset=Staff.objects.filter(user__groups__name="inspector").select_related("user"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtendForm(OfficeForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(OfficeForm):
    substantiated = forms.ChoiceField(
        label=_("Finding"),
        choices=[("yes", _("Substantiated")), ("no", _("Not substantiated"))],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(label=_("Finding text"), widget=forms.Textarea(attrs={"rows": 4}))
