"""Conduct complaints: intake, conversion, clocks, finding; and confidentiality of the
complainant towards the unit and the person complained about at every level."""

from __future__ import annotations

import io

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.documents.pdftext import pdf_text
from xiaoneng.accountability.conduct import (
    ACCEPT_STAGE,
    INVESTIGATE_STAGE,
    OWNER,
)
from xiaoneng.accountability.models import ConductComplaint, Violation
from xiaoneng.accountability.services import (
    conduct_accept,
    conduct_convert_case,
    conduct_extend,
    conduct_find,
    conduct_intake,
    sanction_decide,
    violation_review,
)
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Category
from xiaoneng.cases.permissions import case_for_user, cases_visible_to
from xiaoneng.cases.services.public import public_submit
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Unit
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db

NAME, PHONE = "秘密投诉人", "13700009999"


@pytest.fixture
def school(demo_org) -> Unit:
    return Unit.objects.get(code="school-1")


@pytest.fixture
def complaint(users, staff_of, school) -> ConductComplaint:
    return conduct_intake(
        by=users["xiaoneng"],
        complainant_name=NAME,
        complainant_phone=PHONE,
        content="窗口工作人员态度恶劣，推诿不办。",
        unit=school,
        staff=staff_of("school_handler"),
    )


@pytest.fixture
def investigating(users, staff_of, complaint) -> ConductComplaint:
    return conduct_accept(
        by=users["xiaoneng"], complaint=complaint, accept=True, investigator=staff_of("inspector")
    )


def _clock(complaint, stage):
    return Clock.objects.filter(owner_type=OWNER, owner_id=complaint.pk, stage=stage).get()


def test_intake_starts_the_acceptance_clock_and_keeps_the_complainant_out_of_the_audit(
    users, complaint
) -> None:
    assert complaint.status == ConductComplaint.Status.RECEIVED
    clock = _clock(complaint, ACCEPT_STAGE)
    assert clock.limit == 7
    assert clock.counting == "workdays"
    entry = AuditEntry.objects.get(action="accountability.conduct.intake")
    assert NAME not in str(entry.summary)
    assert PHONE not in str(entry.summary)


@pytest.mark.parametrize("username", ["inspector", "leader", "head", "school_head"])
def test_intake_only_by_the_efficiency_office(users, school, username) -> None:
    with pytest.raises(PermissionDenied):
        conduct_intake(by=users[username], content="x", unit=school, person_name="某人")


def test_intake_needs_content_and_a_target(users, staff_of, school) -> None:
    with pytest.raises(DomainError):
        conduct_intake(by=users["xiaoneng"], content=" ", unit=school, person_name="某人")
    with pytest.raises(DomainError):
        conduct_intake(by=users["xiaoneng"], content="x", unit=school)
    with pytest.raises(DomainError):  # the person is not in that unit
        conduct_intake(by=users["xiaoneng"], content="x", unit=school, staff=staff_of("handler_a"))


def test_acceptance_rules(users, staff_of, complaint) -> None:
    with pytest.raises(DomainError):
        conduct_accept(by=users["xiaoneng"], complaint=complaint, accept=False, note="")
    with pytest.raises(DomainError):  # the investigator must be an inspector
        conduct_accept(
            by=users["xiaoneng"], complaint=complaint, accept=True, investigator=staff_of("head")
        )
    with pytest.raises(PermissionDenied):
        conduct_accept(
            by=users["inspector"],
            complaint=complaint,
            accept=True,
            investigator=staff_of("inspector"),
        )
    rejected = conduct_accept(
        by=users["xiaoneng"], complaint=complaint, accept=False, note="不属效能投诉"
    )
    assert rejected.status == ConductComplaint.Status.NOT_ACCEPTED
    assert _clock(complaint, ACCEPT_STAGE).state == Clock.State.STOPPED
    with pytest.raises(DomainError):
        conduct_accept(by=users["xiaoneng"], complaint=complaint, accept=False, note="again")


def test_investigation_clock_extends_once_to_sixty(users, investigating) -> None:
    assert _clock(investigating, ACCEPT_STAGE).state == Clock.State.STOPPED
    clock = _clock(investigating, INVESTIGATE_STAGE)
    assert clock.limit == 30
    due = clock.due_at
    with pytest.raises(PermissionDenied):
        conduct_extend(by=users["xiaoneng"], complaint=investigating, reason="x")
    conduct_extend(by=users["inspector"], complaint=investigating, reason="需调取监控")
    clock.refresh_from_db()
    assert clock.extension_units == 30
    assert clock.due_at > due
    with pytest.raises(DomainError):
        conduct_extend(by=users["inspector"], complaint=investigating, reason="again")


def test_finding_not_substantiated(users, investigating) -> None:
    with pytest.raises(DomainError):
        conduct_find(
            by=users["inspector"], complaint=investigating, substantiated=False, finding=""
        )
    done = conduct_find(
        by=users["inspector"], complaint=investigating, substantiated=False, finding="查无实据"
    )
    assert done.status == ConductComplaint.Status.NOT_SUBSTANTIATED
    assert done.violation is None
    assert _clock(done, INVESTIGATE_STAGE).state == Clock.State.STOPPED
    with pytest.raises(DomainError):
        conduct_find(by=users["inspector"], complaint=done, substantiated=True, finding="x")


FINDING = "经查，该工作人员在办理业务时态度生硬，情况属实。"


@pytest.fixture
def found(users, investigating) -> ConductComplaint:
    return conduct_find(
        by=users["inspector"], complaint=investigating, substantiated=True, finding=FINDING
    )


