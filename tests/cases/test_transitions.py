"""Every illegal transition is refused with its message and leaves the case unchanged;
identical repeats are harmless; permissions are checked."""

from __future__ import annotations

import pytest

from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.services import (
    case_accept,
    case_answer_directly,
    case_assign_handler,
    case_close,
    case_decide_extension,
    case_decide_return,
    case_dispatch,
    case_invalidate,
    case_merge,
    case_rate,
    case_recall_reply,
    case_register,
    case_reopen,
    case_reply,
    case_request_extension,
    case_request_return,
    case_resume,
    case_review_reply,
    case_sign_for,
    case_suspend,
    case_withdraw,
    reply_draft_save,
)
from xiaoneng.cases.states import ALLOWED_FROM, State
from xiaoneng.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def snapshot(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.handler_id,
        case.lead_department_id,
        CaseEvent.objects.filter(case=case).count(),
    )


def force_state(case: Case, state: str) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    return Case.objects.get(pk=case.pk)


def attempts(users, basic, finance):
    """One call per action, made by a person who would be entitled in the right state."""
    return {
        "accept": lambda c: case_accept(case=c, by=users["intake"]),
        "answer_directly": lambda c: case_answer_directly(case=c, by=users["intake"], reply="答"),
        "dispatch": lambda c: case_dispatch(case=c, by=users["intake"], lead=basic),
        "sign_for": lambda c: case_sign_for(case=c, by=users["head"]),
        "assign_handler": lambda c: case_assign_handler(
            case=c, by=users["head"], handler=users["handler_a"].staff
        ),
        "request_return": lambda c: case_request_return(
            case=c, by=users["head"], reason="非本科职责", basis="三定方案"
        ),
        "decide_return": lambda c: case_decide_return(
            case=c, by=users["xiaoneng"], accept=True, new_lead=finance
        ),
        "request_extension": lambda c: case_request_extension(
            case=c, by=users["head"], reason="复杂", basis="规则", extra_units=3
        ),
        "suspend": lambda c: case_suspend(case=c, by=users["head"], reason="等待补正"),
        "resume": lambda c: case_resume(case=c, by=users["head"]),
        "save_reply_draft": lambda c: reply_draft_save(case=c, by=users["head"], text="草稿"),
        "reply": lambda c: case_reply(case=c, by=users["head"], text="答复"),
        "recall_reply": lambda c: case_recall_reply(case=c, by=users["handler_a"]),
        "review_reply": lambda c: case_review_reply(case=c, by=users["head"], approve=True),
        "rate": lambda c: case_rate(case=c, satisfaction="satisfied", resolved=True),
        "reopen": lambda c: case_reopen(case=c, by=users["xiaoneng"], note="重办"),
        "close": lambda c: case_close(case=c, by=users["xiaoneng"]),
        "withdraw": lambda c: case_withdraw(case=c, by=None, reason="已解决"),
        "invalidate": lambda c: case_invalidate(case=c, by=users["xiaoneng"], reason="无效"),
    }


ILLEGAL = [
    (action, state)
    for action, allowed in ALLOWED_FROM.items()
    if action not in {"assist_opinion", "merge", "decide_extension"}
    for state in State
    if state not in allowed
]


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(
    users, hotline_case, basic, finance, action, state
) -> None:
    case = hotline_case
    if state != State.REGISTERED:
        # Dispatched by someone else, so that no attempt below is an identical repeat.
        case = case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    case = force_state(case, state)
    before = snapshot(case)
    with pytest.raises(DomainError) as info:
        attempts(users, basic, finance)[action](case)
    assert str(info.value)  # a message a person can read
    assert snapshot(case) == before


