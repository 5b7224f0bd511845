"""A case created by an integration client and followed through its whole lifecycle by API."""

from __future__ import annotations

from datetime import datetime

import pytest

from xiaoneng.cases.models import Case
from xiaoneng.org.models import Department, Staff

pytestmark = pytest.mark.django_db


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_create_and_follow_through_the_lifecycle(hotline, staff_api, new_case) -> None:
    basic = Department.objects.get(unit__code="bureau", code="basic")
    head, handler, office = staff_api("head"), staff_api("handler_a"), staff_api("xiaoneng")

    created = ok(hotline.post("/cases", new_case), 201)
    assert created["created"] is True
    assert created["tracking_secret"]
    # The 201 is lean: number, tracking code, state, due time and the link to the full case.
    lean = created["case"]
    case_id = lean["id"]
    assert lean["state"] == "registered"
    assert lean["number"].startswith("XN")
    assert lean["tracking_code"]
    assert lean["due_at"]
    assert lean["url"] == f"/api/v1/cases/{case_id}"
    case = ok(hotline.get(f"/cases/{case_id}"))
    assert case["clocks"][0]["stage"] == "reply"
    due = datetime.fromisoformat(case["clocks"][0]["due_at"].replace("Z", "+00:00"))
    assert due == datetime.fromisoformat(lean["due_at"].replace("Z", "+00:00"))
    assert case["clocks"][0]["explanation"]
    # It waits in the bureau's intake pool: the client cannot act on it, the pool's worker can.
    assert "dispatch" not in case["actions"]
    intake = staff_api("intake")
    assert ok(intake.get(f"/cases/{case_id}"))["actions"][:2] == ["accept", "answer_directly"]
    case = ok(intake.post(f"/cases/{case_id}/accept"))
    assert "dispatch" in case["actions"]

    case = ok(intake.post(f"/cases/{case_id}/dispatch", {"lead_department": basic.pk}))
    assert case["state"] == "dispatched"
    assert case["lead_department_name"] == basic.name

    case = ok(head.post(f"/cases/{case_id}/sign-for"))
    assert case["state"] == "in_progress"
    assert "suspend" in ok(handler.get(f"/cases/{case_id}"))["actions"]

    case = ok(handler.post(f"/cases/{case_id}/suspend", {"reason": "等待家长补充材料"}))
    assert case["state"] == "suspended"
    case = ok(handler.post(f"/cases/{case_id}/resume", {"note": "材料已补充"}))
    assert case["state"] == "in_progress"

    extension = {"reason": "需调取招生档案", "basis": "12345 工作规则", "extra_units": 3}
    ok(handler.post(f"/cases/{case_id}/request-extension", extension))
    case = ok(office.post(f"/cases/{case_id}/decide-extension", {"approve": True}))
    assert [e["action"] for e in case["timeline"]][-1] == "approve_extension"

    case = ok(handler.post(f"/cases/{case_id}/reply", {"text": "经核查，该校已退还费用。"}))
    assert case["reply_pending_review"] is True
    case = ok(head.post(f"/cases/{case_id}/review-reply", {"approve": True}))
    assert case["state"] == "replied"

    rating = {"satisfaction": "unsatisfied", "resolved": False}
    case = ok(office.post(f"/cases/{case_id}/rate", rating))
    assert case["state"] == "reopen_review"
    case = ok(office.post(f"/cases/{case_id}/reopen", {"note": "未全额退还，请重办"}))
    assert case["state"] == "in_progress"
    assert case["reopen_count"] == 1
    case = ok(head.post(f"/cases/{case_id}/reply", {"text": "已督促学校全额退还。"}))
    assert case["state"] == "replied"
    case = ok(office.post(f"/cases/{case_id}/close", {"note": "回访无果，按未评价办结"}))
    assert case["state"] == "closed"

    # The client that registered it follows it to the end, with the public timeline only.
    final = ok(hotline.get(f"/cases/{case_id}"))
    assert final["state"] == "closed"
    actions = [event["action"] for event in final["timeline"]]
    assert actions[:4] == ["register", "accept", "dispatch", "sign_for"]
    assert "reply_drafted" not in actions  # not public
    assert all(clock["stopped_at"] for clock in final["clocks"])


