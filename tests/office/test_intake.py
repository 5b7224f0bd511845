"""首问登记 through the office: attachments checked by content, duplicates hinted, receipt."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.cases.models import Case
from xiaoneng.cases.services.attachments import attachment_add
from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import MAX_ATTACHMENT_BYTES

pytestmark = pytest.mark.django_db


def _form(category, **extra):
    data = {
        "channel": "phone",
        "kind": "complaint",
        "category": category.pk,
        "content": "家长来电反映第一中学晚自习收费问题，请予核查。",
        "requester_name": "李家长",
        "requester_phone": "13700001234",
    }
    data.update(extra)
    return data


def test_register_with_attachment_then_receipt(login, category) -> None:
    client = login("intake")
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.7 content", content_type="application/pdf")
    response = client.post(reverse("office:intake"), {**_form(category), "attachments": upload})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.first_contact.user.username == "intake"
    assert case.attachments.get().content_type == "application/pdf"
    page = client.get(response["Location"]).content.decode()
    assert "已登记" in page
    assert "证明.pdf" in page
    receipt = client.get(reverse("office:case_receipt", args=[case.pk])).content.decode()
    assert case.tracking_code in receipt
    # The secret is shown in the registering session only.
    assert 'data-testid="tracking-secret"' in receipt
    other = login("xiaoneng").get(reverse("office:case_receipt", args=[case.pk]))
    assert 'data-testid="tracking-secret"' not in other.content.decode()


def test_wrong_file_type_is_refused_with_a_clear_message(login, category) -> None:
    client = login("intake")
    upload = SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(reverse("office:intake"), {**_form(category), "attachments": upload})
    assert response.status_code == 200
    assert "不是PDF" in response.content.decode()
    assert not Case.objects.exists()


def test_duplicate_hint_asks_for_confirmation(login, category, make_case) -> None:
    earlier = make_case(requester_phone="13700001234")
    client = login("intake")
    response = client.post(reverse("office:intake"), _form(category))
    body = response.content.decode()
    assert earlier.number in body
    assert "近90日内" in body
    assert Case.objects.count() == 1
    response = client.post(reverse("office:intake"), _form(category, duplicate_checked="on"))
    assert response.status_code == 302
    assert Case.objects.count() == 2
    hint = client.get(reverse("office:intake_duplicates"), {"requester_phone": "13700001234"})
    assert earlier.number in hint.content.decode()


def test_attachment_service_checks_size_and_content(hotline_case, users) -> None:
    with pytest.raises(DomainError, match="10 MB"):
        attachment_add(
            case=hotline_case,
            file=SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * MAX_ATTACHMENT_BYTES),
            by=users["intake"],
        )
    with pytest.raises(DomainError):
        attachment_add(
            case=hotline_case,
            file=SimpleUploadedFile("x.docx", b"PK\x03\x04junk"),
            by=users["intake"],
        )
    png = attachment_add(
        case=hotline_case,
        file=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n...."),
        by=users["intake"],
    )
    assert png.content_type == "image/png"
    assert hotline_case.events.filter(action="attach").exists()