def test_substantiated_finding_records_a_conduct_violation(users, staff_of, found) -> None:
    assert found.status == ConductComplaint.Status.SUBSTANTIATED
    violation = found.violation
    assert violation.kind == Violation.Kind.CONDUCT
    assert violation.status == Violation.Status.PENDING
    assert violation.description == FINDING
    assert violation.staff == staff_of("school_handler")
    assert violation.source_key == f"conduct:{found.pk}"


def test_convert_a_portal_complaint_naming_a_person(users, staff_of, school) -> None:
    case = public_submit(
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content="何芳老师办事推诿，三次来校都说找别人。",
        title="投诉工作人员",
        unit_concerned=school,
        person_concerned="何芳",
        requester_name=NAME,
        requester_phone=PHONE,
    ).case
    with pytest.raises(PermissionDenied):
        conduct_convert_case(by=users["inspector"], case=case)
    complaint = conduct_convert_case(
        by=users["xiaoneng"], case=case, staff=staff_of("school_handler")
    )
    assert complaint.complainant_name == NAME
    assert complaint.complainant_phone == PHONE
    assert complaint.content == case.content
    assert complaint.person_name == "何芳"
    assert complaint.unit == school
    assert complaint.source_case == case
    assert conduct_convert_case(by=users["xiaoneng"], case=case).pk == complaint.pk


def test_convert_refuses_other_kinds(users, hotline_case) -> None:
    hotline_case.kind = "inquiry"
    hotline_case.save()
    with pytest.raises(DomainError):
        conduct_convert_case(by=users["xiaoneng"], case=hotline_case)


# -- confidentiality --------------------------------------------------------------------------


def _login(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


@pytest.mark.parametrize(
    "username", ["school_handler", "school_head", "head", "handler_a", "leader"]
)
def test_conduct_pages_are_closed_to_the_unit_and_others(users, found, username) -> None:
    client = _login(users, username)
    for url in (
        "/office/accountability/conduct/",
        f"/office/accountability/conduct/{found.pk}/",
        "/office/accountability/conduct/new/",
    ):
        assert client.get(url).status_code == 403


def test_the_accused_sees_only_the_finding(users, staff_of, found) -> None:
    violation = violation_review(
        by=users["xiaoneng"],
        violation=found.violation,
        confirm=True,
        grade="general",
        persons=[(staff_of("school_handler"), "handler")],
    )
    sanction = sanction_decide(
        by=users["inspector"],
        violation=violation,
        staff=violation.staff,
        measure="warning",
        reason="态度问题",
    )
    for username in ("school_handler", "school_head"):
        client = _login(users, username)
        pages = [
            client.get(f"/office/accountability/violations/{violation.pk}/"),
            client.get("/office/accountability/"),
            client.get(f"/office/accountability/sanctions/{sanction.pk}/"),
            client.get(f"/office/accountability/people/{violation.staff_id}/"),
        ]
        for response in pages:
            assert response.status_code == 200
            text = response.content.decode()
            assert NAME not in text
            assert PHONE not in text
            assert "窗口工作人员态度恶劣" not in text  # the complaint's content neither
        assert FINDING in pages[0].content.decode()
        pdf = client.get(f"/office/accountability/sanctions/{sanction.pk}/document.pdf")
        assert pdf.status_code == 200
        text = pdf_text(pdf.content)
        assert "效能告诫书" in text
        assert NAME not in text
        assert PHONE not in text
        docx = client.get(f"/office/accountability/sanctions/{sanction.pk}/document.docx")
        body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
        assert "态度生硬" in body
        assert NAME not in body
        assert PHONE not in body
    # Notifications to the accused carry the finding only.
    mine = Notification.objects.filter(recipient_user=users["school_handler"])
    assert mine.filter(kind="accountability.conduct_finding").get().body == FINDING
    for note in mine:
        assert NAME not in note.subject + note.body
        assert PHONE not in note.subject + note.body
    # Nothing about the complaint reached the unit before the finding either.
    assert not Notification.objects.filter(
        recipient_user__in=[users["school_handler"], users["school_head"]],
        kind__in=["accountability.conduct_assigned"],
    ).exists()
    for entry in AuditEntry.objects.filter(action__startswith="accountability."):
        assert NAME not in str(entry.summary)
        assert PHONE not in str(entry.summary)


def test_api_exposes_no_conduct_complaint(users, found) -> None:
    client = _login(users, "school_handler")
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    text = schema.content.decode().lower()
    assert "conduct" not in text
    assert "complainant" not in text
    assert client.get(f"/api/v1/conduct-complaints/{found.pk}").status_code == 404
    assert client.get("/api/v1/conduct").status_code == 404


def test_converted_case_stays_hidden_from_the_accused_department(users, staff_of, school) -> None:
    """The original portal case stays in the case app. Even when it is dispatched to the
    accused's department, only the supervisors can open it."""
    from xiaoneng.cases.services import case_dispatch

    case = public_submit(
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content="何芳老师办事推诿。",
        unit_concerned=school,
        person_concerned="何芳",
        requester_name=NAME,
        requester_phone=PHONE,
    ).case
    complaint = conduct_convert_case(
        by=users["xiaoneng"], case=case, staff=staff_of("school_handler")
    )
    case_dispatch(case=case, by=users["xiaoneng"], lead=staff_of("school_handler").department)
    for name in ("school_handler", "school_head"):
        assert not cases_visible_to(users[name]).filter(pk=case.pk).exists()
        with pytest.raises(Http404):
            case_for_user(users[name], case.pk)
        page = _login(users, name).get(reverse("office:case_detail", args=[case.pk]))
        assert page.status_code == 404
    office = _login(users, "xiaoneng").get(f"/office/accountability/conduct/{complaint.pk}/")
    assert office.status_code == 200
    assert NAME in office.content.decode()
