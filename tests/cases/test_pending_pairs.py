"""Every pair of waiting requests on one case (docs/cases.md, "Pending requests"): what the
second step does to the first, and what each reader's queue offers afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from xiaoneng.accountability.models import Violation
from xiaoneng.cases.actions import available_actions
from xiaoneng.cases.models import Case, CaseAssist, Decision
from xiaoneng.cases.selectors import extensions_awaiting_decision
from xiaoneng.cases.services import (
    case_decide_extension,
    case_decide_return,
    case_dispatch,
    case_rate,
    case_reply,
    case_request_extension,
    case_request_return,
    case_review_reply,
    case_sign_for,
    case_suspend,
    case_withdraw,
)
from xiaoneng.errors import DomainError
from xiaoneng.office.workbench import workbench_for
from xiaoneng.supervision.models import Order
from xiaoneng.supervision.services import (
    supervision_feedback_submit,
    supervision_order_create,
)


@dataclass
class World:
    case: Case
    users: dict
    finance: object


def _extension(w: World) -> None:
    case_request_extension(
        case=w.case, by=w.users["handler_a"], reason="需会商", basis="办理规则", extra_units=2
    )


def _return(w: World) -> None:
    case_request_return(
        case=w.case, by=w.users["handler_a"], reason="非本科室职责", basis="三定方案"
    )


def _draft(w: World) -> None:
    case_reply(case=w.case, by=w.users["handler_a"], text="经核查，已处理。")


def _suspend(w: World) -> None:
    case_suspend(case=w.case, by=w.users["handler_a"], reason="等待补充材料")


def _reply(w: World) -> None:
    case = Case.objects.get(pk=w.case.pk)
    if case.reply_pending_review:
        case_review_reply(case=case, by=w.users["head"], approve=True)
    else:
        case_reply(case=case, by=w.users["head"], text="经核查，已处理。")


def _reopen_review(w: World) -> None:
    _reply(w)
    case_rate(case=w.case, satisfaction="unsatisfied", resolved=False)


def _order(w: World) -> None:
    supervision_order_create(
        by=w.users["xiaoneng"],
        title="督办工单",
        description="请按时办结并反馈。",
        kind=Order.Kind.CASE,
        case=w.case,
        unit=w.case.lead_department.unit,
        department=w.case.lead_department,
        due_working_days=5,
    )


def _end(w: World) -> None:
    case_withdraw(case=w.case, by=w.users["xiaoneng"], reason="当事人撤回")


def _accept_return(w: World) -> None:
    _return(w)
    case_decide_return(
        case=w.case, by=w.users["xiaoneng"], accept=True, note="同意", new_lead=w.finance
    )


def _reject(w: World) -> None:
    case_decide_return(case=w.case, by=w.users["xiaoneng"], accept=False, note="属本科室职责")


def _reject_return(w: World) -> None:
    _return(w)
    _reject(w)


STEPS: dict[str, Callable[[World], None]] = {
    "extension": _extension,
    "return": _return,
    "assist": lambda w: None,  # asked at dispatch (see the fixture)
    "review": _draft,
    "suspend": _suspend,
    "reply": _reply,
    "reopen_review": _reopen_review,
    "order": _order,
    "end": _end,
    "accept_return": _accept_return,
    "reject_return": _reject_return,
}

# (first waiting, second step, outcome, what is still waiting afterwards)
#   outcome: "both" — both stand; "withdrawn" — the first is withdrawn with an event;
#            "refused" — the second step is refused with a message (the first stands).
PAIRS = [
    ("extension", "return", "withdrawn", {"return"}),
    ("return", "extension", "refused", {"return"}),
    ("extension", "review", "both", {"extension", "review"}),
    ("review", "extension", "both", {"extension", "review"}),
    ("extension", "suspend", "both", {"extension"}),
    ("suspend", "extension", "both", {"extension"}),
    ("extension", "reply", "withdrawn", set()),
    ("extension", "end", "withdrawn", set()),
    ("extension", "order", "both", {"extension", "order"}),
    ("reopen_review", "extension", "refused", {"reopen_review"}),
    ("assist", "return", "both", {"assist", "return"}),
    ("assist", "accept_return", "withdrawn", set()),
    ("assist", "reject_return", "both", {"assist"}),
    ("assist", "review", "both", {"assist", "review"}),
    ("assist", "suspend", "both", {"assist"}),
    ("assist", "reply", "withdrawn", set()),
    ("assist", "end", "withdrawn", set()),
    ("assist", "order", "both", {"assist", "order"}),
    ("review", "return", "refused", {"review"}),
    ("return", "review", "refused", {"return"}),
    ("review", "suspend", "refused", {"review"}),
    ("suspend", "review", "refused", set()),
    ("review", "end", "withdrawn", set()),
    ("review", "order", "both", {"review", "order"}),
    ("return", "suspend", "refused", {"return"}),
    ("suspend", "return", "refused", set()),
    ("return", "end", "withdrawn", set()),
    ("return", "order", "both", {"return", "order"}),
    ("reopen_review", "return", "refused", {"reopen_review"}),
    ("reopen_review", "review", "refused", {"reopen_review"}),
    ("reopen_review", "order", "both", {"reopen_review", "order"}),
    ("order", "end", "both", {"order"}),
]


def _waiting(case: Case, users: dict) -> set[str]:
    """What each reader's queue offers on this case now, by kind of waiting request."""
    case = Case.objects.select_related("lead_department", "unit").get(pk=case.pk)

    def in_group(username: str, code: str) -> bool:
        groups = {g.code: g for g in workbench_for(users[username]).groups}
        group = groups.get(code)
        return group is not None and any(item.case.pk == case.pk for item in group.items)

    found = set()
    if extensions_awaiting_decision().filter(case=case).exists():
        found.add("extension")
        assert "decide_extension" in available_actions(case, users["xiaoneng"])
        assert in_group("xiaoneng", "decide")
    else:
        assert "decide_extension" not in available_actions(case, users["xiaoneng"])
    if case.state == "return_requested":
        found.add("return")
        assert "decide_return" in available_actions(case, users["xiaoneng"])
        assert in_group("xiaoneng", "decide")
    if in_group("finance_head", "assist"):
        found.add("assist")
        assert "assist_opinion" in available_actions(case, users["finance_head"])
    if in_group("head", "review"):
        found.add("review")
        assert "review_reply" in available_actions(case, users["head"])
    if case.state == "reopen_review":
        found.add("reopen_review")
        assert {"reopen", "close"} <= set(available_actions(case, users["xiaoneng"]))
    if Order.objects.filter(case=case, state=Order.State.ISSUED).exists():
        found.add("order")
    # Nothing stays pending that nobody can act on.
    if "extension" not in found:
        assert not case.extension_requests.filter(decision=Decision.PENDING).exists()
    if "assist" not in found:
        assert not case.assists.filter(opinion=CaseAssist.Opinion.PENDING).exists()
    if "return" not in found:
        assert not case.return_requests.filter(decision=Decision.PENDING).exists()
    if "review" not in found:
        assert not case.reply_pending_review
    return found


