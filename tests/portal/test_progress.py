"""The tracking page's progress line (受理 → 转办 → 签收 → 办理 → 答复 → 评价) in every state the
public can meet: the date each step happened, the step the request is at (aria-current), and
the expected date of what comes next, read from the case's clocks."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Satisfaction
from xiaoneng.cases.services import (
    case_close,
    case_decide_extension,
    case_dispatch,
    case_rate,
    case_reopen,
    case_reply,
    case_request_extension,
    case_sign_for,
)
from xiaoneng.cases.services.handling import case_request_return, case_suspend
from xiaoneng.cases.services.intake import case_answer_directly, case_withdraw
from xiaoneng.cases.services.public import public_submit
from xiaoneng.cases.states import State
from xiaoneng.portal.progress import Dues, EventFact, progress_line

pytestmark = pytest.mark.django_db

STEP = re.compile(r'data-step="(\w+)" data-status="(\w+)"( aria-current="step")?')


def _submit(category) -> tuple[Case, str]:
    registered = public_submit(
        kind="complaint",
        category=category,
        content="学校食堂价格上涨，请核查。",
        requester_name="钱家长",
        requester_phone="13900002222",
    )
    return registered.case, registered.tracking_secret or ""


def _page(client, case: Case, secret: str) -> str:
    response = client.post(reverse("portal:track"), {"code": case.tracking_code, "secret": secret})
    assert response.status_code == 200
    return response.content.decode()


def _steps(html: str) -> dict[str, str]:
    found = {key: status for key, status, _current in STEP.findall(html)}
    assert list(found) == ["accept", "dispatch", "sign_for", "handle", "reply", "rate"]
    return found


def _current(html: str) -> list[str]:
    return [key for key, _status, current in STEP.findall(html) if current]


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def _expected(html: str) -> str:
    found = re.search(r'data-testid="expected">[^<]*?(\d{4}-\d{2}-\d{2})', html)
    assert found, "the current step says by when the next thing is due"
    return found[1]


def test_pooled_then_accepted_dispatched_signed_replied_rated(
    client, users, category, basic
) -> None:
    case, secret = _submit(category)
    html = _page(client, case, secret)
    assert _steps(html)["accept"] == "current"
    assert _current(html) == ["accept"]
    intake = clocks.current(case=case, stage=clocks.INTAKE)
    assert _expected(html) == _day(intake.due_at)
    assert "受理" in html
    assert "评价" in html

    case = case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    html = _page(client, case, secret)
    steps = _steps(html)
    assert steps["accept"] == steps["dispatch"] == "done"
    assert _current(html) == ["sign_for"]
    assert _expected(html) == _day(clocks.current(case=case, stage=clocks.SIGN_FOR).due_at)
    # The date each step happened is shown.
    assert _day(case.events.get(action="dispatch").at) in html

    case = case_sign_for(case=case, by=users["handler_a"])
    html = _page(client, case, secret)
    assert _steps(html)["sign_for"] == "done"
    assert _current(html) == ["handle"]
    reply_due = clocks.current(case=case, stage=clocks.REPLY).due_at
    assert _expected(html) == _day(reply_due)
    # The same date as the page's "to be answered by", from the same clock.
    assert f'data-testid="due">{timezone.localtime(reply_due):%Y-%m-%d %H:%M}' in html

    case = case_reply(case=case, by=users["head"], text="经核查，已责令食堂恢复原价。")
    html = _page(client, case, secret)
    assert _steps(html)["reply"] == "done"
    assert _current(html) == ["rate"]
    assert _expected(html) == _day(clocks.current(case=case, stage=clocks.RATING).due_at)

    case_rate(case=case, satisfaction=Satisfaction.SATISFIED, resolved=True)
    html = _page(client, case, secret)
    assert set(_steps(html).values()) == {"done"}
    assert _current(html) == []
    assert 'aria-current="step"' not in html


def test_extension_moves_the_expected_date_and_says_so(client, users, category, basic) -> None:
    case, secret = _submit(category)
    case = case_sign_for(
        case=case_dispatch(case=case, by=users["xiaoneng"], lead=basic), by=users["handler_a"]
    )
    before = clocks.current(case=case, stage=clocks.REPLY).due_at
    case_request_extension(
        case=case, by=users["handler_a"], reason="需调取档案", basis="工作规则", extra_units=5
    )
    case = case_decide_extension(case=case, by=users["xiaoneng"], approve=True)
    after = clocks.current(case=case, stage=clocks.REPLY).due_at
    assert after > before
    html = _page(client, case, secret)
    assert _current(html) == ["handle"]
    assert _expected(html) == _day(after)
    assert "已批准延期" in html


def test_return_requested_and_suspended_keep_handling_current_with_a_note(
    client, users, category, basic
) -> None:
    case, secret = _submit(category)
    case = case_sign_for(
        case=case_dispatch(case=case, by=users["xiaoneng"], lead=basic), by=users["handler_a"]
    )
    case = case_suspend(case=case, by=users["head"], reason="等待补充材料")
    html = _page(client, case, secret)
    assert _current(html) == ["handle"]
    assert "暂停办理" in html

    other, other_secret = _submit(category)
    other = case_sign_for(
        case=case_dispatch(case=other, by=users["xiaoneng"], lead=basic), by=users["handler_a"]
    )
    case_request_return(case=other, by=users["head"], reason="不属本科室职责", basis="三定方案")
    other.refresh_from_db()
    assert other.state == State.RETURN_REQUESTED
    html = _page(client, other, other_secret)
    assert _current(html) == ["handle"]
    assert "申请退回" in html


def test_closed_without_rating(client, users, category, basic) -> None:
    case, secret = _submit(category)
    case = case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    case = case_reply(
        case=case_sign_for(case=case, by=users["handler_a"]), by=users["head"], text="已处理。"
    )
    case = case_close(case=case, by=users["xiaoneng"])
    html = _page(client, case, secret)
    steps = _steps(html)
    assert steps["reply"] == "done"
    assert steps["rate"] == "skipped"
    assert "未评价办结" in html
    assert _current(html) == []


def test_reopened_goes_back_to_handling(client, users, category, basic) -> None:
    case, secret = _submit(category)
    case = case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    case = case_reply(
        case=case_sign_for(case=case, by=users["handler_a"]), by=users["head"], text="已处理。"
    )
    case = case_rate(case=case, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    html = _page(client, case, secret)
    assert _steps(html)["rate"] == "done"
    assert "正由效能办复核" in html
    case = case_reopen(case=case, by=users["xiaoneng"], note="请重办")
    html = _page(client, case, secret)
    steps = _steps(html)
    assert _current(html) == ["handle"]
    assert steps["reply"] == steps["rate"] == "upcoming"
    assert _expected(html) == _day(clocks.current(case=case, stage=clocks.REPLY).due_at)


def test_answered_directly_skips_the_department_steps(client, users, category) -> None:
    case, secret = _submit(category)
    case = case_answer_directly(case=case, by=users["xiaoneng"], reply="食堂价格已恢复。")
    html = _page(client, case, secret)
    steps = _steps(html)
    assert steps["accept"] == steps["reply"] == "done"
    assert steps["dispatch"] == steps["sign_for"] == steps["handle"] == "skipped"
    assert _current(html) == ["rate"]


def test_withdrawn_stops_the_line(client, users, category) -> None:
    case, secret = _submit(category)
    case = case_withdraw(case=case, by=users["xiaoneng"], reason="群众撤回")
    html = _page(client, case, secret)
    assert _current(html) == []
    assert "已撤回" in html
    assert 'data-testid="progress-note"' in html


def test_progress_line_in_english(client, users, category, basic) -> None:
    case, secret = _submit(category)
    client.cookies["django_language"] = "en"
    html = _page(client, case, secret)
    for label in ("Accepted", "Passed on", "Signed for", "Handling", "Replied", "Rated"):
        assert label in html
    assert "expected by" in html


def test_a_second_dispatch_starts_the_later_steps_over() -> None:
    t = [timezone.now().replace(microsecond=0) for _ in range(6)]
    events = [
        EventFact("register", t[0]),
        EventFact("dispatch", t[1]),
        EventFact("sign_for", t[2]),
        EventFact("accept_return", t[3]),
    ]
    progress = progress_line(events=events, state=State.DISPATCHED, dues=Dues(sign_for=t[5]))
    status = {step.key: step.status for step in progress.steps}
    assert status == {
        "accept": "done",
        "dispatch": "done",
        "sign_for": "current",
        "handle": "upcoming",
        "reply": "upcoming",
        "rate": "upcoming",
    }
    assert progress.steps[1].at == t[3]
    assert progress.steps[2].expected == t[5]
