"""Violations, sanctions and appeals: every service and transition, legal and illegal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.accountability.models import Appeal, Sanction, Violation
from xiaoneng.accountability.selectors import signals_counting, violations_counting
from xiaoneng.accountability.services import (
    appeal_decide,
    appeal_file,
    sanction_decide,
    sanction_suggest,
    signal_revoke,
    violation_attach_evidence,
    violation_record_manual,
    violation_review,
)
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Signal
from xiaoneng.cases.services import case_dispatch, case_sign_for
from xiaoneng.cases.sweeps import sweep
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db


# -- recording ------------------------------------------------------------------------------


def test_manual_record_once_per_source_and_audited(users, staff_of, basic) -> None:
    args = {
        "kind": Violation.Kind.INSPECTION,
        "description": "迟到",
        "source_key": "inspection:7",
        "department": basic,
    }
    first = violation_record_manual(by=users["inspector"], **args)
    again = violation_record_manual(by=users["xiaoneng"], **args)
    assert first.pk == again.pk
    assert first.status == Violation.Status.PENDING
    assert first.unit_id == basic.unit_id  # taken from the department
    assert AuditEntry.objects.filter(action="accountability.violation.record").count() == 1


def test_bulk_automatic_record_is_once_per_source_and_audited(basic) -> None:
    from xiaoneng.accountability.descriptions import Described
    from xiaoneng.accountability.services import (
        AutomaticViolation,
        violation_record_automatic,
        violation_record_automatic_bulk,
    )

    red_card = Described("Red card: the time limit and the reminder's limit both passed.")

    def red(n: int) -> AutomaticViolation:
        return AutomaticViolation(
            kind=Violation.Kind.RED_CARD,
            source_key=f"red:{n}",
            description=red_card,
            department=basic,
        )

    violation_record_automatic(
        kind=Violation.Kind.RED_CARD, source_key="red:1", description=red_card
    )
    created = violation_record_automatic_bulk(items=[red(1), red(2), red(3), red(3)])
    assert created == 2
    assert sorted(Violation.objects.values_list("source_key", flat=True)) == [
        "red:1",
        "red:2",
        "red:3",
    ]
    assert Violation.objects.get(source_key="red:2").unit_id == basic.unit_id
    audited = AuditEntry.objects.filter(action="accountability.violation.record")
    assert audited.count() == 3
    assert violation_record_automatic_bulk(items=[red(2), red(3)]) == 0
    assert violation_record_automatic_bulk(items=[]) == 0
    assert audited.count() == 3


def test_bulk_automatic_rows_match_the_one_at_a_time_path(basic) -> None:
    """The bulk path writes tuples, not instances: each column as the model path stores it (its
    defaults, the description rendered, its parameters), and the audit row names the
    violation's key."""
    from xiaoneng.accountability.descriptions import Described
    from xiaoneng.accountability.services import (
        AutomaticViolation,
        violation_record_automatic,
        violation_record_automatic_bulk,
    )

    text = Described("Red card: the time limit and the reminder's limit both passed.")
    one, _new = violation_record_automatic(
        kind=Violation.Kind.RED_CARD, source_key="red:one", description=text, department=basic
    )
    violation_record_automatic_bulk(
        items=[
            AutomaticViolation(
                kind=Violation.Kind.RED_CARD,
                source_key="red:bulk",
                description=text,
                department=basic,
            )
        ]
    )
    bulk = Violation.objects.get(source_key="red:bulk")
    compared = [
        field.attname
        for field in Violation._meta.concrete_fields
        if field.attname not in {"id", "source_key", "created_at"}
    ]
    assert {name: getattr(bulk, name) for name in compared} == {
        name: getattr(one, name) for name in compared
    }
    audit = AuditEntry.objects.get(summary__source="red:bulk")
    assert (audit.object_type, audit.object_id) == ("accountability.violation", str(bulk.pk))


@pytest.mark.parametrize("username", ["handler_a", "head", "leader", "intake", "sysadmin"])
def test_manual_record_refused_to_other_roles(users, basic, username) -> None:
    with pytest.raises(PermissionDenied):
        violation_record_manual(
            by=users[username], kind="inspection", description="x", source_key="k"
        )
    assert not Violation.objects.exists()


