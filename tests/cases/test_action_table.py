"""The one table of case actions: every row reachable from the office and from the API alike,
and an action out of its state refused with the same clear message on both sides."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from xiaoneng.api import schemas
from xiaoneng.api.api import api
from xiaoneng.cases.actions import ACTIONS
from xiaoneng.cases.forms import ActionForm
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import (
    case_dispatch,
    case_invalidate,
    case_register,
    case_sign_for,
    case_withdraw,
)
from xiaoneng.cases.states import ACTION_LABELS, ALLOWED_FROM, State
from xiaoneng.cases.views.page import case_act

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_every_lifecycle_action_has_exactly_one_row() -> None:
    assert list(ACTIONS) == list(ALLOWED_FROM)
    assert all(code == action.code for code, action in ACTIONS.items())
    paths = [action.api.path for action in ACTIONS.values() if action.api is not None]
    assert len(paths) == len(set(paths))


@pytest.mark.parametrize("code", list(ACTIONS))
def test_every_action_is_reachable_from_the_office_and_the_api(code: str) -> None:
    action = ACTIONS[code]
    # An action on one side only must say why.
    assert bool(action.only) == (action.form is None or action.api is None), code
    if action.form is not None:
        assert issubclass(action.form, ActionForm)
        assert resolve(reverse("office:case_act", args=[1, code])).func is case_act
    if action.api is not None:
        if action.api.body is not None:
            assert issubclass(getattr(schemas, action.api.body), schemas.Body)
        operation = api.get_openapi_schema()["paths"][
            f"/api/v1/cases/{{case_id}}/{action.api.path}"
        ]
        assert operation["post"]["operationId"] == f"xiaoneng_api_endpoints_cases_case_{code}"
        assert operation["post"]["summary"] == action.api.summary
        assert resolve(f"/api/v1/cases/1/{action.api.path}").url_name == f"case_{code}"


def test_an_unknown_action_is_not_found_on_either_side(users, hotline_case) -> None:
    client = Client()
    client.force_login(users["xiaoneng"])
    office = client.post(reverse("office:case_act", args=[hotline_case.pk, "fly"]))
    assert office.status_code == 404
    response = client.post(
        f"/api/v1/cases/{hotline_case.pk}/fly", {}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.fixture
def ended(request, users, hotline_case, basic, finance) -> Case:
    """A case that went through dispatch and signing, then was withdrawn (marked invalid for
    ``withdraw`` itself, which a repeat would answer with the case unchanged): no action left."""
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic, assisting=[finance])
    case_sign_for(case=hotline_case, by=users["handler_a"])
    if request.node.callspec.params["code"] == "withdraw":
        case_invalidate(case=hotline_case, by=users["xiaoneng"], reason="重复来电")
    else:
        case_withdraw(case=hotline_case, by=users["xiaoneng"], reason="诉求人撤回")
    return Case.objects.get(pk=hotline_case.pk)


@pytest.fixture
def other(users, category) -> Case:
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=category,
        content="另一件诉求。",
        requester_name="李家长",
        requester_phone="13800001111",
    ).case


def _inputs(code: str, *, basic, finance, handler, other) -> tuple[dict, dict | None]:
    """Valid input for each action: the office form's fields and the API's body."""
    text = {"reason": "理由", "basis": "依据"}
    found = {
        "accept": ({}, None),
        "answer_directly": ({"reply": "已答复"}, {"reply": "已答复"}),
        "dispatch": ({"lead": basic.pk}, {"lead_department": basic.pk}),
        "sign_for": ({}, None),
        "assign_handler": ({"handler": handler.pk}, {"handler": handler.pk}),
        "assist_opinion": ({"opinion": "agree"}, {"department": finance.pk, "opinion": "agree"}),
        "request_return": (text, text),
        "decide_return": (
            {"decision": "reject", "note": "由本科室办理"},
            {"accept": False, "note": "由本科室办理"},
        ),
        "request_extension": ({**text, "extra_units": 2}, {**text, "extra_units": 2}),
        "decide_extension": ({"decision": "approve"}, {"approve": True}),
        "suspend": ({"reason": "等待材料"}, {"reason": "等待材料"}),
        "resume": ({"note": "材料已到"}, {"note": "材料已到"}),
        "save_reply_draft": ({"text": "答复草稿"}, {"text": "答复草稿"}),
        "reply": ({"text": "答复内容"}, {"text": "答复内容"}),
        "recall_reply": ({}, None),
        "review_reply": ({"decision": "approve"}, {"approve": True}),
        "rate": (
            {"satisfaction": "satisfied", "resolved": "yes"},
            {"satisfaction": "satisfied", "resolved": True},
        ),
        "reopen": ({"note": "重办"}, {"note": "重办"}),
        "close": ({"note": "办结"}, {"note": "办结"}),
        "withdraw": ({"reason": "撤回"}, {"reason": "撤回"}),
        "invalidate": ({"reason": "无效"}, {"reason": "无效"}),
        "merge": ({"into": other.number}, {"into": other.pk}),
    }
    assert set(found) == set(ACTIONS)  # a new action brings its sample input here
    return found[code]


# Who asks: the efficiency office, unless only the lead department may take the action (its
# service says so before it looks at the state).
ACTORS = {
    "request_return": "handler_a",
    "request_extension": "handler_a",
    "suspend": "handler_a",
    "resume": "handler_a",
    "save_reply_draft": "handler_a",
    "reply": "handler_a",
    "recall_reply": "handler_a",
    "review_reply": "head",
    "assist_opinion": "finance_head",
}
# Actions whose service refuses for another reason before it looks at the state.
EARLIER_REFUSALS = {
    # Withdrawing the case withdrew the opinions still awaited.
    "assist_opinion": "This department has already given its opinion.",
}


@pytest.mark.parametrize("code", list(ACTIONS))
def test_an_action_out_of_its_state_is_refused_clearly_on_both_sides(
    code, users, ended, other, basic, finance, staff_of
) -> None:
    """Each row reaches its service from both sides, which refuses it with the same words."""
    office_input, body = _inputs(
        code, basic=basic, finance=finance, handler=staff_of("handler_a"), other=other
    )
    refusal = EARLIER_REFUSALS.get(code)
    client = Client()
    client.force_login(users[ACTORS.get(code, "xiaoneng")])
    with translation.override("zh-hans"):
        if refusal is None:
            state, label = State(ended.state).label, ACTION_LABELS[code]
            expected = f"该工单当前状态为“{state}”，现在不能{label}。"
            assert expected.startswith(("该工单当前状态为“已撤回”", "该工单当前状态为“无效”"))
        else:
            expected = str(translation.gettext(refusal))

    page = client.post(reverse("office:case_act", args=[ended.pk, code]), office_input, **HTMX)
    assert page.status_code == 200
    assert expected in page.content.decode(), code

    response = client.post(
        f"/api/v1/cases/{ended.pk}/{ACTIONS[code].api.path}",
        body or {},
        content_type="application/json",
    )
    if refusal is None:
        assert response.status_code == 409, response.content.decode()
        assert response.json()["code"] == "illegal_transition"
    assert response.json()["message"] == expected
    assert Case.objects.get(pk=ended.pk).state == ended.state
