"""/cases: register, list, read, and one endpoint per lifecycle action."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status

from xiaoneng.api.auth import Principal, require_scope
from xiaoneng.api.errors import ApiError
from xiaoneng.api.presenters import case_detail, case_summary
from xiaoneng.api.schemas import (
    AnswerIn,
    AssignIn,
    AssistOpinionIn,
    CaseCreate,
    CaseCreated,
    CaseDetail,
    CasePage,
    DecideIn,
    DecideReturnIn,
    DispatchIn,
    Error,
    ExtensionIn,
    Id,
    MergeIn,
    Moment,
    NoteIn,
    RateIn,
    ReasonBasisIn,
    ReasonIn,
    ReplyIn,
    RequesterOut,
    RevealIn,
    ReviewIn,
    SuspendIn,
)
from xiaoneng.api.selectors import case_filter, case_for, case_page, cases_for
from xiaoneng.api.services import api_case_register
from xiaoneng.cases import services as cases
from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.pool import IN_POOL
from xiaoneng.cases.services.reveal import case_requester_reveal
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department, Post, Staff, Unit

router = Router(tags=["cases"])

ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Case id")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        pattern=r"^[!-~]{1,128}$",
        description="Repeat a request with the same key to get the same case, never a second",
    ),
]
INVALID = _("The request is not valid; see the fields.")
UNKNOWN = _("Unknown or not visible.")


def _lookup(model: type, pk: int | None, field: str, **filters: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **filters).first()
    if found is None:
        raise ApiError(400, "invalid", INVALID, fields={field: UNKNOWN})
    return found


def _departments(pks: list[int], field: str) -> list[Department]:
    found = list(Department.objects.filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise ApiError(400, "invalid", INVALID, fields={field: UNKNOWN})
    return found


def _request_hash(payload: CaseCreate) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@router.post(
    "/cases",
    response={201: CaseCreated, 200: CaseCreated, **ERRORS},
    summary="Register a case",
    description=(
        "Registers a request received by an integration client (acting through its service "
        "account). It is not registered in person, so it waits in the intake pool (待受理) of "
        "its receiving unit (`unit`, else `unit_concerned`, else the client's unit) until that "
        "unit's first-contact post accepts it. Idempotent: the same Idempotency-Key, or the "
        "same channel and external_number, returns the case registered first (200, created "
        "false). The same key with a different body is refused with 409."
    ),
)
def case_create(request: HttpRequest, payload: CaseCreate, idempotency_key: IdempotencyKey = None):
    caller = require_scope(request, "cases:create")
    category = Category.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        raise ApiError(400, "invalid", INVALID, fields={"category": UNKNOWN})
    unit = _lookup(Unit, payload.unit, "unit", is_active=True)
    unit_concerned = _lookup(Unit, payload.unit_concerned, "unit_concerned")
    if caller.client is not None and caller.client.unit_id is not None:
        if unit is not None and unit.pk != caller.client.unit_id:
            raise ApiError(403, "out_of_scope", _("This key may register cases only for its unit."))
        unit = unit or caller.client.unit
    registered = api_case_register(
        by=caller.user,
        idempotency_key=idempotency_key or "",
        request_hash=_request_hash(payload),
        channel=payload.channel.value,
        kind=payload.kind.value,
        category=category,
        content=payload.content,
        title=payload.title,
        unit=unit,
        unit_concerned=unit_concerned,
        person_concerned=payload.person_concerned,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        requester_email=payload.requester_email,
        requester_id_number=payload.requester_id_number,
        is_anonymous=payload.is_anonymous,
        consent_publish=payload.consent_publish,
        external_number=payload.external_number,
        registered_at=payload.registered_at,
        in_person=False,
    )
    case = case_for(caller, registered.case.pk)
    body = {
        "case": case_detail(case, caller),
        "created": registered.created,
        "tracking_secret": registered.tracking_secret,
    }
    return Status(201 if registered.created else 200, body)


class CaseFilters(Schema):
    state: State | None = None
    unit: Id | None = None
    lead_department: Id | None = None
    channel: Channel | None = None
    kind: Kind | None = None
    category: str | None = Field(None, pattern=r"^[-a-zA-Z0-9_]{1,32}$")
    external_number: str | None = Field(None, pattern=r"^[^\x00]{1,64}$")
    registered_after: Moment | None = None
    registered_before: Moment | None = None
    cursor: str | None = Field(None, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")
    limit: int = Field(20, ge=1, le=100)


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseFilters]):
    """Newest first; personal data masked. Follow next_cursor for the next page."""
    caller = require_scope(request, "cases:read")
    wanted = filters.model_dump(exclude={"cursor", "limit"})
    for name in ("state", "channel", "kind"):
        if wanted[name] is not None:
            wanted[name] = wanted[name].value
    queryset = case_filter(cases_for(caller), wanted)
    page, next_cursor = case_page(queryset, cursor=filters.cursor, limit=filters.limit)
    return {"items": [case_summary(case) for case in page], "next_cursor": next_cursor}


class PoolFilters(Schema):
    unit: Id | None = None
    cursor: str | None = Field(None, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")
    limit: int = Field(20, ge=1, le=100)


@router.get("/cases/pool", response={200: CasePage, **ERRORS}, summary="The intake pool (待受理)")
def case_pool(request: HttpRequest, filters: Query[PoolFilters]):
    """Cases waiting in an intake pool to be accepted, in the caller's scope: a staff member
    sees the pools of the units whose first-contact post they hold (every pool for the
    efficiency office), a client its unit's pool. Accept with POST /cases/{id}/accept."""
    caller = require_scope(request, "cases:read")
    # For staff, cases_for is cases_visible_to, which holds the pools they see.
    queryset = cases_for(caller).filter(IN_POOL)
    if filters.unit is not None:
        queryset = queryset.filter(unit_id=filters.unit)
    page, next_cursor = case_page(queryset, cursor=filters.cursor, limit=filters.limit)
    return {"items": [case_summary(case) for case in page], "next_cursor": next_cursor}


