"""Forms of the office: intake and one form per case action. Forms parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import (
    CaseAssist,
    Category,
    Channel,
    Kind,
    ReplyGrade,
    Satisfaction,
)
from xiaoneng.cases.services.attachments import MAX_ATTACHMENT_BYTES, sniff_content_type
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.forms import OfficeForm

MAX_FILES = 10


def department_choices(departments: list[Department]) -> list[tuple[Any, Any]]:
    """Departments grouped by unit (optgroups), from one list so several fields share a query."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for department in departments:
        unit = department.unit
        groups.setdefault(unit.short_name or unit.name, []).append((department.pk, department.name))
    return list(groups.items())


def active_departments() -> list[Department]:
    return list(
        Department.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "id")
    )


class DepartmentChoiceMixin:
    """Turns department ids from a shared choice list back into Department objects."""

    departments: dict[int, Department]

    def _department(self, value: Any) -> Department | None:
        return self.departments.get(int(value)) if value not in (None, "") else None


# -- intake -----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IntakeForm(OfficeForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    unit_concerned = forms.ModelChoiceField(
        label=_("Unit concerned"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label="—",
    )
    person_concerned = forms.CharField(label=_("Person concerned"), max_length=64, required=False)
    requester_name = forms.CharField(label=_("Requester's name"), max_length=64, required=False)
    requester_phone = forms.CharField(label=_("Requester's phone"), max_length=32, required=False)
    requester_email = forms.EmailField(label=_("Requester's e-mail"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous report"), required=False)
    consent_publish = forms.BooleanField(
        label=_("The requester consents to publication without personal data"), required=False
    )
    external_number = forms.CharField(
        label=_("Number in the referring system"), max_length=64, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX), at most 10 MB each."),
    )
    duplicate_checked = forms.BooleanField(
        label=_("I have looked at the similar requests; register this one anyway"),
        required=False,
    )

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(max)d files at a time.") % {"max": MAX_FILES})
        for file in files:
            if file.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    _("The file %(name)s is larger than %(max)d MB.")
                    % {"name": file.name, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                )
            if sniff_content_type(file) is None:
                raise forms.ValidationError(
                    _(
                        "The file %(name)s is not a PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX) "
                        "file."
                    )
                    % {"name": file.name}
                )
        return files


# -- case actions -----------------------------------------------------------------------------


def _text(label: Any, *, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ActionForm(OfficeForm):
    """A case action's form; ``case`` and ``user`` let a form offer the right choices."""

    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any) -> None:
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


class AnswerForm(ActionForm):
    reply = _text(_("Answer"), rows=5)


class DispatchForm(DepartmentChoiceMixin, ActionForm):
    lead = forms.TypedChoiceField(label=_("Lead department"), coerce=int)
    assisting = forms.TypedMultipleChoiceField(
        label=_("Assisting departments"),
        coerce=int,
        required=False,
        help_text=_("Optional. Hold Ctrl (or ⌘) to choose several."),
    )
    note = _text(_("Note"), rows=2, required=False)

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = {department.pk: department for department in departments}
        choices = department_choices(departments)
        self.fields["lead"].choices = [("", "—"), *choices]
        self.fields["assisting"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["lead_department"] = self._department(data.get("lead"))
        data["assisting_departments"] = [
            self.departments[pk]
            for pk in data.get("assisting") or []
            if pk in self.departments and pk != data.get("lead")
        ]
        return data


class SignForm(ActionForm):
    pass


class AcceptForm(ActionForm):
    pass


class AssignForm(ActionForm):
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = list(
            Staff.objects.filter(department_id=self.case.lead_department_id)
            .select_related("user")
            .order_by("id")
        )
        self.people = {person.pk: person for person in people}
        self.fields["handler"].choices = [(p.pk, str(p.user)) for p in people]
        if self.case.handler_id:
            self.fields["handler"].initial = self.case.handler_id


class AssistOpinionForm(ActionForm):
    opinion = forms.ChoiceField(
        label=_("Opinion"),
        widget=forms.RadioSelect,
        choices=[
            (CaseAssist.Opinion.AGREE, CaseAssist.Opinion.AGREE.label),
            (CaseAssist.Opinion.DISAGREE, CaseAssist.Opinion.DISAGREE.label),
            (CaseAssist.Opinion.REFER_UP, CaseAssist.Opinion.REFER_UP.label),
        ],
    )
    reason = _text(_("Reasons"), required=False)


class RequestReturnForm(ActionForm):
    reason = _text(_("Reason"))
    basis = _text(_("Basis: why this is not our remit"))


class DecideReturnForm(DispatchForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", _("Accept the return and send the case to another department")),
            ("reject", _("Reject the return: the department handles the case")),
        ],
    )
    field_order = ["decision", "lead", "assisting", "note"]
    # Said before the form is sent, not discovered afterwards (docs/cases.md).
    warning = _(
        "Rejecting the return records a buck-passing (推诿扯皮) violation against the department "
        "and the person who asked for it. The violation starts pending review by the efficiency "
        "office, like every automatic violation, and can be dismissed there."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].required = False
        self.fields["lead"].label = _("New lead department (when accepting)")


class RequestExtensionForm(ActionForm):
    extra_units = forms.IntegerField(
        label=_("Extra time (in the policy's unit)"), min_value=1, max_value=365
    )
    reason = _text(_("Reason"))
    basis = _text(_("Basis"))


class DecideForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    note = _text(_("Note"), rows=2, required=False)


class SuspendForm(ActionForm):
    reason = _text(_("Reason"))
    for_supplement = forms.BooleanField(
        label=_("Waiting for materials after a one-time notice"), required=False
    )


class NoteForm(ActionForm):
    note = _text(_("Note"), rows=2, required=False)


class RequiredNoteForm(ActionForm):
    note = _text(_("What must be done again"))


class ReasonForm(ActionForm):
    reason = _text(_("Reason"))


class ReplyForm(ActionForm):
    text = _text(_("Reply"), rows=6)
    grade = forms.ChoiceField(
        label=_("Resolution grade (deputy suggestions and CPPCC proposals)"),
        choices=[("", "—"), *ReplyGrade.choices],
        required=False,
    )


class ReviewReplyForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve and send")), ("return", _("Send back to the handler"))],
    )
    text = _text(_("Reply (you may correct it before approving)"), rows=6, required=False)
    note = _text(_("What must change (when sending back)"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.case.reply_text


class RateForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction given on the callback"),
        widget=forms.RadioSelect,
        choices=[
            (Satisfaction.SATISFIED, Satisfaction.SATISFIED.label),
            (Satisfaction.BASICALLY, Satisfaction.BASICALLY.label),
            (Satisfaction.UNSATISFIED, Satisfaction.UNSATISFIED.label),
        ],
    )
    resolved = forms.TypedChoiceField(
        label=_("Resolved?"),
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Resolved")), ("no", _("Not resolved"))],
    )
    comment = _text(_("Comment"), rows=2, required=False)


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Number of the case to merge into"), max_length=20)
    reason = _text(_("Reason"), rows=2, required=False)


# action code -> form class
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": AcceptForm,
    "answer_directly": AnswerForm,
    "dispatch": DispatchForm,
    "sign_for": SignForm,
    "assign_handler": AssignForm,
    "assist_opinion": AssistOpinionForm,
    "request_return": RequestReturnForm,
    "decide_return": DecideReturnForm,
    "request_extension": RequestExtensionForm,
    "decide_extension": DecideForm,
    "suspend": SuspendForm,
    "resume": NoteForm,
    "reply": ReplyForm,
    "review_reply": ReviewReplyForm,
    "rate": RateForm,
    "reopen": RequiredNoteForm,
    "close": NoteForm,
    "withdraw": ReasonForm,
    "invalidate": ReasonForm,
    "merge": MergeForm,
}
# Forms whose choices are departments (they share one query per page).
DEPARTMENT_FORMS = {"dispatch", "decide_return"}


class RevealForm(OfficeForm):
    reason = forms.CharField(label=_("Why you need the requester's details"), max_length=200)
