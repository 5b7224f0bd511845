"""The 批办件 scenario of issue #22: routed to 基础教育科, which asks to re-route; 办公室
refuses (推诿扯皮 recorded against it); it signs late (yellow card) and completes; the attempt
is counted against it; events, clocks and audit rows on the way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.internal.conftest import YEAR, moment
from xiaoneng.accountability.models import Violation
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.internal.models import Decision, Matter, MatterSignal
from xiaoneng.internal.selectors import internal_counts, matters_counted
from xiaoneng.internal.services import (
    matter_complete,
    matter_register,
    matter_reroute_decide,
    matter_reroute_request,
    matter_sign,
)
from xiaoneng.internal.sweeps import internal_sweep
from xiaoneng.workdays.deadlines import local_day
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db


def _clocks(matter: Matter) -> list[tuple[str, str]]:
    return list(
        Clock.objects.filter(owner_type="internal.matter", owner_id=matter.pk)
        .order_by("id")
        .values_list("stage", "state")
    )


def test_rerouting_refused_late_sign_yellow_card_completion_and_the_attempt_counted(
    users, departments, instruction, monday
) -> None:
    matter = instruction
    assert matter.number.startswith(f"NB{YEAR}-")
    assert matter.state == Matter.State.ROUTED
    assert _clocks(matter) == [("sign_for", "running")]
    sign_clock = Clock.objects.get(owner_type="internal.matter", owner_id=matter.pk)
    # 1 working day: due at the end of Tuesday 6 January.
    assert local_day(sign_clock.due_at) == date(YEAR, 1, 6)

    # The lead department cannot refuse: it asks 办公室 to re-route, with reasons.
    request = matter_reroute_request(
        by=users["head"], matter=matter, reason="开学安全工作应由安全稳定科牵头。"
    )
    matter.refresh_from_db()
    assert matter.state == Matter.State.REROUTE_REQUESTED
    assert matter.reroute_count == 1
    # Another department cannot decide, nor can the lead department itself.
    with pytest.raises(PermissionDenied):
        matter_reroute_decide(by=users["head"], matter=matter, approve=False, note="x")
    with pytest.raises(DomainError):  # refusing needs reasons
        matter_reroute_decide(by=users["intake"], matter=matter, approve=False, note=" ")

    monday.move_to(moment(date(YEAR, 1, 6), 10))
    matter_reroute_decide(
        by=users["intake"], matter=matter, approve=False, note="局领导批示明确由基础教育科牵头。"
    )
    request.refresh_from_db()
    matter.refresh_from_db()
    assert request.decision == Decision.REFUSED
    assert matter.state == Matter.State.ROUTED
    buck = Violation.objects.get(source_key=f"internal-reroute:{request.pk}")
    assert buck.kind == Violation.Kind.BUCK_PASSING
    assert buck.department == departments["basic"]
    assert buck.case is None

    # Nobody signs on Tuesday: on Wednesday the sweep raises the yellow card.
    wednesday = moment(date(YEAR, 1, 7), 9)
    result = internal_sweep(now=wednesday)
    assert result.raised["yellow"] == 1
    assert MatterSignal.objects.filter(matter=matter, level="yellow", clock=sign_clock).exists()
    assert Violation.objects.filter(
        source_key=f"internal-sign:{sign_clock.pk}", kind=Violation.Kind.LATE_SIGN_FOR
    ).exists()
    assert internal_sweep(now=wednesday).raised == {}  # once

    # Signing late: recorded, the reply clock (10 working days) starts.
    monday.move_to(wednesday)
    with pytest.raises(PermissionDenied):  # the assisting department does not sign
        matter_sign(by=users["safety_a"], matter=matter)
    matter_sign(by=users["handler_a"], matter=matter)
    matter.refresh_from_db()
    assert matter.state == Matter.State.IN_PROGRESS
    assert _clocks(matter) == [("sign_for", "stopped"), ("reply", "running")]
    assert Violation.objects.filter(source_key=f"internal-sign:{sign_clock.pk}").count() == 1
    with pytest.raises(DomainError):  # no second sign-for
        matter_sign(by=users["handler_a"], matter=matter)

    monday.move_to(wednesday + timedelta(days=2))
    matter_complete(by=users["handler_a"], matter=matter, result="已印发通知，开展安全检查。")
    matter.refresh_from_db()
    assert matter.state == Matter.State.DONE
    assert _clocks(matter) == [("sign_for", "stopped"), ("reply", "stopped")]

    actions = [e.action for e in matter.events.all()]
    assert [a for a in actions if a != "card_prewarn"] == [
        "registered",
        "routed",
        "reroute_requested",
        "reroute_refused",
        "card_yellow",
        "signed_late",
        "completed",
    ]
    audited = set(
        AuditEntry.objects.filter(
            object_type="internal.matter", object_id=str(matter.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "internal.register",
        "internal.route",
        "internal.reroute.request",
        "internal.reroute.decide",
        "internal.card.yellow",
        "internal.sign",
        "internal.complete",
    } <= audited
    assert AuditEntry.objects.filter(action="accountability.violation.record").count() >= 2

    # The attempt is counted against 基础教育科, and the 批办件 as registered and done.
    start, end = moment(date(YEAR, 1, 1), 0), moment(date(YEAR, 2, 1), 0)
    counts = internal_counts(start=start, end=end, department_id=departments["basic"].pk)
    assert counts["reroute_attempts"] == 1
    assert counts["reroute_refused"] == 1
    assert counts["instructions_registered"] == 1
    assert counts["instructions_done"] == 1
    other = internal_counts(start=start, end=end, department_id=departments["safety"].pk)
    assert other["reroute_attempts"] == 0
    assert list(matters_counted("reroute_refused", start=start, end=end)) == [matter]


def test_an_approved_reroute_goes_to_the_new_department_and_is_not_counted_as_refused(
    users, departments, instruction, monday
) -> None:
    matter_reroute_request(by=users["handler_a"], matter=instruction, reason="不属本科职责")
    matter_reroute_decide(
        by=users["leader"], matter=instruction, approve=True, new_lead=departments["safety"]
    )
    instruction.refresh_from_db()
    assert instruction.lead_department == departments["safety"]
    assert instruction.state == Matter.State.ROUTED
    assert not Violation.objects.filter(kind=Violation.Kind.BUCK_PASSING).exists()
    stages = _clocks(instruction)
    assert stages == [("sign_for", "stopped"), ("sign_for", "running")]
    with pytest.raises(PermissionDenied):  # the former lead has no say any more
        matter_sign(by=users["handler_a"], matter=instruction)


def test_illegal_transitions_are_refused(users, instruction, monday) -> None:
    with pytest.raises(DomainError):  # not signed for yet
        matter_complete(by=users["handler_a"], matter=instruction, result="done")
    with pytest.raises(PermissionDenied):  # only 办公室 registers
        matter_register(by=users["handler_a"], kind="instruction", title="x", instruction="y")
    with pytest.raises(DomainError):  # no pending request to decide
        matter_reroute_decide(by=users["intake"], matter=instruction, approve=False, note="no")
    matter_sign(by=users["handler_a"], matter=instruction)
    with pytest.raises(DomainError):  # signed for: no re-route request any more
        matter_reroute_request(by=users["handler_a"], matter=instruction, reason="late idea")