@router.get("/cases/{case_id}", response={200: CaseDetail, **ERRORS}, summary="Read a case")
def case_read(request: HttpRequest, case_id: CaseId):
    """The case with its timeline, clocks (due time, state, explanation) and possible actions."""
    caller = require_scope(request, "cases:read")
    return case_detail(case_for(caller, case_id), caller)


@router.post(
    "/cases/{case_id}/reveal-requester",
    response={200: RequesterOut, **ERRORS},
    summary="Reveal the requester's personal data (audited)",
)
def case_reveal_requester(request: HttpRequest, case_id: CaseId, payload: RevealIn):
    """The requester's name, phone and e-mail in full, for a stated reason. Needs the
    `cases:reveal` scope and a service account allowed to reveal; every call is in the audit
    log with the client's name. An anonymous reporter is never revealed."""
    caller = require_scope(request, "cases:reveal")
    case = case_for(caller, case_id)
    via = f"api:{caller.client.name}" if caller.client else "api"
    shown = case_requester_reveal(by=caller.user, case=case, reason=payload.reason, via=via)
    return {"name": shown.name, "phone": shown.phone, "email": shown.email}


# -- lifecycle ----------------------------------------------------------------------------


def _acting(request: HttpRequest, case_id: int) -> tuple[Principal, Case]:
    caller = require_scope(request, "cases:act")
    return caller, case_for(caller, case_id)


def _after(caller: Principal, case: Case) -> dict[str, Any]:
    visible = cases_for(caller).filter(pk=case.pk).exists()
    return case_detail(case_for(caller, case.pk) if visible else case, caller)


def _action(path: str, summary: str):
    return router.post(
        f"/cases/{{case_id}}/{path}", response={200: CaseDetail, **ERRORS}, summary=summary
    )


@_action("accept", "Accept from the intake pool (受理): become its first-contact officer")
def case_accept(request: HttpRequest, case_id: CaseId):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_accept(case=case, by=caller.user))


@_action("answer-directly", "Answer directly (直办)")
def case_answer_directly(request: HttpRequest, case_id: CaseId, payload: AnswerIn):
    caller, case = _acting(request, case_id)
    return _after(
        caller, cases.case_answer_directly(case=case, by=caller.user, reply=payload.reply)
    )


@_action("dispatch", "Dispatch to a lead department (and assisting departments)")
def case_dispatch(request: HttpRequest, case_id: CaseId, payload: DispatchIn):
    caller, case = _acting(request, case_id)
    lead = _lookup(Department, payload.lead_department, "lead_department")
    post = _lookup(Post, payload.post, "post")
    assisting = _departments(payload.assisting, "assisting")
    case = cases.case_dispatch(
        case=case, by=caller.user, lead=lead, assisting=assisting, post=post, note=payload.note
    )
    return _after(caller, case)


@_action("sign-for", "Sign for the case (签收)")
def case_sign_for(request: HttpRequest, case_id: CaseId):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_sign_for(case=case, by=caller.user))


@_action("assign-handler", "Assign the handler")
def case_assign_handler(request: HttpRequest, case_id: CaseId, payload: AssignIn):
    caller, case = _acting(request, case_id)
    handler = _lookup(Staff, payload.handler, "handler")
    return _after(caller, cases.case_assign_handler(case=case, by=caller.user, handler=handler))


@_action("assist-opinion", "Give the opinion of an assisting department")
def case_assist_opinion(request: HttpRequest, case_id: CaseId, payload: AssistOpinionIn):
    caller, case = _acting(request, case_id)
    department = _lookup(Department, payload.department, "department")
    cases.case_assist_opinion(
        case=case,
        by=caller.user,
        department=department,
        opinion=payload.opinion.value,
        reason=payload.reason,
    )
    return _after(caller, case)


