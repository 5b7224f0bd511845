"""Applications through the services: the one-time notice, the clock stopping and resuming,
the second-notice violation, acceptance, decisions, denial filings and their review."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoneng.accountability.filings import denial_filing_review
from xiaoneng.accountability.models import DenialFiling, Violation
from xiaoneng.applications.models import Application, MaterialCheck
from xiaoneng.applications.services import (
    ACCEPTANCE,
    application_check_materials,
    application_decide,
    application_decide_acceptance,
    application_extend,
    application_file_overdue,
    application_register,
    application_second_notice,
    application_supplement,
)
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases import clocks
from xiaoneng.cases.states import State
from xiaoneng.catalog.guide_services import guide_draft_save, guide_publish
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.fixture
def teacher_cert(guides) -> ServiceItem:
    return ServiceItem.objects.get(code="teacher-cert")


def materials(application: Application) -> dict[str, int]:
    return {m.name: m.pk for m in application.service_item_version.materials.all()}


def register(users, item: ServiceItem) -> Application:
    return application_register(
        by=users["intake"],
        item=item,
        requester_name="林小雨",
        requester_phone="13800001111",
        requester_id_number="110101199001011234",
    )


def provided_except(application: Application, *missing: str) -> list[int]:
    return [pk for name, pk in materials(application).items() if name not in missing]


def test_register_binds_the_published_guide_and_the_committed_limit(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    assert case.kind == "application"
    assert case.lead_department.code == "personnel"
    assert application.service_item_version.number == 1
    reply = clocks.current(case=case, stage=clocks.REPLY)
    assert reply.limit == 15  # committed, under the statutory 20
    acceptance = clocks.current(case=case, stage=ACCEPTANCE)
    assert acceptance.state == Clock.State.RUNNING
    assert acceptance.limit == 5


def test_two_missing_materials_give_one_notice_and_stop_the_clock(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    missing = ("普通话水平测试等级证书", "教师资格认定体检表")
    notice = application_check_materials(
        case=application.case, provided=provided_except(application, *missing), by=users["intake"]
    )
    assert notice.sequence == 1
    assert [item.split("（")[0] for item in notice.items] == list(missing)
    case = application.case
    case.refresh_from_db()
    application.refresh_from_db()
    assert case.state == State.SUSPENDED
    assert application.stage == Application.Stage.AWAITING_SUPPLEMENT
    assert clocks.current(case=case, stage=clocks.REPLY).state == Clock.State.PAUSED
    assert clocks.current(case=case, stage=ACCEPTANCE).state == Clock.State.STOPPED
    # Checking again is refused: anything asked for now is a second notice.
    with pytest.raises(DomainError, match="second notice"):
        application_check_materials(case=case, provided=[], by=users["intake"])

    application_supplement(case=case, by=users["intake"])
    case.refresh_from_db()
    application.refresh_from_db()
    assert case.state == State.REGISTERED
    assert application.stage == Application.Stage.COMPLETE
    reply = clocks.current(case=case, stage=clocks.REPLY)
    assert reply.state == Clock.State.RUNNING
    # The licence policy restarts the whole period after a supplement.
    assert reply.pauses.get().restart is True
    assert case.events.filter(action="resume", data__restart=True).exists()
    assert clocks.current(case=case, stage=ACCEPTANCE).state == Clock.State.RUNNING
    statuses = set(application.material_checks.values_list("status", flat=True))
    assert MaterialCheck.Status.MISSING not in statuses


def test_complete_materials_need_no_notice_and_can_be_accepted_and_approved(
    users, teacher_cert
) -> None:
    application = register(users, teacher_cert)
    case = application.case
    assert (
        application_check_materials(
            case=case, provided=materials(application).values(), by=users["intake"]
        )
        is None
    )
    application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    assert clocks.current(case=case, stage=ACCEPTANCE).state == Clock.State.STOPPED
    application_decide(case=case, approve=True, by=users["personnel_head"])
    case.refresh_from_db()
    assert case.state == State.REPLIED
    assert "准予许可" in case.reply_text
    assert not DenialFiling.objects.exists()


def test_accepting_with_materials_missing_is_refused(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    application_check_materials(
        case=case, provided=provided_except(application, "个人承诺书"), by=users["intake"]
    )
    with pytest.raises(DomainError, match="not complete"):
        application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])


def test_second_notice_needs_a_reason_and_records_a_violation(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    ids = materials(application)
    application_check_materials(
        case=case, provided=provided_except(application, "个人承诺书"), by=users["intake"]
    )
    with pytest.raises(DomainError, match="reason"):
        application_second_notice(
            case=case, items=[ids["学历证书"]], reason=" ", by=users["intake"]
        )
    # Asking again for what the first notice listed is a reminder, not a second notice.
    with pytest.raises(DomainError, match="already in the one-time notice"):
        application_second_notice(
            case=case, items=[ids["个人承诺书"]], reason="再次提醒", by=users["intake"]
        )
    assert not Violation.objects.exists()

    notice = application_second_notice(
        case=case, items=[ids["学历证书"]], reason="原件模糊无法核验", by=users["intake"]
    )
    assert notice.sequence == 2
    assert notice.is_second
    violation = Violation.objects.get()
    assert violation.kind == Violation.Kind.SECOND_NOTICE
    assert violation.case == case
    assert "学历证书" in violation.description
    assert case.events.filter(action="second_notice").exists()
    # The second notice does not buy the unit time: the clock is not paused again.
    assert clocks.current(case=case, stage=clocks.REPLY).pauses.count() == 1


def test_second_notice_after_a_complete_check_is_a_violation_too(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    ids = materials(application)
    application_check_materials(case=case, provided=ids.values(), by=users["intake"])
    application_second_notice(
        case=case, items=[ids["个人承诺书"]], reason="承诺书未签字", by=users["intake"]
    )
    assert Violation.objects.filter(kind=Violation.Kind.SECOND_NOTICE).count() == 1
    application.refresh_from_db()
    assert application.stage == Application.Stage.AWAITING_SUPPLEMENT
    case.refresh_from_db()
    assert case.state == State.REGISTERED  # not suspended


def test_refusing_acceptance_without_reason_or_basis_saves_nothing(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    for reason, basis in (("", "《教师资格条例》第六条"), ("不属于本机关职责", "")):
        with pytest.raises(DomainError, match="reason and legal basis"):
            application_decide_acceptance(
                case=case, accept=False, by=users["personnel_head"], reason=reason, basis=basis
            )
    application.refresh_from_db()
    case.refresh_from_db()
    assert application.stage == Application.Stage.CHECKING
    assert case.state == State.REGISTERED
    assert not DenialFiling.objects.exists()


def test_refusing_a_licence_files_it_and_the_efficiency_office_reviews(
    users, teacher_cert, staff_of
) -> None:
    application = register(users, teacher_cert)
    case = application.case
    application_check_materials(
        case=case, provided=materials(application).values(), by=users["intake"]
    )
    application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])
    with pytest.raises(DomainError):
        application_decide(case=case, approve=False, by=users["personnel_head"])
    application_decide(
        case=case,
        approve=False,
        by=users["personnel_head"],
        reason="申请人学历不符合认定高级中学教师资格的要求",
        basis="《中华人民共和国教师法》第十一条",
        head_opinion="同意不予许可",
    )
    case.refresh_from_db()
    assert case.state == State.REPLIED
    assert "不予许可" in case.reply_text
    filing = DenialFiling.objects.get()
    assert filing.kind == DenialFiling.Kind.NOT_APPROVED
    assert filing.handler == staff_of("personnel_head")
    assert filing.applicant == "林小雨"
    assert "教师资格认定" in filing.matter
    assert filing.review_due_at > filing.filed_at
    assert AuditEntry.objects.filter(action="accountability.denial_filing.create").exists()

    with pytest.raises(PermissionDenied):
        denial_filing_review(filing=filing, upheld=True, by=users["personnel_head"])
    with pytest.raises(DomainError, match="instruction"):
        denial_filing_review(filing=filing, upheld=False, by=users["xiaoneng"])
    filing = denial_filing_review(
        filing=filing, upheld=False, instruction="重新审查学历认证材料", by=users["xiaoneng"]
    )
    assert filing.status == DenialFiling.Status.OVERTURNED
    assert filing.reviewed_by == staff_of("xiaoneng")
    assert not filing.reviewed_late
    with pytest.raises(DomainError, match="already been reviewed"):
        denial_filing_review(filing=filing, upheld=True, by=users["xiaoneng"])


def test_overdue_filing_and_head_extension(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    case = application.case
    application_check_materials(
        case=case, provided=materials(application).values(), by=users["intake"]
    )
    application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])
    with pytest.raises(PermissionDenied):
        application_extend(case=case, days=10, reason="需实地核查", by=users["intake"])
    with pytest.raises(DomainError):
        application_extend(case=case, days=11, reason="需实地核查", by=users["personnel_head"])
    before = clocks.current(case=case, stage=clocks.REPLY).due_at
    application_extend(case=case, days=10, reason="需实地核查", by=users["personnel_head"])
    assert clocks.current(case=case, stage=clocks.REPLY).due_at > before
    filing = application_file_overdue(
        case=case,
        by=users["personnel_head"],
        reason="专家评审未完成",
        basis="《行政许可法》第四十五条",
    )
    assert filing.kind == DenialFiling.Kind.OVERDUE


def test_a_new_guide_version_does_not_alter_a_running_application(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    old = application.service_item_version
    fields = {
        name: getattr(old, name)
        for name in (
            "name",
            "item_type",
            "legal_basis",
            "conditions",
            "process_steps",
            "statutory_limit",
            "fees",
            "fee_basis",
            "window_address",
            "window_hours",
            "enquiry_phone",
            "supervision_phone",
            "online",
        )
    }
    fields["committed_limit"] = 10
    rows = [{"name": "申请人身份证", "copies": 1, "form": "both"}]
    guide_publish(
        version=guide_draft_save(item=teacher_cert, fields=fields, materials=rows),
        by=users["sysadmin"],
    )
    application.refresh_from_db()
    assert application.service_item_version == old
    assert application.service_item_version.materials.count() == 7
    assert clocks.current(case=application.case, stage=clocks.REPLY).limit == 15
    newer = register(users, teacher_cert)
    assert newer.service_item_version.number == 2
    assert clocks.current(case=newer.case, stage=clocks.REPLY).limit == 10


def test_people_outside_the_item_cannot_check_materials(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    with pytest.raises(PermissionDenied):
        application_check_materials(case=application.case, provided=[], by=users["handler_a"])


def test_the_efficiency_office_does_not_handle_applications(users, teacher_cert) -> None:
    application = register(users, teacher_cert)
    with pytest.raises(PermissionDenied):
        application_check_materials(case=application.case, provided=[], by=users["xiaoneng"])