def test_return_requested_and_rejected(hotline, staff_api, new_case) -> None:
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case_id = ok(hotline.post("/cases", new_case), 201)["case"]["id"]
    ok(staff_api("intake").post(f"/cases/{case_id}/dispatch", {"lead_department": basic.pk}))
    head, office = staff_api("head"), staff_api("xiaoneng")
    case = ok(
        head.post(f"/cases/{case_id}/request-return", {"reason": "非本科职能", "basis": "三定方案"})
    )
    assert case["state"] == "return_requested"
    case = ok(
        office.post(f"/cases/{case_id}/decide-return", {"accept": False, "note": "属本科职能"})
    )
    assert case["state"] == "in_progress"


def test_assign_assist_merge_withdraw_invalidate(hotline, staff_api, new_case) -> None:
    basic = Department.objects.get(unit__code="bureau", code="basic")
    safety = Department.objects.get(unit__code="bureau", code="safety")
    office, head = staff_api("xiaoneng"), staff_api("head")
    first = ok(hotline.post("/cases", new_case), 201)["case"]["id"]
    dispatch = {"lead_department": basic.pk, "assisting": [safety.pk]}
    ok(staff_api("intake").post(f"/cases/{first}/dispatch", dispatch))
    ok(head.post(f"/cases/{first}/sign-for"))
    handler_b = Staff.objects.get(user__username="handler_b")
    case = ok(head.post(f"/cases/{first}/assign-handler", {"handler": handler_b.pk}))
    assert case["handler"] == str(handler_b)
    safety_head = staff_api("safety_head")
    assist = {"department": safety.pk, "opinion": "agree"}
    case = ok(safety_head.post(f"/cases/{first}/assist-opinion", assist))
    assert case["assists"][0]["opinion"] == "agree"

    second = ok(hotline.post("/cases", {**new_case, "external_number": "x-2"}), 201)["case"]["id"]
    case = ok(office.post(f"/cases/{second}/merge", {"into": first, "reason": "重复"}))
    assert case["state"] == "merged"
    assert case["merged_into"] == Case.objects.get(pk=first).number

    third = ok(hotline.post("/cases", {**new_case, "external_number": "x-3"}), 201)["case"]["id"]
    assert (
        ok(office.post(f"/cases/{third}/withdraw", {"reason": "来电撤回"}))["state"] == "withdrawn"
    )
    fourth = ok(hotline.post("/cases", {**new_case, "external_number": "x-4"}), 201)["case"]["id"]
    case = ok(office.post(f"/cases/{fourth}/invalidate", {"reason": "无实际内容"}))
    assert case["state"] == "invalid"

    fifth = ok(hotline.post("/cases", {**new_case, "external_number": "x-5"}), 201)["case"]["id"]
    case = ok(
        staff_api("intake").post(f"/cases/{fifth}/answer-directly", {"reply": "已解答政策。"})
    )
    assert case["state"] == "replied"


def test_list_filters_and_cursor_pagination(hotline, new_case) -> None:
    for n in range(5):
        kind = "inquiry" if n % 2 else "complaint"
        body = {**new_case, "external_number": f"p-{n}", "kind": kind}
        ok(hotline.post("/cases", body), 201)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = ok(hotline.get("/cases", **params))
        seen += [row["id"] for row in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert seen == sorted(seen, reverse=True)
    inquiries = ok(hotline.get("/cases", kind="inquiry"))["items"]
    assert len(inquiries) == 2
    assert ok(hotline.get("/cases", external_number="p-3"))["items"][0]["kind"] == "inquiry"
    assert ok(hotline.get("/cases", category="fees"))["items"] == []
    later = ok(hotline.get("/cases", registered_after="2100-01-01T00:00:00"))["items"]
    assert later == []


def test_notifications_read_and_ack(staff_api, hotline, new_case) -> None:
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case_id = ok(hotline.post("/cases", new_case), 201)["case"]["id"]
    ok(staff_api("intake").post(f"/cases/{case_id}/dispatch", {"lead_department": basic.pk}))
    head = staff_api("head")
    inbox = ok(head.get("/notifications", unread=True))
    assert inbox
    first = inbox[0]["id"]
    acked = ok(head.post(f"/notifications/{first}/ack"))
    assert acked["read_at"]
    assert first not in [row["id"] for row in ok(head.get("/notifications", unread=True))]
    # Someone else's message is not found.
    assert staff_api("xiaoneng").post(f"/notifications/{first}/ack").status_code == 404