def test_manual_record_checks_kind_and_description(users) -> None:
    with pytest.raises(DomainError):
        violation_record_manual(
            by=users["inspector"], kind="nonsense", description="x", source_key="k"
        )
    with pytest.raises(DomainError):
        violation_record_manual(
            by=users["inspector"], kind="inspection", description=" ", source_key="k"
        )


# -- review ---------------------------------------------------------------------------------


def test_confirm_sets_grade_persons_and_notifies(users, staff_of, confirmed) -> None:
    assert confirmed.status == Violation.Status.CONFIRMED
    assert confirmed.grade == "general"
    assert {(p.staff.user.username, p.part) for p in confirmed.parts.all()} == {
        ("handler_a", "handler"),
        ("head", "approver"),
    }
    assert confirmed.reviewed_by == staff_of("xiaoneng")
    assert Notification.objects.filter(kind="accountability.violation_confirmed").count() == 2
    assert AuditEntry.objects.filter(action="accountability.violation.review").exists()


def test_confirm_needs_grade_and_a_person(users, staff_of, pending) -> None:
    with pytest.raises(DomainError):
        violation_review(
            by=users["xiaoneng"],
            violation=pending,
            confirm=True,
            grade="",
            persons=[(staff_of("handler_a"), "handler")],
        )
    with pytest.raises(DomainError):
        violation_review(
            by=users["xiaoneng"], violation=pending, confirm=True, grade="serious", persons=[]
        )
    with pytest.raises(DomainError):
        violation_review(
            by=users["xiaoneng"],
            violation=pending,
            confirm=True,
            grade="serious",
            persons=[(staff_of("head"), "boss")],
        )


def test_dismiss_needs_reason(users, pending) -> None:
    with pytest.raises(DomainError):
        violation_review(by=users["xiaoneng"], violation=pending, confirm=False, note=" ")
    dismissed = violation_review(
        by=users["xiaoneng"], violation=pending, confirm=False, note="误报"
    )
    assert dismissed.status == Violation.Status.DISMISSED
    assert dismissed.review_note == "误报"


@pytest.mark.parametrize("username", ["inspector", "leader", "head", "handler_a"])
def test_only_the_efficiency_office_reviews(users, staff_of, pending, username) -> None:
    with pytest.raises(PermissionDenied):
        violation_review(by=users[username], violation=pending, confirm=False, note="x")


def test_a_reviewed_violation_cannot_be_reviewed_again(users, confirmed) -> None:
    with pytest.raises(DomainError):
        violation_review(by=users["xiaoneng"], violation=confirmed, confirm=False, note="x")


def test_evidence_while_pending_only(users, pending, confirmed, hotline_case) -> None:
    # ``confirmed`` is the same row, now confirmed.
    with pytest.raises(DomainError):
        violation_attach_evidence(
            by=users["inspector"], violation=confirmed, inspection_ref="暗访-3"
        )


def test_evidence_on_a_pending_violation(users, pending) -> None:
    with pytest.raises(PermissionDenied):
        violation_attach_evidence(by=users["head"], violation=pending, inspection_ref="x")
    updated = violation_attach_evidence(
        by=users["inspector"], violation=pending, inspection_ref="暗访-3"
    )
    assert updated.inspection_ref == "暗访-3"


# -- sanctions ------------------------------------------------------------------------------


def test_sanction_on_confirmed_violation(users, staff_of, sanction) -> None:
    assert sanction.measure == "warning"
    assert sanction.suggested == "no_award"  # first general violation: the first rung
    assert sanction.decided_by == staff_of("inspector")
    assert Notification.objects.filter(
        kind="accountability.sanction", recipient_user=users["handler_a"]
    ).exists()