def test_signing_twice_gives_the_chinese_message(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_sign_for(case=case, by=users["handler_a"])
    with pytest.raises(DomainError, match="该工单已签收，不能重复签收"):
        case_sign_for(case=case, by=users["head"])


def test_identical_repeat_is_harmless(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_dispatch(case=case, by=users["intake"], lead=basic)
    case_sign_for(case=case, by=users["handler_a"])
    case_sign_for(case=case, by=users["handler_a"])
    assert list(case.events.values_list("action", flat=True)) == [
        "register",
        "dispatch",
        "sign_for",
    ]


def test_repeated_external_number_returns_the_same_case(users, hotline_case, category) -> None:
    again = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=category,
        content="重复推送",
        external_number="12345-2026-0001",
    )
    assert again.case.pk == hotline_case.pk
    assert not again.created
    assert again.tracking_secret is None


def test_people_outside_the_post_cannot_sign(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    for outsider in ("handler_b", "school_handler", "xiaoneng"):
        with pytest.raises(PermissionDenied):
            case_sign_for(case=case, by=users[outsider])
    assert Case.objects.get(pk=case.pk).state == State.DISPATCHED


def test_only_first_contact_or_office_dispatches(users, hotline_case, basic) -> None:
    with pytest.raises(PermissionDenied):
        case_dispatch(case=hotline_case, by=users["school_handler"], lead=basic)
    case_dispatch(case=hotline_case, by=users["xiaoneng"], lead=basic)


def test_return_needs_reason_and_basis(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    with pytest.raises(DomainError):
        case_request_return(case=case, by=users["head"], reason="不归我管", basis="")


def test_rejected_return_counts_as_buck_passing(users, hotline_case, basic) -> None:
    from xiaoneng.accountability.models import Violation

    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_request_return(case=case, by=users["head"], reason="不归我管", basis="职责")
    with pytest.raises(PermissionDenied):
        case_decide_return(case=case, by=users["leader"], accept=False, note="x")
    case = case_decide_return(case=case, by=users["xiaoneng"], accept=False, note="属本科职责")
    assert case.state == State.IN_PROGRESS
    assert Violation.objects.filter(kind=Violation.Kind.BUCK_PASSING, case=case).count() == 1


def test_accepted_return_redispatches(users, hotline_case, basic, finance) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_request_return(case=case, by=users["head"], reason="收费问题", basis="计财科职能")
    case = case_decide_return(case=case, by=users["xiaoneng"], accept=True, new_lead=finance)
    assert case.state == State.DISPATCHED
    assert case.lead_department == finance
    assert case.return_count == 1


def test_extension_without_pending_request_is_refused(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case = case_sign_for(case=case, by=users["handler_a"])
    with pytest.raises(DomainError):
        case_decide_extension(case=case, by=users["xiaoneng"], approve=True)


def test_merge_into_another_open_case(users, hotline_case, category) -> None:
    other = case_register(
        by=users["intake"], channel="phone", kind="complaint", category=category, content="同一事项"
    ).case
    merged = case_merge(case=other, by=users["xiaoneng"], into=hotline_case)
    assert merged.state == State.MERGED
    assert merged.merged_into == hotline_case
    with pytest.raises(DomainError):
        case_merge(case=hotline_case, by=users["xiaoneng"], into=hotline_case)


def test_anonymous_only_for_reports(users, category) -> None:
    with pytest.raises(DomainError):
        case_register(
            by=None,
            channel="online",
            kind="complaint",
            category=category,
            content="x",
            is_anonymous=True,
        )
    report = case_register(
        by=None,
        channel="online",
        kind="report",
        category=category,
        content="举报某校",
        is_anonymous=True,
    )
    assert report.case.is_anonymous


def test_available_actions_follow_the_lifecycle(users, hotline_case, basic) -> None:
    from xiaoneng.cases.actions import available_actions

    # The first-contact officer may also mark a registered case invalid (with a reason).
    assert available_actions(hotline_case, users["intake"]) == [
        "answer_directly",
        "dispatch",
        "invalidate",
    ]
    assert available_actions(hotline_case, users["handler_a"]) == []
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    assert "sign_for" in available_actions(case, users["handler_a"])
    assert "sign_for" not in available_actions(case, users["handler_b"])
    assert "sign_for" in available_actions(case, users["head"])
    case = case_sign_for(case=case, by=users["handler_a"])
    handler_actions = available_actions(case, users["handler_a"])
    assert {"reply", "suspend", "request_extension", "request_return"} <= set(handler_actions)
    assert "withdraw" in available_actions(case, users["xiaoneng"])
    assert available_actions(case, users["school_handler"]) == []


def test_supervisors_decide_but_do_not_handle(users, hotline_case, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["head"]
    )
    for supervisor in ("xiaoneng", "leader", "inspector"):
        with pytest.raises(PermissionDenied):
            case_reply(case=case, by=users[supervisor], text="代为答复")
        with pytest.raises(PermissionDenied):
            case_suspend(case=case, by=users[supervisor], reason="代为中止")
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS
