"""Request and response bodies of the API, as they appear in the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator

from xiaoneng.api.errors import ApiError
from xiaoneng.api.selectors import cases_for
from xiaoneng.cases.models import CaseAssist, Channel, Kind, ReplyGrade, Satisfaction
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department, Post, Staff

Text = Field("", max_length=5000)
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def aware(value: datetime) -> datetime:
    """Naive times are office time (Asia/Shanghai); years outside 1970–2100 are refused."""
    if not 1970 <= value.year <= 2100:
        raise ValueError("year must be between 1970 and 2100")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def recent(value: datetime) -> datetime:
    now = timezone.now()
    if value > now + timedelta(minutes=5):
        raise ValueError("must not be in the future")
    if value < now - timedelta(days=366):
        raise ValueError("must be within the last year")
    return value


Moment = Annotated[datetime, AfterValidator(aware)]
RecentMoment = Annotated[datetime, AfterValidator(aware), AfterValidator(recent)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class In(Schema):
    """Input bodies: unknown fields are ignored, NUL characters refused (PostgreSQL stores none)."""

    @model_validator(mode="after")
    def _no_nul(self) -> In:
        if _has_nul(self.model_dump()):
            raise ValueError("text must not contain NUL characters")
        return self


class Error(Schema):
    code: str = Field(..., description="Machine-readable code, e.g. illegal_transition")
    message: str = Field(..., description="In the language of the request")
    message_zh: str
    message_en: str
    fields: dict[str, str] = Field(default_factory=dict, description="Problem per input field")


class CaseCreate(In):
    channel: Channel = Channel.API
    kind: Kind
    category: str = Field(..., max_length=32, description="Category code (GET /categories)")
    content: str = Field(..., min_length=1, max_length=5000)
    title: str = Field("", max_length=120)
    unit: Id | None = Field(None, description="Unit that receives the case (GET /units)")
    unit_concerned: Id | None = None
    person_concerned: str = Field("", max_length=64)
    requester_name: str = Field("", max_length=64)
    requester_phone: str = Field("", max_length=32)
    requester_email: str = Field("", max_length=254)
    requester_id_number: str = Field("", max_length=32)
    is_anonymous: bool = False
    consent_publish: bool = False
    urgent: bool | None = Field(
        None,
        description=(
            "true: urgent (hour-level limits, the post alerted until acknowledged); false: not "
            "urgent; absent: suggested from the category and the words, for review"
        ),
    )
    external_number: str = Field(
        "", max_length=64, description="The referring system's number: a repeat is not a new case"
    )
    registered_at: RecentMoment | None = Field(None, description="When the matter was received")


class CaseBatchItem(CaseCreate):
    idempotency_key: str | None = Field(
        None,
        pattern=r"^[!-~]{1,128}$",
        description="Repeat an item with the same key to get the same case, never a second",
    )


class CaseBatch(In):
    items: list[CaseBatchItem] = Field(..., min_length=1, max_length=500)


class CaseOut(Schema):
    id: int
    number: str
    tracking_code: str
    external_number: str
    channel: Channel
    kind: Kind
    category: str
    category_name: str
    title: str
    state: State
    unit: int
    unit_name: str
    lead_department: int | None
    lead_department_name: str
    handler: str
    requester_name: str = Field(..., description="Masked")
    requester_phone: str = Field(..., description="Masked")
    is_anonymous: bool
    urgent: bool
    registered_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    satisfaction: str


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page")


class TimelineEvent(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    public: bool


class ClockOut(Schema):
    id: int
    stage: str
    state: str
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None
    provisional: bool
    explanation: list[str] = Field(..., description="Why the deadline falls where it does")


class AssistOut(Schema):
    department: int
    department_name: str
    opinion: str


class CaseDetail(CaseOut):
    content: str
    person_concerned: str
    unit_concerned: int | None
    reply_text: str
    reply_grade: str
    reply_pending_review: bool
    resolved: bool | None
    rating_comment: str
    reopen_count: int
    return_count: int
    merged_into: str
    final_reason: str
    assists: list[AssistOut]
    timeline: list[TimelineEvent]
    clocks: list[ClockOut]
    actions: list[str] = Field(..., description="Lifecycle actions the caller may take now")


class CaseRegistered(Schema):
    """What a registration answers: enough to tell the requester and to follow the case. The
    whole case is at ``url`` (``GET /api/v1/cases/{id}``)."""

    id: int
    number: str
    tracking_code: str
    state: str
    unit: int
    urgent: bool = Field(..., description="Runs on the hour-level urgent policy")
    due_at: datetime | None = Field(None, description="When the reply is due")
    url: str = Field(..., description="The case in full: GET this")


class CaseCreated(Schema):
    case: CaseRegistered
    created: bool = Field(..., description="False when a repeated request found the case")
    tracking_secret: str | None = Field(
        None, description="Give it to the requester; shown only when the case is created"
    )


class CaseBatchCreated(Schema):
    items: list[CaseCreated] = Field(..., description="One result per item, in the same order")


# -- lifecycle actions ---------------------------------------------------------------------
#
# The input bodies of the case actions (named by the table in cases/actions.py). Each body's
# ``arguments(caller)`` gives the service's keyword arguments besides ``case`` and ``by``, as an
# office form's ``arguments()`` does; an id that names nothing the caller may use is a 400.

INVALID = _("The request is not valid; see the fields.")
UNKNOWN = _("Unknown or not visible.")


def lookup(model: type, pk: int | None, field: str, **filters: Any) -> Any:
    """The row ``pk`` names (``None`` for none), or a 400 on ``field``."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **filters).first()
    if found is None:
        raise ApiError(400, "invalid", INVALID, fields={field: UNKNOWN})
    return found