def test_sanction_refusals(users, staff_of, pending) -> None:
    kwargs = {"staff": staff_of("handler_a"), "measure": "criticism", "reason": "r"}
    with pytest.raises(DomainError):
        sanction_decide(by=users["inspector"], violation=pending, **kwargs)  # not confirmed
    violation_review(
        by=users["xiaoneng"],
        violation=pending,
        confirm=True,
        grade="general",
        persons=[(staff_of("handler_a"), "handler")],
    )
    with pytest.raises(PermissionDenied):
        sanction_decide(by=users["xiaoneng"], violation=pending, **kwargs)
    with pytest.raises(DomainError):
        sanction_decide(by=users["leader"], violation=pending, **{**kwargs, "measure": "fine"})
    with pytest.raises(DomainError):
        sanction_decide(
            by=users["leader"], violation=pending, **{**kwargs, "staff": staff_of("handler_b")}
        )
    sanction_decide(by=users["leader"], violation=pending, **kwargs)
    with pytest.raises(DomainError):
        sanction_decide(by=users["leader"], violation=pending, **kwargs)  # one per person


def _confirmed(users, staff, key: str, grade: str = "general") -> Violation:
    violation = violation_record_manual(
        by=users["inspector"], kind="inspection", description="x", source_key=key, staff=staff
    )
    return violation_review(
        by=users["xiaoneng"],
        violation=violation,
        confirm=True,
        grade=grade,
        persons=[(staff, "handler")],
    )


def test_ladder_suggestion(users, staff_of) -> None:
    person = staff_of("handler_b")
    first = _confirmed(users, person, "s:1")
    assert sanction_suggest(staff=person, violation=first) == "no_award"
    second = _confirmed(users, person, "s:2")
    # A second confirmed violation within 12 months: one rung up.
    assert sanction_suggest(staff=person, violation=second) == "criticism"
    serious = _confirmed(users, staff_of("school_handler"), "s:3", grade="serious")
    assert sanction_suggest(staff=serious.staff, violation=serious) == "admonition"
    grave = _confirmed(users, staff_of("school_handler_b"), "s:4", grade="especially_serious")
    assert sanction_suggest(staff=grave.staff, violation=grave) == "warning"


def test_ladder_floor_from_an_earlier_sanction_and_old_violations_do_not_count(
    users, staff_of
) -> None:
    person = staff_of("handler_b")
    old = _confirmed(users, person, "s:old")
    Violation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    new = _confirmed(users, person, "s:new")
    assert sanction_suggest(staff=person, violation=new) == "no_award"
    other = _confirmed(users, staff_of("head"), "s:h1")
    sanction_decide(
        by=users["leader"], violation=other, staff=other.staff, measure="transfer", reason="r"
    )
    later = _confirmed(users, staff_of("head"), "s:h2")
    assert sanction_suggest(staff=later.staff, violation=later) == "referral"


# -- appeals --------------------------------------------------------------------------------


def test_appeal_revokes_a_violation_and_its_sanction(users, sanction) -> None:
    violation = sanction.violation
    assert violations_counting().filter(pk=violation.pk).exists()
    appeal = appeal_file(
        by=users["handler_a"], target="violation", obj=violation, grounds="当日请假已获批准"
    )
    with pytest.raises(PermissionDenied):
        appeal_decide(by=users["leader"], appeal=appeal, outcome="revoked", note="x")
    appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="revoked", note="请假属实")
    violation.refresh_from_db()
    sanction.refresh_from_db()
    assert violation.status == Violation.Status.REVOKED
    assert sanction.revoked
    assert not violations_counting().filter(pk=violation.pk).exists()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED
    assert appeal.decision_note == "请假属实"
    with pytest.raises(DomainError):
        appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="upheld", note="x")


def test_department_head_may_appeal_for_their_staff_others_may_not(users, confirmed) -> None:
    with pytest.raises(PermissionDenied):
        appeal_file(by=users["handler_b"], target="violation", obj=confirmed, grounds="x")
    with pytest.raises(PermissionDenied):
        appeal_file(by=users["school_head"], target="violation", obj=confirmed, grounds="x")
    appeal = appeal_file(by=users["head"], target="violation", obj=confirmed, grounds="x")
    assert appeal.person.user == users["handler_a"]
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="violation", obj=confirmed, grounds="again")


def test_appeal_deadline_in_working_days(users, confirmed) -> None:
    Violation.objects.filter(pk=confirmed.pk).update(
        reviewed_at=timezone.now() - timedelta(days=20)
    )
    confirmed.refresh_from_db()
    with pytest.raises(DomainError, match="申诉期限"):
        appeal_file(by=users["handler_a"], target="violation", obj=confirmed, grounds="x")


