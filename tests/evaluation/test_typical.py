"""A typical case drafted from a violation, approved, published, withdrawn; a good practice;
personal data removed; the unit named only where the decision says so."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import (
    sanction_decide,
    violation_record_manual,
    violation_review,
)
from xiaoneng.assessment.bulletin_text import bulletin_blocks, plain_body
from xiaoneng.assessment.bulletins import bulletin_content
from xiaoneng.assessment.selectors import Period
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.evaluation.models import TypicalCase
from xiaoneng.evaluation.selectors import published_typical
from xiaoneng.evaluation.services.typical import (
    typical_approve,
    typical_draft,
    typical_publish,
    typical_withdraw,
)
from xiaoneng.org.models import Department

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "基础教育科李娜推诿扯皮问题",
    "facts": "家长张家长（电话13912345678）反映招生咨询被推诿，经查李娜、陈静未按首问负责制办理。",
    "handling": "给予通报批评。",
    "lesson": "首问负责，不得推诿。",
}


@pytest.fixture
def violation(users, staff_of, demo_org) -> Violation:
    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="招生咨询被推诿",
        content="内容",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case
    pending = violation_record_manual(
        by=users["inspector"],
        kind=Violation.Kind.INSPECTION,
        description="推诿",
        source_key="t:1",
        department=Department.objects.get(unit__code="bureau", code="basic"),
        staff=staff_of("handler_a"),
    )
    Violation.objects.filter(pk=pending.pk).update(case=case)
    pending.refresh_from_db()
    return violation_review(
        by=users["xiaoneng"],
        violation=pending,
        confirm=True,
        grade=Violation.Grade.GENERAL,
        persons=[(staff_of("handler_a"), "handler"), (staff_of("head"), "approver")],
    )


def test_drafted_approved_published_withdrawn(users, staff_of, violation) -> None:
    with pytest.raises(DomainError):  # the decision does not name the unit yet
        typical_draft(
            by=users["xiaoneng"], kind="typical", violation=violation, name_unit=True, **TEXT
        )
    sanction_decide(
        by=users["inspector"],
        violation=violation,
        staff=staff_of("handler_a"),
        measure="criticism",
        reason="推诿扯皮。",
    )
    with pytest.raises(PermissionDenied):
        typical_draft(by=users["head"], kind="typical", violation=violation, **TEXT)
    typical = typical_draft(
        by=users["xiaoneng"], kind="typical", violation=violation, name_unit=True, **TEXT
    )
    # Personal data removed: the requester, the persons responsible, the phone.
    for text in (typical.title, typical.facts):
        assert "张家长" not in text
        assert "13912345678" not in text
        assert "李娜" not in text
        assert "陈静" not in text
    assert typical.unit_named == "市教育局基础教育科"
    assert typical.state == "draft"

    with pytest.raises(DomainError):  # not approved yet
        typical_publish(by=users["xiaoneng"], typical=typical)
    with pytest.raises(PermissionDenied):  # only a leader approves
        typical_approve(by=users["xiaoneng"], typical=typical)
    typical = typical_approve(by=users["leader"], typical=typical)
    with pytest.raises(DomainError):
        typical_approve(by=users["leader"], typical=typical)
    typical = typical_publish(by=users["xiaoneng"], typical=typical)
    assert list(published_typical()) == [typical]

    # In the bulletin of the period, by its published text only.
    today = timezone.localdate()
    content = bulletin_content(Period(today, today))
    assert [t["title"] for t in content["typical_cases"]] == [typical.title]
    lines = plain_body(bulletin_blocks(content, period_from=today, period_to=today))
    text = "\n".join(line if isinstance(line, str) else "\n".join(line) for line in lines)
    assert "典型案例" in text
    assert "（市教育局基础教育科）" in text
    assert "张家长" not in text

    with pytest.raises(DomainError):
        typical_withdraw(by=users["xiaoneng"], typical=typical, reason=" ")
    typical = typical_withdraw(by=users["leader"], typical=typical, reason="当事人申诉成立。")
    assert typical.state == "withdrawn"
    assert list(published_typical()) == []
    with pytest.raises(DomainError):
        typical_publish(by=users["xiaoneng"], typical=typical)
    actions = list(
        AuditEntry.objects.filter(object_type="evaluation.typicalcase", object_id=str(typical.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "evaluation.typical_draft",
        "evaluation.typical_approve",
        "evaluation.typical_publish",
        "evaluation.typical_withdraw",
    ]


def test_only_confirmed_violations_and_satisfied_closed_cases(users, violation) -> None:
    Violation.objects.filter(pk=violation.pk).update(status=Violation.Status.PENDING)
    violation.refresh_from_db()
    with pytest.raises(DomainError):
        typical_draft(by=users["xiaoneng"], kind="typical", violation=violation, **TEXT)
    case = violation.case
    with pytest.raises(DomainError):  # open case
        typical_draft(by=users["xiaoneng"], kind="good", case=case, **TEXT)
    Case.objects.filter(pk=case.pk).update(state="closed", satisfaction="satisfied")
    case.refresh_from_db()
    good = typical_draft(by=users["xiaoneng"], kind="good", case=case, name_unit=True, **TEXT)
    assert good.kind == TypicalCase.Kind.GOOD
    assert good.unit_named
    with pytest.raises(DomainError):
        typical_draft(by=users["xiaoneng"], kind="good", case=case, **{**TEXT, "lesson": " "})
