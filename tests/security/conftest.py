from __future__ import annotations

from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "otp: keep the second factor required (XIAONENG_REQUIRE_OTP)"
    )


PROBE = {
    "title": "探针标题QX7",
    "content": "探针诉求正文QX7，请核查。",
    "requester_name": "探针人甲乙",
    "requester_phone": "13912345678",
    "reply": "探针答复正文QX7，已核实处理。",
}


@pytest.fixture
def probe(users) -> dict[str, Any]:
    """A replied case led by 办公室, the department the administrators' staff records sit in,
    with an attachment: what an administrator must never see."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xiaoneng.cases import clocks
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import (
        attachment_add,
        case_dispatch,
        case_register,
        case_reply,
        case_sign_for,
    )
    from xiaoneng.notify.models import Notification
    from xiaoneng.org.models import Department

    registered = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title=PROBE["title"],
        content=PROBE["content"],
        requester_name=PROBE["requester_name"],
        requester_phone=PROBE["requester_phone"],
    )
    office = Department.objects.get(unit__code="bureau", code="office")
    case = case_dispatch(case=registered.case, by=users["intake"], lead=office)
    case = case_sign_for(case=case, by=users["office_head"])
    attachment = attachment_add(
        case=case, file=SimpleUploadedFile("探针.pdf", b"%PDF-1.4 probe"), by=users["intake"]
    )
    case = case_reply(case=case, by=users["office_head"], text=PROBE["reply"])
    case.refresh_from_db()
    return {
        "case": case,
        "attachment": attachment,
        "clock": clocks.current(case=case, stage=clocks.REPLY),
        "notification": Notification.objects.filter(
            case_number=case.number, channel=Notification.Channel.INBOX
        ).first(),
        "secrets": [*PROBE.values(), case.tracking_code],
    }
