"""/cases: register, list, read, and one endpoint per lifecycle action."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from inspect import Parameter, Signature
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status

from xiaoneng.api import schemas
from xiaoneng.api.auth import Principal, require_scope
from xiaoneng.api.errors import ApiError
from xiaoneng.api.presenters import case_detail, case_registered, case_summary
from xiaoneng.api.schemas import (
    INVALID,
    UNKNOWN,
    Body,
    CaseBatch,
    CaseBatchCreated,
    CaseCreate,
    CaseCreated,
    CaseDetail,
    CasePage,
    Error,
    Id,
    Moment,
    RequesterOut,
    RevealIn,
    lookup,
)
from xiaoneng.api.selectors import case_filter, case_for, case_page, cases_for
from xiaoneng.api.services import api_case_register, api_case_register_batch
from xiaoneng.cases.actions import ACTIONS, ApiRoute, CaseAction
from xiaoneng.cases.config_cache import category_active
from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.pool import IN_POOL
from xiaoneng.cases.services.intake import Registered
from xiaoneng.cases.services.reveal import case_requester_reveal
from xiaoneng.cases.states import State
from xiaoneng.org.models import Unit

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
    registered = api_case_register(
        by=caller.user,
        idempotency_key=idempotency_key or "",
        request_hash=_request_hash(payload),
        **_registration(caller, payload, {}),
    )
    return Status(201 if registered.created else 200, _created(registered, request.path))


def _created(registered: Registered, path: str) -> dict[str, Any]:
    return {
        "case": case_registered(registered, path=path),
        "created": registered.created,
        "tracking_secret": registered.tracking_secret,
    }


def _registration(
    caller: Principal, payload: CaseCreate, categories: dict[str, Category | None]
) -> dict[str, Any]:
    """The keyword arguments of the registration service for one payload (a 400 on a name
    that names nothing); ``categories`` remembers the categories a batch already looked up."""
    if payload.category not in categories:
        categories[payload.category] = category_active(payload.category)
    category = categories[payload.category]
    if category is None:
        raise ApiError(400, "invalid", INVALID, fields={"category": UNKNOWN})
    unit = lookup(Unit, payload.unit, "unit", is_active=True)
    unit_concerned = lookup(Unit, payload.unit_concerned, "unit_concerned")
    if caller.client is not None and caller.client.unit_id is not None:
        if unit is not None and unit.pk != caller.client.unit_id:
            raise ApiError(403, "out_of_scope", _("This key may register cases only for its unit."))
        unit = unit or caller.client.unit
    return {
        "channel": payload.channel.value,
        "kind": payload.kind.value,
        "category": category,
        "content": payload.content,
        "title": payload.title,
        "unit": unit,
        "unit_concerned": unit_concerned,
        "person_concerned": payload.person_concerned,
        "requester_name": payload.requester_name,
        "requester_phone": payload.requester_phone,
        "requester_email": payload.requester_email,
        "requester_id_number": payload.requester_id_number,
        "is_anonymous": payload.is_anonymous,
        "consent_publish": payload.consent_publish,
        "external_number": payload.external_number,
        "registered_at": payload.registered_at,
        "in_person": False,
        "urgent": payload.urgent,
    }


@router.post(
    "/cases:batch",
    response={201: CaseBatchCreated, 200: CaseBatchCreated, **ERRORS},
    summary="Register up to 500 cases at once",
    description=(
        "For a hotline centre's referrals: up to 500 cases in one request and one transaction, "
        "all or nothing. If any item is refused, nothing is registered and the error names the "
        "item (`items.<n>.<field>`). Each item is idempotent like a single registration: its "
        "own `idempotency_key`, or the same channel and external_number, returns the case "
        "registered first (created false) instead of a second one. 201 when at least one case "
        "was created, else 200; the results come in the order of the items."
    ),
)
def case_create_batch(request: HttpRequest, payload: CaseBatch):
    caller = require_scope(request, "cases:create")
    categories: dict[str, Category | None] = {}
    items = []
    for index, item in enumerate(payload.items):
        try:
            fields = _registration(caller, item, categories)
        except ApiError as exc:
            named = {f"items.{index}.{name}": text for name, text in exc.fields.items()}
            raise ApiError(exc.status, exc.code, exc.message, fields=named) from None
        key = item.idempotency_key or ""
        items.append({**fields, "idempotency_key": key, "request_hash": _request_hash(item)})
    results = api_case_register_batch(by=caller.user, items=items)
    created = any(registered.created for registered in results)
    body = {"items": [_created(registered, "/api/v1/cases") for registered in results]}
    return Status(201 if created else 200, body)


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
#
# One endpoint per action of the table in cases/actions.py (the office's case page dispatches
# through the same table): POST /cases/{case_id}/<path> with the action's input body.


def _acting(request: HttpRequest, case_id: int) -> tuple[Principal, Case]:
    caller = require_scope(request, "cases:act")
    return caller, case_for(caller, case_id)


def _after(caller: Principal, case: Case) -> dict[str, Any]:
    visible = cases_for(caller).filter(pk=case.pk).exists()
    return case_detail(case_for(caller, case.pk) if visible else case, caller)


def _endpoint(action: CaseAction, route: ApiRoute) -> Callable[..., Any]:
    """The view of one action; ninja reads its parameters (and so the body) from its signature."""

    def endpoint(request: HttpRequest, case_id: int, payload: Body | None = None) -> Any:
        caller, case = _acting(request, case_id)
        arguments = payload.arguments(caller) if payload is not None else {}
        done = action.service(case=case, by=caller.user, **arguments)
        # A request (return, extension) or an opinion is not the case: show the case acted on.
        return _after(caller, done if isinstance(done, Case) else case)

    parameters = [
        Parameter("request", Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
        Parameter("case_id", Parameter.POSITIONAL_OR_KEYWORD, annotation=CaseId),
    ]
    if route.body is not None:
        body = getattr(schemas, route.body)
        parameters.append(Parameter("payload", Parameter.POSITIONAL_OR_KEYWORD, annotation=body))
    endpoint.__signature__ = Signature(parameters)  # type: ignore[attr-defined]
    # The operation id and URL name stay case_<code> (api-v1:case_sign_for, ...).
    endpoint.__name__ = endpoint.__qualname__ = f"case_{action.code}"
    return endpoint


for _action in ACTIONS.values():
    if _action.api is None:  # an office-only action (cases/actions.py says why)
        continue
    router.post(
        f"/cases/{{case_id}}/{_action.api.path}",
        response={200: CaseDetail, **ERRORS},
        summary=_action.api.summary,
    )(_endpoint(_action, _action.api))
