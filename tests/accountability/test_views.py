"""Accountability pages: roles (allowed, 403, out of scope 404, anonymous → login), forms
calling services, document downloads audited, bounded queries on lists."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.documents.pdftext import pdf_text
from xiaoneng.accountability.models import Appeal, ConductComplaint, Sanction, Violation
from xiaoneng.accountability.services import (
    appeal_file,
    conduct_intake,
    violation_record_manual,
)
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Category
from xiaoneng.cases.services.public import public_submit
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


def login(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


@pytest.fixture
def appeal(users, confirmed) -> Appeal:
    return appeal_file(by=users["handler_a"], target="violation", obj=confirmed, grounds="请假")


@pytest.fixture
def complaint(users, staff_of) -> ConductComplaint:
    return conduct_intake(
        by=users["xiaoneng"],
        complainant_name="投诉人甲",
        content="态度差",
        unit=Unit.objects.get(code="school-1"),
        staff=staff_of("school_handler"),
    )


def test_anonymous_is_sent_to_login(db) -> None:
    for name, args in [
        ("violations", []),
        ("violation", [1]),
        ("appeals", []),
        ("conduct_list", []),
        ("my_record", []),
        ("sanction", [1]),
    ]:
        response = Client().get(reverse(f"accountability:{name}", args=args))
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("xiaoneng", 200),
        ("inspector", 200),
        ("leader", 200),
        ("head", 200),
        ("handler_a", 200),
        ("intake", 403),
        ("sysadmin", 403),
        ("auditor", 403),
    ],
)
def test_list_pages_by_role(users, confirmed, username, status) -> None:
    client = login(users, username)
    for name in ("violations", "appeals"):
        assert client.get(reverse(f"accountability:{name}")).status_code == status


def test_violation_scope(users, confirmed) -> None:
    url = reverse("accountability:violation", args=[confirmed.pk])
    for username in ("xiaoneng", "inspector", "leader", "head", "handler_a"):
        assert login(users, username).get(url).status_code == 200, username
    # Same roles, out of scope: 404.
    for username in ("handler_b", "school_head", "school_handler"):
        assert login(users, username).get(url).status_code == 404, username
    assert login(users, "intake").get(url).status_code == 403
    listing = login(users, "school_head").get(reverse("accountability:violations"))
    assert listing.context["page"].paginator.count == 0


def test_list_filters(users, confirmed, pending) -> None:
    client = login(users, "xiaoneng")
    url = reverse("accountability:violations")
    assert client.get(url, {"status": "confirmed"}).context["page"].paginator.count == 1
    assert client.get(url, {"status": "pending"}).context["page"].paginator.count == 0
    assert client.get(url, {"kind": "red_card"}).context["page"].paginator.count == 0
    assert client.get(url, {"grade": "general"}).context["page"].paginator.count == 1
    unit = confirmed.unit_id
    assert client.get(url, {"unit": unit}).context["page"].paginator.count == 1


def test_review_form(users, staff_of, pending) -> None:
    url = reverse("accountability:violation_review", args=[pending.pk])
    assert (
        login(users, "inspector").post(url, {"decision": "dismiss", "note": "x"}).status_code == 403
    )
    client = login(users, "xiaoneng")
    page = client.get(reverse("accountability:violation", args=[pending.pk]))
    assert page.context["review_form"] is not None
    # A DomainError shows on the form, not a 500.
    response = client.post(url, {"decision": "confirm", "grade": ""})
    assert response.status_code == 200
    assert response.context["review_form"].non_field_errors()
    response = client.post(
        url,
        {"decision": "confirm", "grade": "serious", "handler": staff_of("handler_a").pk},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Violation.Status.CONFIRMED
    assert pending.grade == "serious"


def test_evidence_upload_and_download_audited(users, pending) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users, "inspector")
    url = reverse("accountability:violation_evidence", args=[pending.pk])
    upload = SimpleUploadedFile("photo.txt", b"evidence", content_type="text/plain")
    assert client.post(url, {"inspection_ref": "暗访-9", "file": upload}).status_code == 302
    pending.refresh_from_db()
    assert pending.inspection_ref == "暗访-9"
    assert pending.evidence_file
    file_url = reverse("accountability:violation_evidence_file", args=[pending.pk])
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"evidence"
    assert AuditEntry.objects.filter(action="accountability.violation.evidence_download").exists()
    assert login(users, "handler_b").get(file_url).status_code == 404
    assert login(users, "head").post(url, {"inspection_ref": "x"}).status_code == 403


def test_sanction_form_suggests_and_decides(users, staff_of, confirmed) -> None:
    url = reverse("accountability:sanction_new", args=[confirmed.pk])
    for username in ("xiaoneng", "head", "handler_a"):
        assert login(users, username).get(url).status_code == 403
    client = login(users, "leader")
    page = client.get(url)
    assert page.status_code == 200
    labels = dict(page.context["suggestions"])
    assert str(labels[staff_of("handler_a")]) == str(Sanction.Measure.NO_AWARD.label)
    response = client.post(
        url,
        {
            "staff": staff_of("handler_a").pk,
            "measure": "criticism",
            "reason": "离岗",
            "aggravating": "",
            "mitigating": "主动认错",
        },
    )
    sanction = Sanction.objects.get()
    assert response.status_code == 302
    assert sanction.measure == "criticism"
    assert sanction.mitigating == "主动认错"


def test_sanction_documents_opened_and_audited(users, staff_of, confirmed) -> None:
    from xiaoneng.accountability.services import sanction_decide

    criticism = sanction_decide(
        by=users["inspector"],
        violation=confirmed,
        staff=staff_of("handler_a"),
        measure="criticism",
        reason="r",
    )
    client = login(users, "handler_a")
    pdf = client.get(reverse("accountability:sanction_document", args=[criticism.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "通报批评" in text
    assert "李娜" in text
    assert "效通〔" in text
    docx = client.get(reverse("accountability:sanction_document", args=[criticism.pk, "docx"]))
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "通报批评" in body
    assert "暗访发现上班时间离岗" in body
    assert AuditEntry.objects.filter(action="documents.download").count() == 2
    assert (
        login(users, "handler_b")
        .get(reverse("accountability:sanction_document", args=[criticism.pk, "pdf"]))
        .status_code
        == 404
    )
    assert (
        client.get(
            reverse("accountability:sanction_document", args=[criticism.pk, "odt"])
        ).status_code
        == 404
    )


def test_no_document_for_other_measures(users, staff_of, confirmed) -> None:
    from xiaoneng.accountability.services import sanction_decide

    sanction = sanction_decide(
        by=users["inspector"],
        violation=confirmed,
        staff=staff_of("handler_a"),
        measure="no_award",
        reason="r",
    )
    url = reverse("accountability:sanction_document", args=[sanction.pk, "pdf"])
    assert login(users, "leader").get(url).status_code == 404


def test_person_and_unit_records(users, staff_of, sanction) -> None:
    person = reverse("accountability:person", args=[staff_of("handler_a").pk])
    for username in ("handler_a", "head", "xiaoneng", "leader"):
        response = login(users, username).get(person)
        assert response.status_code == 200, username
        assert list(response.context["sanctions"]) == [sanction]
    assert login(users, "handler_b").get(person).status_code == 404
    assert login(users, "school_head").get(person).status_code == 404
    own = login(users, "handler_a").get(reverse("accountability:my_record"))
    assert own.status_code == 302
    assert own["Location"] == person
    unit = reverse("accountability:unit", args=[sanction.unit_id])
    assert login(users, "leader").get(unit).status_code == 200
    assert login(users, "head").get(unit).status_code == 403


def test_appeal_filing_page(users, confirmed) -> None:
    url = reverse("accountability:appeal_new", args=["violation", confirmed.pk])
    client = login(users, "handler_a")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["deadline"] is not None
    assert client.post(url, {"grounds": ""}).status_code == 200
    response = client.post(url, {"grounds": "当天公出"})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.filed_by.user == users["handler_a"]
    # Someone of the same department, not concerned: the form shows the refusal.
    other = login(users, "handler_b")
    assert other.get(url).status_code == 404  # out of scope
    assert (
        login(users, "handler_a")
        .get(reverse("accountability:appeal_new", args=["bogus", confirmed.pk]))
        .status_code
        == 404
    )


def test_appeal_decide_page(users, appeal) -> None:
    detail = reverse("accountability:appeal", args=[appeal.pk])
    decide = reverse("accountability:appeal_decide", args=[appeal.pk])
    assert login(users, "handler_a").get(detail).status_code == 200
    assert login(users, "handler_b").get(detail).status_code == 404
    assert login(users, "head").post(decide, {"outcome": "revoked", "note": "x"}).status_code == 403
    leader = login(users, "leader").post(decide, {"outcome": "revoked", "note": "x"})
    assert leader.status_code == 200
    assert leader.context["form"].non_field_errors()
    client = login(users, "xiaoneng")
    assert client.get(detail).context["form"] is not None
    assert client.post(decide, {"outcome": "revoked", "note": "属实"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED


def test_conduct_pages_for_office_and_inspector(users, staff_of, complaint) -> None:
    office = login(users, "xiaoneng")
    inspector = login(users, "inspector")
    detail = reverse("accountability:conduct", args=[complaint.pk])
    assert office.get(reverse("accountability:conduct_list")).status_code == 200
    assert inspector.get(detail).status_code == 200
    assert inspector.get(reverse("accountability:conduct_intake")).status_code == 403
    accept = reverse("accountability:conduct_accept", args=[complaint.pk])
    assert inspector.post(accept, {"decision": "accept"}).status_code == 403
    assert office.post(accept, {"decision": "accept"}).context["accept_form"].non_field_errors()
    assert (
        office.post(
            accept, {"decision": "accept", "investigator": staff_of("inspector").pk}
        ).status_code
        == 302
    )
    extend = reverse("accountability:conduct_extend", args=[complaint.pk])
    assert office.post(extend, {"reason": "x"}).status_code == 403
    assert inspector.post(extend, {"reason": "需要更多时间"}).status_code == 302
    find = reverse("accountability:conduct_find", args=[complaint.pk])
    assert inspector.post(find, {"substantiated": "yes", "finding": "属实"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.extended
    assert complaint.violation.kind == "conduct"
    assert (
        login(users, "xiaoneng").get(reverse("accountability:conduct", args=[999])).status_code
        == 404
    )


def test_conduct_intake_page(users, staff_of) -> None:
    client = login(users, "xiaoneng")
    url = reverse("accountability:conduct_intake")
    assert client.get(url).status_code == 200
    school = Unit.objects.get(code="school-1")
    assert client.post(url, {"content": "x", "unit": school.pk}).status_code == 200  # no target
    response = client.post(
        url, {"content": "x", "unit": school.pk, "person_name": "某老师", "complainant_name": "甲"}
    )
    assert response.status_code == 302
    assert ConductComplaint.objects.get().person_name == "某老师"


def test_convert_page(users, staff_of) -> None:
    school = Unit.objects.get(code="school-1")
    case = public_submit(
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content="何芳推诿",
        unit_concerned=school,
        person_concerned="何芳",
        requester_name="乙",
        requester_phone="13600001234",
    ).case
    listing = login(users, "xiaoneng").get(reverse("accountability:conduct_list"))
    assert case in list(listing.context["candidates"])
    url = reverse("accountability:conduct_convert", args=[case.pk])
    assert login(users, "inspector").get(url).status_code == 403
    client = login(users, "xiaoneng")
    assert client.get(url).status_code == 200
    response = client.post(url, {"staff": staff_of("school_handler").pk})
    assert response.status_code == 302
    assert ConductComplaint.objects.get().source_case == case


def _many_violations(users, staff_of, basic, n: int) -> None:
    for index in range(n):
        violation_record_manual(
            by=users["inspector"],
            kind="inspection",
            description=f"发现{index}",
            source_key=f"inspection:q{index}",
            department=basic,
            staff=staff_of("handler_a"),
        )


def test_list_query_counts_are_bounded(
    users, staff_of, basic, django_assert_max_num_queries
) -> None:
    _many_violations(users, staff_of, basic, 3)
    client = login(users, "head")
    client.get(reverse("accountability:violations"))
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("accountability:violations"))
    _many_violations(users, staff_of, basic, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accountability:violations"))
    office = login(users, "xiaoneng")
    with django_assert_max_num_queries(16):
        office.get(reverse("accountability:appeals"))
    with django_assert_max_num_queries(16):
        office.get(reverse("accountability:conduct_list"))
