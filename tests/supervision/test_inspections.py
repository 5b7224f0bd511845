"""Inspections (明察暗访): records, findings, evidence, and findings made violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.supervision.conftest import pdf_file
from xiaoneng.accountability.models import Violation
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit
from xiaoneng.supervision.models import Finding, Inspection
from xiaoneng.supervision.services import (
    evidence_add,
    finding_add,
    finding_make_violation,
    inspection_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(users, staff_of) -> Inspection:
    return inspection_create(
        by=users["inspector"],
        kind="unannounced",
        date=timezone.localdate(),
        place="第一中学校长办公室",
        unit=Unit.objects.get(code="school-1"),
        inspectors=[staff_of("inspector"), staff_of("xiaoneng")],
        summary="上午8:40暗访第一中学校办，发现迟到和脱岗。",
    )


def test_inspection_with_findings_and_evidence(inspection, users, staff_of, principal) -> None:
    assert inspection.inspectors.count() == 2
    late = finding_add(
        inspection=inspection,
        by=users["inspector"],
        type="late",
        description="8:40尚未到岗。",
        staff=staff_of("school_handler_b"),
    )
    assert late.department == principal  # the person's department by default
    absent = finding_add(
        inspection=inspection,
        by=users["inspector"],
        type="absent",
        description="窗口无人值守。",
        department=principal,
    )
    evidence = evidence_add(
        inspection=inspection, by=users["inspector"], file=pdf_file("photo.pdf"), finding=absent
    )
    assert (evidence.content_type, evidence.finding) == ("application/pdf", absent)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "supervision.inspection.create",
        "supervision.finding.add",
        "supervision.evidence.add",
    } <= actions


def test_a_finding_becomes_one_violation(inspection, users, staff_of) -> None:
    finding = finding_add(
        inspection=inspection,
        by=users["inspector"],
        type="off_topic",
        description="上班时间网购。",
        staff=staff_of("school_handler_b"),
    )
    violation = finding_make_violation(finding=finding, by=users["inspector"])
    finding.refresh_from_db()
    assert finding.violation_id == violation.pk
    stored = Violation.objects.get(pk=violation.pk)
    assert stored.kind == "inspection"
    assert stored.source_key == f"inspection-finding:{finding.pk}"
    assert stored.unit_id == inspection.unit_id
    assert stored.staff == staff_of("school_handler_b")
    with pytest.raises(DomainError):
        finding_make_violation(finding=finding, by=users["inspector"])
    assert Violation.objects.filter(kind="inspection").count() == 1


@pytest.mark.parametrize("username", ["xiaoneng", "leader", "head"])
def test_only_inspectors_write(inspection, users, staff_of, username) -> None:
    user = users[username]
    with pytest.raises(PermissionDenied):
        inspection_create(
            by=user,
            kind="open",
            date=timezone.localdate(),
            place="x",
            unit=inspection.unit,
            inspectors=[staff_of("inspector")],
            summary="x",
        )
    with pytest.raises(PermissionDenied):
        finding_add(inspection=inspection, by=user, type="late", description="x")
    with pytest.raises(PermissionDenied):
        evidence_add(inspection=inspection, by=user, file=pdf_file())
    finding = Finding.objects.create(
        inspection=inspection, type="late", description="x", created_by=users["inspector"]
    )
    with pytest.raises(PermissionDenied):
        finding_make_violation(finding=finding, by=user)


def test_inspection_and_finding_refusals(inspection, users, staff_of) -> None:
    by = users["inspector"]
    base = {
        "by": by,
        "kind": "open",
        "date": timezone.localdate(),
        "place": "机关",
        "unit": inspection.unit,
        "inspectors": [staff_of("inspector")],
        "summary": "明察",
    }
    for change in (
        {"kind": "secret"},
        {"place": " "},
        {"summary": ""},
        {"inspectors": []},
        {"date": timezone.localdate() + timedelta(days=1)},
    ):
        with pytest.raises(DomainError):
            inspection_create(**{**base, **change})
    with pytest.raises(DomainError):
        finding_add(inspection=inspection, by=by, type="sleeping", description="x")
    with pytest.raises(DomainError):
        finding_add(inspection=inspection, by=by, type="late", description=" ")
    with pytest.raises(DomainError):  # a bureau person at a school inspection
        finding_add(
            inspection=inspection, by=by, type="late", description="x", staff=staff_of("head")
        )


def test_evidence_is_checked_like_case_attachments(inspection, users) -> None:
    by = users["inspector"]
    with pytest.raises(DomainError):
        evidence_add(inspection=inspection, by=by, file=SimpleUploadedFile("a.exe", b"MZ\x90"))
    with pytest.raises(DomainError):
        evidence_add(inspection=inspection, by=by, file=SimpleUploadedFile("a.png", b""))
    with pytest.raises(DomainError):
        evidence_add(
            inspection=inspection,
            by=by,
            file=SimpleUploadedFile("a.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)),
        )
    assert not inspection.evidence.exists()
