"""Each automatic trigger, driven through the real case services, records exactly one
violation; running it again (or the sweeper again) records no second one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from xiaoneng.accountability.models import Violation
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Satisfaction
from xiaoneng.cases.services import (
    case_decide_return,
    case_dispatch,
    case_rate,
    case_reopen,
    case_reply,
    case_request_return,
    case_review_reply,
    case_sign_for,
)
from xiaoneng.cases.sweeps import sweep

pytestmark = pytest.mark.django_db


def kinds() -> list[str]:
    return sorted(Violation.objects.values_list("kind", flat=True))


def test_red_card(users, hotline_case, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.REPLY))
    sweep(now=marks.grace_due_at + timedelta(minutes=1))
    sweep(now=marks.grace_due_at + timedelta(minutes=2))
    assert kinds() == ["red_card"]
    violation = Violation.objects.get()
    assert violation.case == case
    assert violation.status == Violation.Status.PENDING
    assert violation.unit_id == case.unit_id


def test_late_sign_for_by_the_sweeper_and_the_late_signature_count_once(
    users, hotline_case, basic
) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.SIGN_FOR))
    sweep(now=marks.due_at + timedelta(minutes=1))
    assert kinds() == ["late_sign_for"]
    case_sign_for(case=case, by=users["handler_a"])
    assert kinds() == ["late_sign_for"]


def test_rejected_return(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_request_return(case=case, by=users["head"], reason="不归我管", basis="职责")
    case_decide_return(case=case, by=users["xiaoneng"], accept=False, note="属本科职责")
    assert kinds() == ["buck_passing"]


def test_second_notice(users, demo_org) -> None:
    from xiaoneng.applications.services import (
        application_check_materials,
        application_register,
        application_second_notice,
    )
    from xiaoneng.catalog.guides import ServiceItem
    from xiaoneng.demo.guides import demo_guides_load

    demo_guides_load()
    item = ServiceItem.objects.get(code="teacher-cert")
    application = application_register(
        by=users["intake"], item=item, requester_name="林小雨", requester_phone="13800001111"
    )
    ids = {m.name: m.pk for m in application.service_item_version.materials.all()}
    case = application.case
    application_check_materials(
        case=case, provided=[pk for n, pk in ids.items() if n != "个人承诺书"], by=users["intake"]
    )
    application_second_notice(
        case=case, items=[ids["学历证书"]], reason="原件模糊", by=users["intake"]
    )
    assert kinds() == ["second_notice"]


def test_unfiled_denial_when_an_application_passes_its_promised_time(users, demo_org) -> None:
    from xiaoneng.applications.services import application_register
    from xiaoneng.catalog.guides import ServiceItem
    from xiaoneng.demo.guides import demo_guides_load

    demo_guides_load()
    item = ServiceItem.objects.get(code="teacher-cert")
    application = application_register(
        by=users["intake"], item=item, requester_name="林小雨", requester_phone="13800001111"
    )
    case = application.case
    reply = clocks.current(case=case, stage=clocks.REPLY)
    marks = clocks.thresholds(reply)
    sweep(now=marks.due_at + timedelta(minutes=1))
    sweep(now=marks.due_at + timedelta(minutes=2))
    unfiled = Violation.objects.filter(kind=Violation.Kind.UNFILED_DENIAL)
    assert unfiled.count() == 1
    assert unfiled.get().case == case


def test_no_unfiled_denial_when_the_overdue_filing_was_made(users, demo_org) -> None:
    from xiaoneng.applications.services import application_file_overdue, application_register
    from xiaoneng.catalog.guides import ServiceItem
    from xiaoneng.demo.guides import demo_guides_load

    demo_guides_load()
    item = ServiceItem.objects.get(code="teacher-cert")
    application = application_register(
        by=users["intake"], item=item, requester_name="林小雨", requester_phone="13800001111"
    )
    case = application.case
    application_file_overdue(case=case, by=users["intake"], reason="需现场核查", basis="行政许可法")
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.REPLY))
    sweep(now=marks.due_at + timedelta(minutes=1))
    assert not Violation.objects.filter(kind=Violation.Kind.UNFILED_DENIAL).exists()


def test_fault_confirmed_dissatisfaction(users, hotline_case, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    case = case_reply(case=case, by=users["handler_a"], text="已核查处理。")
    case = case_review_reply(case=case, by=users["head"], approve=True)
    case = case_rate(case=case, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    with translation.override("en"):
        case_reopen(case=case, by=users["xiaoneng"], note="未解决，请重办")
    assert kinds() == ["fault_dissatisfaction"]
    assert Violation.objects.get().staff is not None