def departments(pks: list[int], field: str) -> list[Department]:
    found = list(Department.objects.filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise ApiError(400, "invalid", INVALID, fields={field: UNKNOWN})
    return found


class Body(In):
    """A case action's input body."""

    def arguments(self, caller: Any) -> dict[str, Any]:
        """By default every field under its own name; a body whose fields differ says how."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class Empty(In):
    pass


class AnswerIn(Body):
    reply: str = Text


class RevealIn(In):
    reason: str = Field(..., min_length=1, max_length=200)


class RequesterOut(Schema):
    name: str
    phone: str
    email: str


class DispatchIn(Body):
    lead_department: Id
    assisting: list[Id] = Field(default_factory=list, max_length=20)
    post: Id | None = None
    note: str = Text

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {
            "lead": lookup(Department, self.lead_department, "lead_department"),
            "post": lookup(Post, self.post, "post"),
            "assisting": departments(self.assisting, "assisting"),
            "note": self.note,
        }


class AssignIn(Body):
    handler: Id = Field(..., description="Staff id of a member of the lead department")

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {"handler": lookup(Staff, self.handler, "handler")}


class AssistOpinionIn(Body):
    department: Id
    opinion: CaseAssist.Opinion
    reason: str = Text

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {
            "department": lookup(Department, self.department, "department"),
            "opinion": self.opinion.value,
            "reason": self.reason,
        }


class ReasonBasisIn(Body):
    reason: str = Text
    basis: str = Text


class DecideReturnIn(Body):
    accept: bool
    note: str = Text
    new_lead: Id | None = None
    assisting: list[Id] = Field(default_factory=list, max_length=20)

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {
            "accept": self.accept,
            "note": self.note,
            "new_lead": lookup(Department, self.new_lead, "new_lead"),
            "assisting": departments(self.assisting, "assisting"),
        }


class ExtensionIn(ReasonBasisIn):
    extra_units: int = Field(..., ge=1, le=365)


class DecideIn(Body):
    approve: bool
    note: str = Text


class SuspendIn(Body):
    reason: str = Text
    for_supplement: bool = False


class NoteIn(Body):
    note: str = Text


class ReplyIn(Body):
    text: str = Text
    grade: ReplyGrade | None = None

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {"text": self.text, "grade": self.grade.value if self.grade else ""}


class ReviewIn(DecideIn):
    text: str | None = Field(None, max_length=5000)


class RateIn(Body):
    satisfaction: Satisfaction
    resolved: bool
    comment: str = Field("", max_length=2000)

    def arguments(self, caller: Any) -> dict[str, Any]:
        return {
            "satisfaction": self.satisfaction.value,
            "resolved": self.resolved,
            "comment": self.comment,
        }


class ReasonIn(Body):
    reason: str = Text


class MergeIn(Body):
    into: Id = Field(..., description="Id of the open case this one duplicates")
    reason: str = Text

    def arguments(self, caller: Any) -> dict[str, Any]:
        # Only a case the caller may see.
        into = cases_for(caller).filter(pk=self.into).first()
        if into is None:
            raise ApiError(400, "invalid", INVALID, fields={"into": UNKNOWN})
        return {"into": into, "reason": self.reason}


# -- organisation, categories, notifications ------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: int | None


class DepartmentOut(Schema):
    id: int
    unit: int
    code: str
    name: str
    duties: str


class CategoryOut(Schema):
    code: str
    name: str
    default_department: int | None


class NotificationOut(Schema):
    id: int
    created_at: datetime
    kind: str
    subject: str
    body: str
    case_number: str
    read_at: datetime | None


# -- service guides (published versions only) ----------------------------------------------


class ServiceItemOut(Schema):
    code: str
    name: str
    item_type: str = Field(..., description="licence, public_service or other")
    unit: int
    unit_name: str
    department: int | None
    department_name: str
    version: int
    published_at: datetime | None
    statutory_limit: int = Field(..., description="Working days")
    committed_limit: int = Field(..., description="Working days, at most the statutory limit")
    online: bool


class GuideMaterialOut(Schema):
    name: str
    copies: int
    form: str = Field(..., description="original, copy or both")
    file_format: str
    notes: str
    conditional: bool = Field(..., description="Only needed where it applies")


class ServiceItemDetail(ServiceItemOut):
    legal_basis: str
    conditions: str
    process_steps: list[str]
    fees: str
    fee_basis: str
    window_address: str
    window_hours: str
    enquiry_phone: str
    supervision_phone: str
    materials: list[GuideMaterialOut]
