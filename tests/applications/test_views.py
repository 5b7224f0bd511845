"""The office pages of applications: through the web form (the one-time notice, the
second-notice rule, the denial-filing rule) and filing review."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoneng.accountability.models import DenialFiling, Violation
from xiaoneng.applications.models import Application
from xiaoneng.cases import clocks
from xiaoneng.cases.states import State
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db
MISSING = ("普通话水平测试等级证书", "教师资格认定体检表")


@pytest.fixture(autouse=True)
def _english_messages() -> object:
    with translation.override("en"):
        yield


@pytest.fixture
def teacher_cert(guides) -> ServiceItem:
    return ServiceItem.objects.get(code="teacher-cert")


def login(client, username: str, password: str) -> None:
    assert client.login(username=username, password=password)


def apply_with_two_missing(client, item: ServiceItem) -> Application:
    version = item.versions.get(status="published")
    provided = [m.pk for m in version.materials.all() if m.name not in MISSING]
    response = client.post(
        reverse("catalog:application_new", args=[item.pk]),
        {"requester_name": "林小雨", "requester_phone": "13800001111", "provided": provided},
    )
    assert response.status_code == 302
    return Application.objects.select_related("case").latest("case__registered_at")


def test_application_from_the_office_notice_clock_supplement_and_refusal(
    client, demo_password, users, teacher_cert
) -> None:
    login(client, "intake", demo_password)
    application = apply_with_two_missing(client, teacher_cert)
    case = application.case
    notice = application.notices.get()
    assert [item.split("（")[0] for item in notice.items] == list(MISSING)
    assert case.state == State.SUSPENDED
    assert clocks.current(case=case, stage=clocks.REPLY).state == Clock.State.PAUSED
    page = client.get(reverse("catalog:application_detail", args=[case.pk])).content.decode()
    assert reverse("documents:notice", args=[notice.pk, "pdf"]) in page

    login(client, "personnel_head", demo_password)
    act = lambda action, **data: client.post(  # noqa: E731
        reverse("catalog:application_action", args=[case.pk, action]), data
    )
    assert act("supplement").status_code == 302
    case.refresh_from_db()
    assert case.state == State.REGISTERED
    assert clocks.current(case=case, stage=clocks.REPLY).state == Clock.State.RUNNING

    # A refusal without its reason and basis cannot be saved.
    act("not_accept", reason="", basis="")
    application.refresh_from_db()
    assert application.stage == Application.Stage.COMPLETE
    assert not DenialFiling.objects.exists()

    act("accept")
    act("deny", reason="学历不符合要求", basis="")
    application.refresh_from_db()
    assert application.stage == Application.Stage.ACCEPTED
    assert not DenialFiling.objects.exists()
    act("deny", reason="学历不符合要求", basis="《教师法》第十一条", head_opinion="同意")
    application.refresh_from_db()
    case.refresh_from_db()
    assert application.stage == Application.Stage.DENIED
    assert case.state == State.REPLIED
    filing = DenialFiling.objects.get()
    assert filing.head_opinion == "同意"

    login(client, "xiaoneng", demo_password)
    assert "学历不符合要求" in client.get(reverse("catalog:filing_list")).content.decode()
    client.post(
        reverse("catalog:filing_review", args=[filing.pk]), {"upheld": "0", "instruction": ""}
    )
    filing.refresh_from_db()
    assert filing.status == DenialFiling.Status.PENDING  # overturning needs an instruction
    client.post(reverse("catalog:filing_review", args=[filing.pk]), {"upheld": "1"})
    filing.refresh_from_db()
    assert filing.status == DenialFiling.Status.UPHELD


def test_second_notice_through_the_form_needs_a_reason_and_records_a_violation(
    client, demo_password, teacher_cert
) -> None:
    login(client, "intake", demo_password)
    application = apply_with_two_missing(client, teacher_cert)
    case = application.case
    diploma = application.service_item_version.materials.get(name="学历证书")
    url = reverse("catalog:application_action", args=[case.pk, "second_notice"])
    client.post(url, {"items": [diploma.pk], "reason": ""})
    assert not Violation.objects.exists()
    assert application.notices.count() == 1
    client.post(url, {"items": [diploma.pk], "reason": "复印件不清晰"})
    assert application.notices.count() == 2
    assert Violation.objects.get().kind == Violation.Kind.SECOND_NOTICE


def test_staff_outside_the_case_cannot_act(client, demo_password, teacher_cert) -> None:
    login(client, "intake", demo_password)
    case = apply_with_two_missing(client, teacher_cert).case
    login(client, "school_handler", demo_password)
    url = reverse("catalog:application_action", args=[case.pk, "supplement"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("catalog:application_detail", args=[case.pk])).status_code == 404
