"""One form per case action, for the office's case page. Forms parse; services decide.

Each form's ``arguments()`` turns its cleaned data into the keyword arguments of the action's
service (``cases.actions.ACTIONS[code].service``), the way the API's input bodies do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import CaseAssist, ReplyDraft, ReplyGrade, Satisfaction
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.errors import DomainError
from xiaoneng.org.labels import department_label, unit_label
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.fields import MultipleFileField, searchable

# The shared base form lives in the office shell until it moves to the web kit (issue #27);
# until then this import points up a layer.
from xiaoneng.web.forms import OfficeForm

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def department_choices(departments: list[Department]) -> list[tuple[Any, Any]]:
    """Departments grouped by unit (optgroups), from one list so several fields share a query.
    Each option names its unit too (org.labels), so a filtered list never shows a bare name."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for department in departments:
        groups.setdefault(unit_label(department.unit), []).append(
            (department.pk, department_label(department))
        )
    return list(groups.items())


class DepartmentChoiceMixin:
    """Turns department ids from a shared choice list back into Department objects."""

    departments: dict[int, Department]

    def _department(self, value: Any) -> Department | None:
        return self.departments.get(int(value)) if value not in (None, "") else None


def _text(label: Any, *, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ActionForm(OfficeForm):
    """A case action's form; ``case`` and ``user`` let a form offer the right choices."""

    # Forms whose choices are departments take ``departments=`` (one query per page for all).
    uses_departments = False

    def __init__(self, *args: Any, case: Any = None, user: User = None, **kwargs: Any) -> None:
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments (besides ``case`` and ``by``); call when valid.

        By default every field under its own name; a form whose fields differ says how.
        Raises ``DomainError`` for what only the office asks (e.g. no lead department chosen).
        """
        return {name: self.cleaned_data[name] for name in self.fields}


class AnswerForm(ActionForm):
    reply = _text(_("Answer"), rows=5)


class DispatchForm(DepartmentChoiceMixin, ActionForm):
    uses_departments = True

    lead = forms.TypedChoiceField(
        label=_("Lead department"), coerce=int, widget=searchable(forms.Select())
    )
    assisting = forms.TypedMultipleChoiceField(
        label=_("Assisting departments"),
        coerce=int,
        required=False,
        help_text=_("Optional. Hold Ctrl (or ⌘) to choose several."),
        widget=searchable(forms.SelectMultiple()),
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

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["lead_department"] is None:
            raise DomainError(gettext("Choose the lead department."))
        return {
            "lead": data["lead_department"],
            "assisting": data["assisting_departments"],
            "note": data["note"],
        }


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

    def arguments(self) -> dict[str, Any]:
        return {"handler": self.people[self.cleaned_data["handler"]]}


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

    def arguments(self) -> dict[str, Any]:
        # In the office a person speaks for their own department.
        staff = staff_for(self.user)
        if staff is None or staff.department is None:
            raise DomainError(gettext("Only the assisting department may give its opinion."))
        return {"department": staff.department, **super().arguments()}


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].required = False
        self.fields["lead"].label = _("New lead department (when accepting)")

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "accept": data["decision"] == "accept",
            "note": data["note"],
            "new_lead": data["lead_department"],
            "assisting": data["assisting_departments"],
        }


class RequestExtensionForm(ActionForm):
    # The case page offers "preview the new deadline" (cases/views/composer.py).
    previews = "extension"

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

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"approve": data["decision"] == "approve", "note": data["note"]}


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


MAX_REPLY = 5000


class ReplyForm(ActionForm):
    """The reply composer's form (cases/templates/cases/_composer.html): the text, resumed from
    the saved draft, the grade and the files sent with the reply."""

    template = "cases/_composer.html"

    text = forms.CharField(
        label=_("Reply"), max_length=MAX_REPLY, widget=forms.Textarea(attrs={"rows": 10})
    )
    grade = forms.ChoiceField(
        label=_("Resolution grade (deputy suggestions and CPPCC proposals)"),
        choices=[("", "—"), *ReplyGrade.choices],
        required=False,
    )
    files = MultipleFileField(
        label=_("Attachments sent with the reply"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX), at most 10 MB each."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draft = getattr(self.case, "reply_draft", None) if self.case is not None else None
        if isinstance(draft, ReplyDraft):
            self.fields["text"].initial = draft.text
            self.fields["grade"].initial = draft.grade


class RecallReplyForm(ActionForm):
    pass


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
        draft = getattr(self.case, "reply_draft", None)
        self.fields["text"].initial = draft.text if isinstance(draft, ReplyDraft) else ""

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "approve": data["decision"] == "approve",
            "note": data["note"],
            "text": data["text"],
        }


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

    def arguments(self) -> dict[str, Any]:
        # The office names the other case by its number, among the cases this person may see.
        number = self.cleaned_data["into"].strip()
        into = cases_visible_to(self.user).filter(number=number).first()
        if into is None:
            raise DomainError(gettext("There is no case with that number that you may see."))
        return {"into": into, "reason": self.cleaned_data["reason"]}