@_action("request-return", "Ask to return the case (退回申请)")
def case_request_return(request: HttpRequest, case_id: CaseId, payload: ReasonBasisIn):
    caller, case = _acting(request, case_id)
    cases.case_request_return(case=case, by=caller.user, reason=payload.reason, basis=payload.basis)
    return _after(caller, case)


@_action("decide-return", "Accept (redispatch) or reject a return")
def case_decide_return(request: HttpRequest, case_id: CaseId, payload: DecideReturnIn):
    caller, case = _acting(request, case_id)
    new_lead = _lookup(Department, payload.new_lead, "new_lead")
    assisting = _departments(payload.assisting, "assisting")
    case = cases.case_decide_return(
        case=case,
        by=caller.user,
        accept=payload.accept,
        note=payload.note,
        new_lead=new_lead,
        assisting=assisting,
    )
    return _after(caller, case)


@_action("request-extension", "Ask for more time")
def case_request_extension(request: HttpRequest, case_id: CaseId, payload: ExtensionIn):
    caller, case = _acting(request, case_id)
    cases.case_request_extension(
        case=case,
        by=caller.user,
        reason=payload.reason,
        basis=payload.basis,
        extra_units=payload.extra_units,
    )
    return _after(caller, case)


@_action("decide-extension", "Approve or reject the pending extension")
def case_decide_extension(request: HttpRequest, case_id: CaseId, payload: DecideIn):
    caller, case = _acting(request, case_id)
    case = cases.case_decide_extension(
        case=case, by=caller.user, approve=payload.approve, note=payload.note
    )
    return _after(caller, case)


@_action("suspend", "Suspend (the clock pauses)")
def case_suspend(request: HttpRequest, case_id: CaseId, payload: SuspendIn):
    caller, case = _acting(request, case_id)
    case = cases.case_suspend(
        case=case, by=caller.user, reason=payload.reason, for_supplement=payload.for_supplement
    )
    return _after(caller, case)


@_action("resume", "Resume after a suspension")
def case_resume(request: HttpRequest, case_id: CaseId, payload: NoteIn):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_resume(case=case, by=caller.user, note=payload.note))


@_action("reply", "Reply (reviewed by the head where the unit requires it)")
def case_reply(request: HttpRequest, case_id: CaseId, payload: ReplyIn):
    caller, case = _acting(request, case_id)
    grade = payload.grade.value if payload.grade else ""
    return _after(
        caller, cases.case_reply(case=case, by=caller.user, text=payload.text, grade=grade)
    )


@_action("review-reply", "Approve or send back the drafted reply")
def case_review_reply(request: HttpRequest, case_id: CaseId, payload: ReviewIn):
    caller, case = _acting(request, case_id)
    case = cases.case_review_reply(
        case=case, by=caller.user, approve=payload.approve, note=payload.note, text=payload.text
    )
    return _after(caller, case)


@_action("rate", "Record the requester's rating (回访)")
def case_rate(request: HttpRequest, case_id: CaseId, payload: RateIn):
    caller, case = _acting(request, case_id)
    case = cases.case_rate(
        case=case,
        by=caller.user,
        satisfaction=payload.satisfaction.value,
        resolved=payload.resolved,
        comment=payload.comment,
    )
    return _after(caller, case)


@_action("reopen", "Reopen: the unit was at fault (重办)")
def case_reopen(request: HttpRequest, case_id: CaseId, payload: NoteIn):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_reopen(case=case, by=caller.user, note=payload.note))


@_action("close", "Close")
def case_close(request: HttpRequest, case_id: CaseId, payload: NoteIn):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_close(case=case, by=caller.user, note=payload.note))


@_action("withdraw", "Record that the requester withdrew")
def case_withdraw(request: HttpRequest, case_id: CaseId, payload: ReasonIn):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_withdraw(case=case, by=caller.user, reason=payload.reason))


@_action("invalidate", "Mark invalid")
def case_invalidate(request: HttpRequest, case_id: CaseId, payload: ReasonIn):
    caller, case = _acting(request, case_id)
    return _after(caller, cases.case_invalidate(case=case, by=caller.user, reason=payload.reason))


@_action("merge", "Merge into another open case")
def case_merge(request: HttpRequest, case_id: CaseId, payload: MergeIn):
    caller, case = _acting(request, case_id)
    into = cases_for(caller).filter(pk=payload.into).first()
    if into is None:
        raise ApiError(400, "invalid", INVALID, fields={"into": UNKNOWN})
    case = cases.case_merge(case=case, by=caller.user, into=into, reason=payload.reason)
    return _after(caller, case)
