"""Cases as the API shows them: personal data masked, clocks with their explanation."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from xiaoneng.api.auth import Principal
from xiaoneng.cases import clocks
from xiaoneng.cases.actions import available_actions
from xiaoneng.cases.models import Case
from xiaoneng.cases.selectors import case_timeline
from xiaoneng.cases.services.intake import Registered
from xiaoneng.privacy import mask_name, mask_phone
from xiaoneng.workdays.explain import explain_clock


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "tracking_code": case.tracking_code,
        "external_number": case.external_number,
        "channel": case.channel,
        "kind": case.kind,
        "category": case.category.code,
        "category_name": case.category.name,
        "title": case.title,
        "state": case.state,
        "unit": case.unit_id,
        "unit_name": case.unit.name,
        "lead_department": case.lead_department_id,
        "lead_department_name": case.lead_department.name if case.lead_department_id else "",
        "handler": str(case.handler) if case.handler_id else "",
        "requester_name": "" if case.is_anonymous else mask_name(case.requester_name),
        "requester_phone": "" if case.is_anonymous else mask_phone(case.requester_phone),
        "is_anonymous": case.is_anonymous,
        "urgent": case.urgent,
        "registered_at": case.registered_at,
        "replied_at": case.replied_at,
        "closed_at": case.closed_at,
        "satisfaction": case.satisfaction,
    }


def case_registered(registered: Registered, *, path: str) -> dict[str, Any]:
    """The answer to a registration, from what the registration has in memory (a repeated
    request reads the reply clock's due time: one query)."""
    case = registered.case
    due_at = registered.reply_due_at
    if due_at is None:
        reply = clocks.current(case=case, stage=clocks.REPLY)
        due_at = reply.due_at if reply is not None else None
    return {
        "id": case.pk,
        "number": case.number,
        "tracking_code": case.tracking_code,
        "state": case.state,
        "unit": case.unit_id,
        "urgent": case.urgent,
        "due_at": due_at.astimezone(UTC) if due_at is not None else None,
        "url": f"{path.rstrip('/')}/{case.pk}",
    }


def _clock(clock: Any) -> dict[str, Any]:
    try:
        explanation = explain_clock(clock).lines()
    except Exception:
        explanation = []
    return {
        "id": clock.pk,
        "stage": clock.stage,
        "state": clock.state,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "stopped_at": clock.stopped_at,
        "provisional": clock.provisional,
        "explanation": explanation,
    }


def case_detail(case: Case, caller: Principal) -> dict[str, Any]:
    # Integration clients see the public part of the timeline only (no internal opinions).
    events = case_timeline(case=case, public_only=caller.client is not None)
    return {
        **case_summary(case),
        "content": case.content,
        "person_concerned": case.person_concerned,
        "unit_concerned": case.unit_concerned_id,
        "reply_text": case.reply_text,
        "reply_grade": case.reply_grade,
        "reply_pending_review": case.reply_pending_review,
        "resolved": case.resolved,
        "rating_comment": case.rating_comment,
        "reopen_count": case.reopen_count,
        "return_count": case.return_count,
        "merged_into": case.merged_into.number if case.merged_into_id else "",
        "final_reason": case.final_reason,
        "assists": [
            {
                "department": assist.department_id,
                "department_name": assist.department.name,
                "opinion": assist.opinion,
            }
            for assist in case.assists.select_related("department")
        ],
        "timeline": [
            {
                "at": event.at,
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "actor": str(event.actor) if event.actor_id else "",
                "note": event.note,
                "public": event.public,
            }
            for event in events
        ],
        "clocks": [_clock(clock) for clock in clocks.case_clocks(case)],
        "actions": available_actions(case, caller.user) if caller.allows("cases:act") else [],
    }