@pytest.fixture
def world(hotline_case, basic, finance, users, request) -> World:
    first, _second, _outcome, _after = request.param
    assisting = [finance] if first == "assist" else []
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic, assisting=assisting)
    case_sign_for(case=hotline_case, by=users["handler_a"])
    users = {**users, "finance_head": finance.head.user}
    return World(case=Case.objects.get(pk=hotline_case.pk), users=users, finance=finance)


@pytest.mark.parametrize(
    "world", PAIRS, ids=[f"{a}-then-{b}" for a, b, _o, _w in PAIRS], indirect=True
)
def test_every_pair_of_pending_requests(world: World, request) -> None:
    first, second, outcome, after = request.node.callspec.params["world"]
    STEPS[first](world)
    before = world.case.events.count()
    if outcome == "refused":
        with pytest.raises(DomainError) as refused:
            STEPS[second](world)
        assert str(refused.value)
    else:
        STEPS[second](world)
    case = Case.objects.get(pk=world.case.pk)
    written = set(case.events.order_by("id")[before:].values_list("action", flat=True))
    if outcome == "withdrawn" and first in {"extension", "assist", "return"}:
        assert f"{first}_withdrawn" in written
    assert _waiting(case, world.users) == after


@pytest.mark.parametrize("world", [("extension", "return", "withdrawn", set())], indirect=True)
def test_the_issue_reproduction_no_longer_dead_ends(world: World) -> None:
    """Extension, then return: the extension is withdrawn, and the return can be decided."""
    _extension(world)
    _return(world)
    with pytest.raises(DomainError):
        case_decide_extension(case=world.case, by=world.users["xiaoneng"], approve=True)
    _reject(world)
    violation = Violation.objects.get(case=world.case, kind=Violation.Kind.BUCK_PASSING)
    assert violation.status == Violation.Status.PENDING
    # Back with the department, it may ask for the extension again.
    _extension(world)
    case_decide_extension(case=world.case, by=world.users["xiaoneng"], approve=True)


@pytest.mark.parametrize("world", [("order", "reply", "both", set())], indirect=True)
def test_a_supervision_order_outlives_the_case_steps(world: World) -> None:
    _order(world)
    _reply(world)
    order = Order.objects.get(case=world.case)
    supervision_feedback_submit(order=order, by=world.users["head"], text="已按期答复群众。")
