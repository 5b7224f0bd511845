"""Every case action says what really happened, in the user's words (Chinese by default)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.cases.actions import ACTIONS, action_message, last_event_id
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import (
    case_answer_directly,
    case_assign_handler,
    case_assist_opinion,
    case_close,
    case_decide_extension,
    case_decide_return,
    case_dispatch,
    case_invalidate,
    case_merge,
    case_rate,
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
)
from xiaoneng.cases.states import ALLOWED_FROM


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _said(case: Case, action: str, run) -> str:
    after = last_event_id(case)
    run()
    return action_message(action, _fresh(case), after_event_id=after)


@pytest.fixture
def signed(hotline_case, basic, finance, users) -> Case:
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic, assisting=[finance])
    case_sign_for(case=hotline_case, by=users["handler_a"])
    return _fresh(hotline_case)


def _extension(case, users):
    case_request_extension(
        case=case, by=users["handler_a"], reason="需会商", basis="规则", extra_units=2
    )


def _return(case, users):
    case_request_return(case=case, by=users["handler_a"], reason="非本科室职责", basis="三定")


def test_every_action_has_a_message_for_each_outcome():
    assert set(ACTIONS) == set(ALLOWED_FROM)


def test_messages_name_the_department_in_the_readers_language(hotline_case, basic, users):
    from django.utils import translation

    with translation.override("en"):
        said = _said(
            hotline_case,
            "dispatch",
            lambda: case_dispatch(case=hotline_case, by=users["intake"], lead=basic),
        )
    assert said.endswith("Dispatched to Basic Education Section; it now has to sign for the case.")


def test_intake_and_dispatch_messages(hotline_case, basic, users, category):
    said = _said(
        hotline_case,
        "dispatch",
        lambda: case_dispatch(case=hotline_case, by=users["intake"], lead=basic),
    )
    assert said == f"{hotline_case.number}：已派单至基础教育科，等待签收。"
    said = _said(
        hotline_case,
        "sign_for",
        lambda: case_sign_for(case=hotline_case, by=users["handler_a"]),
    )
    assert "已签收，工单由基础教育科办理。" in said
    other = case_register(
        by=users["intake"],
        channel="phone",
        kind="inquiry",
        category=category,
        title="咨询",
        content="入学政策咨询。",
        requester_name="李家长",
        requester_phone="13900000000",
    ).case
    said = _said(
        other,
        "answer_directly",
        lambda: case_answer_directly(case=other, by=users["intake"], reply="已答复。"),
    )
    assert "已直接答复，答复已发送给诉求人。" in said


def test_reply_draft_review_and_rating_messages(signed, users, staff_of):
    said = _said(
        signed, "reply", lambda: case_reply(case=signed, by=users["handler_a"], text="已处理。")
    )
    assert said.endswith("答复稿已提交负责人审核。")
    assert "已完成" not in said
    said = _said(
        signed,
        "review_reply",
        lambda: case_review_reply(case=signed, by=users["head"], approve=False, note="补充依据"),
    )
    assert said.endswith("答复稿已退回承办人修改。")
    said = _said(
        signed, "reply", lambda: case_reply(case=signed, by=users["head"], text="已处理。")
    )
    # The head's own reply goes out at once; the pending assisting opinion is withdrawn.
    assert "答复已发送给诉求人，进入评价期。" in said
    assert "尚未反馈的协办意见征询已撤回。" in said
    said = _said(
        signed,
        "rate",
        lambda: case_rate(case=signed, satisfaction="unsatisfied", resolved=False),
    )
    assert said.endswith("已记录不满意评价，工单转入重办审核。")
    said = _said(
        signed,
        "reopen",
        lambda: case_reopen(case=signed, by=users["xiaoneng"], note="未解决"),
    )
    assert said.endswith("工单已重办，交回基础教育科并重新计时。")


def test_review_approved_and_close_messages(signed, users):
    case_reply(case=signed, by=users["handler_a"], text="已处理。")
    said = _said(
        signed,
        "review_reply",
        lambda: case_review_reply(case=signed, by=users["head"], approve=True),
    )
    assert "答复已审核通过并发送给诉求人。" in said
    said = _said(
        signed, "rate", lambda: case_rate(case=signed, satisfaction="satisfied", resolved=True)
    )
    assert said.endswith("评价已记录，工单已办结。")


def test_close_after_reopen_review(signed, users):
    case_reply(case=signed, by=users["head"], text="已处理。")
    case_rate(case=signed, satisfaction="unsatisfied", resolved=False)
    said = _said(signed, "close", lambda: case_close(case=signed, by=users["xiaoneng"]))
    assert said.endswith("工单已办结。")


def test_extension_messages(signed, users):
    said = _said(signed, "request_extension", lambda: _extension(signed, users))
    assert said.endswith("延期申请已提交，等待效能办审批。")
    said = _said(
        signed,
        "decide_extension",
        lambda: case_decide_extension(case=signed, by=users["xiaoneng"], approve=True),
    )
    assert "延期已批准，答复期限延至20" in said
    _extension(signed, users)
    said = _said(
        signed,
        "decide_extension",
        lambda: case_decide_extension(case=signed, by=users["xiaoneng"], approve=False),
    )
    assert said.endswith("延期申请已驳回，原办理时限不变。")


def test_return_messages_say_what_was_withdrawn_and_filed(signed, users, safety):
    _extension(signed, users)
    said = _said(signed, "request_return", lambda: _return(signed, users))
    assert "退回申请已提交，等待效能办裁定。" in said
    assert "待审批的延期申请已撤回。" in said
    said = _said(
        signed,
        "decide_return",
        lambda: case_decide_return(case=signed, by=users["xiaoneng"], accept=False, note="属职责"),
    )
    assert "已驳回退回申请" in said
    assert "推诿扯皮违规记录，待效能办审核" in said
    _return(signed, users)
    said = _said(
        signed,
        "decide_return",
        lambda: case_decide_return(
            case=signed, by=users["xiaoneng"], accept=True, note="同意", new_lead=safety
        ),
    )
    assert "已同意退回，工单已改派至安全稳定科。" in said
    assert "尚未反馈的协办意见征询已撤回。" in said


def test_handling_messages(signed, users, finance, staff_of):
    said = _said(
        signed,
        "assign_handler",
        lambda: case_assign_handler(case=signed, by=users["head"], handler=staff_of("handler_b")),
    )
    assert said.endswith("已指定赵强为承办人。")
    said = _said(
        signed,
        "assist_opinion",
        lambda: case_assist_opinion(
            case=signed, by=finance.head.user, department=finance, opinion="agree"
        ),
    )
    assert said.endswith("协办意见已提交主办单位。")
    said = _said(
        signed,
        "suspend",
        lambda: case_suspend(case=signed, by=users["handler_a"], reason="等待材料"),
    )
    assert said.endswith("工单已中止办理，办理时限暂停计算，恢复办理后继续计算。")
    said = _said(signed, "resume", lambda: case_resume(case=signed, by=users["handler_a"]))
    assert said.endswith("工单已恢复办理，办理时限继续计算。")


def test_ending_messages(signed, users, category):
    _extension(signed, users)
    said = _said(
        signed, "withdraw", lambda: case_withdraw(case=signed, by=users["xiaoneng"], reason="撤回")
    )
    assert "工单已撤销，办理时限停止计算。" in said
    assert "待审批的延期申请已撤回。" in said

    def another():
        return case_register(
            by=users["intake"],
            channel="phone",
            kind="complaint",
            category=category,
            title="重复",
            content="重复反映同一问题。",
            requester_name="王家长",
            requester_phone="13900000001",
        ).case

    first, second, target = another(), another(), another()
    said = _said(
        first,
        "invalidate",
        lambda: case_invalidate(case=first, by=users["xiaoneng"], reason="无效"),
    )
    assert said.endswith("工单已作无效处理，办理时限停止计算。")
    said = _said(
        second,
        "merge",
        lambda: case_merge(case=second, by=users["xiaoneng"], into=target),
    )
    assert said.endswith(f"工单已并入{target.number}。")


def test_the_office_flash_says_draft_submitted(client, demo_password, signed):
    client.login(username="handler_a", password=demo_password)
    response = client.post(
        reverse("office:case_act", args=[signed.pk, "reply"]), {"text": "已处理。"}, follow=True
    )
    body = response.content.decode()
    assert "答复稿已提交负责人审核。" in body
    assert "已完成" not in body


def test_the_return_decision_form_warns_before_it_is_sent(client, demo_password, signed, users):
    _return(signed, users)
    client.login(username="xiaoneng", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    assert 'data-testid="action-warning"' in body
    assert "驳回退回申请将对该科室及申请退回的人员生成一条推诿扯皮违规记录" in body
