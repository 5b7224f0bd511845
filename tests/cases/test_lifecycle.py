"""The full closed loop through the services, asserting states, clocks, events, audit rows and
notifications on the way (the scenario of the cases issue)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.accountability.models import Violation
from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.cases import clocks
from xiaoneng.cases.models import CaseAssist, Satisfaction
from xiaoneng.cases.services import (
    case_decide_extension,
    case_dispatch,
    case_rate,
    case_reopen,
    case_reply,
    case_request_extension,
    case_review_reply,
    case_sign_for,
)
from xiaoneng.cases.states import State
from xiaoneng.cases.sweeps import sweep
from xiaoneng.notify.models import Notification
from xiaoneng.org.services import absence_record

pytestmark = pytest.mark.django_db


def actions(case) -> list[str]:
    return list(case.events.order_by("id").values_list("action", flat=True))


def audit_actions(case) -> list[str]:
    rows = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    return list(rows.order_by("id").values_list("action", flat=True))


def test_hotline_complaint_closed_loop(users, staff_of, hotline_case, basic, safety) -> None:
    case = hotline_case
    now = timezone.now()
    # Registered by the first-contact officer; the case clock runs; the requester is told.
    assert case.state == State.REGISTERED
    assert case.first_contact == staff_of("intake")
    assert case.number.startswith("XN")
    reply_clock = clocks.current(case=case, stage=clocks.REPLY)
    assert reply_clock is not None
    assert reply_clock.stopped_at is None
    sms = Notification.objects.filter(channel="sms", kind="case.registered")
    assert sms.count() == 1
    assert case.tracking_code in sms.get().body
    assert "13912345678" not in AuditEntry.objects.values_list("summary", flat=True).__str__()

    # Dispatched with one assisting department; the sign-for clock starts.
    case = case_dispatch(case=case, by=users["intake"], lead=basic, assisting=[safety])
    assert case.state == State.DISPATCHED
    assert case.unit == basic.unit
    assert clocks.current(case=case, stage=clocks.SIGN_FOR) is not None
    assist = CaseAssist.objects.get(case=case)
    assert assist.opinion == CaseAssist.Opinion.PENDING

    # A is on leave: the B holder signs for it and becomes the handler.
    absence_record(
        staff=staff_of("handler_a"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        kind="leave",
        by=users["sysadmin"],
    )
    case = case_sign_for(case=case, by=users["handler_b"])
    assert case.state == State.IN_PROGRESS
    assert case.handler == staff_of("handler_b")
    sign_event = case.events.get(action="sign_for")
    assert sign_event.data["capacity"] == "b"
    assert sign_event.data["standing_in_for"] == staff_of("handler_a").pk
    assert clocks.current(case=case, stage=clocks.SIGN_FOR).stopped_at is not None

    # The assisting department stays silent: the sweeper records agreement after its deadline.
    assist_clock = clocks.current(case=case, stage=clocks.ASSIST, owner=assist)
    result = sweep(now=assist_clock.due_at + timedelta(minutes=1))
    assist.refresh_from_db()
    assert assist.opinion == CaseAssist.Opinion.SILENT
    assert result.raised["assist_silent"] == 1
    assert sweep(now=assist_clock.due_at + timedelta(minutes=2)).raised["assist_silent"] == 0

    # Extension requested before the deadline and approved; the due date moves.
    due_before = clocks.current(case=case, stage=clocks.REPLY).due_at
    case_request_extension(
        case=case,
        by=users["handler_b"],
        reason="需调取招生档案",
        basis="12345 工作规则",
        extra_units=5,
    )
    case = case_decide_extension(case=case, by=users["xiaoneng"], approve=True)
    assert clocks.current(case=case, stage=clocks.REPLY).due_at > due_before
    assert Notification.objects.filter(channel="sms", kind="case.extended").count() == 1

    # Reply drafted by the handler, approved by the head: replied, rating window open.
    case = case_reply(case=case, by=users["handler_b"], text="经核查，该校已退还相关费用。")
    assert case.state == State.IN_PROGRESS
    assert case.reply_pending_review
    case = case_review_reply(case=case, by=users["head"], approve=True)
    assert case.state == State.REPLIED
    assert clocks.current(case=case, stage=clocks.REPLY).stopped_at is not None
    assert clocks.current(case=case, stage=clocks.RATING) is not None

    # Rated unsatisfied → reopen review → reopened with a new deadline (counted as 重办).
    case = case_rate(case=case, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    assert case.state == State.REOPEN_REVIEW
    case = case_reopen(case=case, by=users["xiaoneng"], note="未退还全部费用，请重办")
    assert case.state == State.IN_PROGRESS
    assert case.reopen_count == 1
    new_clock = clocks.current(case=case, stage=clocks.REPLY)
    assert new_clock.stopped_at is None
    assert (
        Violation.objects.filter(case=case, kind=Violation.Kind.FAULT_DISSATISFACTION).count() == 1
    )

    # Replied again (the head replies directly), rated satisfied → closed.
    case = case_reply(case=case, by=users["head"], text="已督促学校全额退还，并对校长诫勉谈话。")
    assert case.state == State.REPLIED
    case = case_rate(case=case, satisfaction=Satisfaction.SATISFIED, resolved=True)
    assert case.state == State.CLOSED
    assert case.closed_at is not None

    assert actions(case) == [
        "register",
        "dispatch",
        "sign_for",
        "assist_silent",
        "request_extension",
        "approve_extension",
        "reply_drafted",
        "reply",
        "rate",
        "reopen",
        "reply",
        "rate",
    ]
    assert audit_actions(case) == [f"case.{action}" for action in actions(case)]
    assert audit_chain_verify().ok
    inbox = Notification.objects.filter(channel="inbox")
    assert inbox.filter(kind="case.dispatched", recipient_user=users["head"]).exists()
    assert inbox.filter(kind="case.extension_requested", recipient_user=users["xiaoneng"]).exists()
    assert inbox.filter(kind="case.reply_review", recipient_user=users["head"]).exists()
    assert inbox.filter(kind="case.unsatisfied", recipient_user=users["xiaoneng"]).exists()
    assert inbox.filter(kind="case.reopened", recipient_user=users["handler_b"]).exists()
    assert Notification.objects.filter(channel="sms", kind="case.replied").count() == 2