def test_appeal_needs_grounds_and_a_confirmed_violation(users, pending) -> None:
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="violation", obj=pending, grounds=" ")
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="violation", obj=pending, grounds="x")
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="sanction", obj=pending, grounds="x")


def test_sent_back_violation_is_pending_again(users, sanction) -> None:
    appeal = appeal_file(
        by=users["handler_a"], target="violation", obj=sanction.violation, grounds="x"
    )
    appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="sent_back", note="重新认定责任人")
    sanction.refresh_from_db()
    assert Violation.objects.get(pk=sanction.violation_id).status == Violation.Status.PENDING
    assert sanction.revoked


def test_sanction_appeal_is_for_a_leader_and_escalation(users, sanction) -> None:
    appeal = appeal_file(by=users["handler_a"], target="sanction", obj=sanction, grounds="过重")
    with pytest.raises(PermissionDenied):
        appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="revoked", note="x")
    with pytest.raises(DomainError):
        appeal_decide(by=users["leader"], appeal=appeal, outcome="escalated", note="x")
    appeal_decide(by=users["leader"], appeal=appeal, outcome="upheld", note="维持")
    sanction.refresh_from_db()
    assert not sanction.revoked
    assert Sanction.objects.count() == 1


def test_escalated_violation_appeal_is_decided_by_a_leader(users, confirmed) -> None:
    appeal = appeal_file(by=users["handler_a"], target="violation", obj=confirmed, grounds="x")
    with pytest.raises(DomainError):
        appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="revoked", note=" ")
    appeal = appeal_decide(
        by=users["xiaoneng"], appeal=appeal, outcome="escalated", note="提请局领导"
    )
    assert appeal.status == Appeal.Status.ESCALATED
    with pytest.raises(PermissionDenied):
        appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="revoked", note="x")
    appeal = appeal_decide(by=users["leader"], appeal=appeal, outcome="revoked", note="撤销")
    assert "提请局领导" in appeal.decision_note
    assert "撤销" in appeal.decision_note
    assert Notification.objects.filter(
        kind="accountability.appeal_decided", recipient_user=users["handler_a"]
    ).exists()


@pytest.fixture
def red_card(users, hotline_case, basic) -> Signal:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["handler_a"]
    )
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.REPLY))
    now = marks.grace_due_at + timedelta(minutes=1)
    sweep(now=now)
    signal = Signal.objects.get(case=case, level="red")
    # The card was raised "now" for the appeal period.
    Signal.objects.filter(case=case).update(raised_at=timezone.now())
    signal.refresh_from_db()
    return signal


def test_appeal_revokes_a_card_and_signals_counting_drops_it(users, red_card) -> None:
    assert signals_counting().filter(pk=red_card.pk).exists()
    prewarn = Signal.objects.get(case=red_card.case, level="prewarn")
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="card", obj=prewarn, grounds="x")
    appeal = appeal_file(by=users["handler_a"], target="card", obj=red_card, grounds="系统故障")
    with pytest.raises(DomainError):
        appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="sent_back", note="x")
    appeal_decide(by=users["xiaoneng"], appeal=appeal, outcome="revoked", note="系统故障属实")
    red_card.refresh_from_db()
    assert red_card.revoked
    assert not signals_counting().filter(pk=red_card.pk).exists()
    assert AuditEntry.objects.filter(action="accountability.signal.revoke").count() == 1
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="card", obj=red_card, grounds="x")


def test_signal_revoke_roles(users, red_card) -> None:
    with pytest.raises(PermissionDenied):
        signal_revoke(by=users["inspector"], signal=red_card, reason="x")


def test_unknown_appeal_target(users, confirmed) -> None:
    with pytest.raises(DomainError):
        appeal_file(by=users["handler_a"], target="card", obj=confirmed, grounds="x")


def test_demo_load_is_idempotent(demo_org) -> None:
    from xiaoneng.accountability.demo import demo_accountability_load
    from xiaoneng.accountability.models import ConductComplaint

    demo_accountability_load()
    demo_accountability_load()
    assert Violation.objects.filter(status="confirmed").count() == 1
    assert Violation.objects.filter(status="pending").count() == 1
    assert Sanction.objects.count() == 1
    assert ConductComplaint.objects.get().status == ConductComplaint.Status.INVESTIGATING
