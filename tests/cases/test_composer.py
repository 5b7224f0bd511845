"""The reply composer: the draft (kept, never public, resumable), its recall before review,
the files sent with the reply, and the preview of what the public will read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Attachment, Case, CaseEvent, ReplyDraft
from xiaoneng.cases.services import (
    case_dispatch,
    case_rate,
    case_recall_reply,
    case_reopen,
    case_reply,
    case_review_reply,
    case_sign_for,
    reply_draft_save,
)
from xiaoneng.cases.views.casepage import reply_preview
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.portal.selectors import tracking_view

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The requester of hotline_case is 张家长, 13912345678.
PERSONAL = "张家长您好：经核查，学校已退费。如有疑问请回电13912345678。"


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def signed(hotline_case, basic, users) -> Case:
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_sign_for(case=hotline_case, by=users["handler_a"])
    return _fresh(hotline_case)


def test_a_draft_is_kept_apart_from_the_reply_and_is_not_public(signed, users) -> None:
    draft = reply_draft_save(case=signed, by=users["handler_a"], text="经核查，情况属实。")
    case = _fresh(signed)
    assert draft.status == ReplyDraft.Status.DRAFT
    assert case.reply_text == ""
    assert not case.reply_pending_review
    event = CaseEvent.objects.get(case=case, action="reply_draft_saved")
    assert event.public is False
    assert AuditEntry.objects.filter(action="case.reply_draft_saved", object_id=str(case.pk))
    assert tracking_view(case).reply == ""
    # Saving the same text again (a double click) writes nothing more.
    reply_draft_save(case=case, by=users["handler_a"], text="经核查，情况属实。")
    assert CaseEvent.objects.filter(case=case, action="reply_draft_saved").count() == 1


def test_the_composer_resumes_the_draft(client, demo_password, signed, users) -> None:
    reply_draft_save(case=signed, by=users["handler_b"], text="草稿：已约谈校长。")
    client.login(username="handler_a", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    assert 'data-testid="composer"' in body
    assert "草稿：已约谈校长。</textarea>" in body
    assert 'data-testid="composer-draft"' in body


def test_saving_a_draft_from_the_page_with_a_file(client, demo_password, signed) -> None:
    client.login(username="handler_a", password=demo_password)
    upload = SimpleUploadedFile("整改通知.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("office:case_act", args=[signed.pk, "save_reply_draft"]),
        {"text": "附整改通知。", "files": [upload]},
        follow=True,
    )
    assert "答复已存为草稿" in response.content.decode()
    attachment = Attachment.objects.get(case=signed)
    assert attachment.for_reply
    assert attachment.name == "整改通知.pdf"
    assert ReplyDraft.objects.get(case=signed).text == "附整改通知。"


def test_a_file_that_is_not_a_document_is_refused_and_nothing_saved(
    client, demo_password, signed
) -> None:
    client.login(username="handler_a", password=demo_password)
    upload = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("office:case_act", args=[signed.pk, "save_reply_draft"]),
        {"text": "附件见后。", "files": [upload]},
        **HTMX,
    )
    assert response.status_code == 200
    assert "不是" in response.content.decode()  # 文件…不是 PDF、PNG、JPEG…
    assert not Attachment.objects.filter(case=signed).exists()
    assert not ReplyDraft.objects.filter(case=signed).exists()


def test_submit_recall_and_submit_again(signed, users, staff_of) -> None:
    case = case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    assert case.reply_pending_review
    assert case.reply_text == ""
    assert ReplyDraft.objects.get(case=case).status == ReplyDraft.Status.SUBMITTED
    case = case_recall_reply(case=case, by=users["handler_a"])
    assert not case.reply_pending_review
    draft = ReplyDraft.objects.get(case=case)
    assert draft.status == ReplyDraft.Status.DRAFT
    assert draft.text == "经核查，已处理。"
    assert CaseEvent.objects.get(case=case, action="reply_recalled").public is False
    head = staff_of("head").user
    assert Notification.objects.filter(recipient_user=head, kind="case.reply_recalled").exists()
    # A draft again: it can be changed, then submitted anew and approved.
    reply_draft_save(case=case, by=users["handler_a"], text="经核查，已全额退费。")
    case = case_reply(case=case, by=users["handler_a"], text="经核查，已全额退费。")
    case = case_review_reply(case=case, by=users["head"], approve=True)
    assert case.state == "replied"
    assert case.reply_text == "经核查，已全额退费。"
    assert not ReplyDraft.objects.filter(case=case).exists()


def test_only_the_person_who_submitted_may_recall(signed, users) -> None:
    case = case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    with pytest.raises(PermissionDenied):
        case_recall_reply(case=case, by=users["handler_b"])
    assert _fresh(case).reply_pending_review


def test_no_recall_once_the_head_has_reviewed(signed, users) -> None:
    case = case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    case_review_reply(case=case, by=users["head"], approve=True)
    with pytest.raises(DomainError) as info:
        case_recall_reply(case=case, by=users["handler_a"])
    assert info.value.code == "illegal_transition"
    assert _fresh(case).state == "replied"


def test_no_recall_of_a_draft_sent_back_or_never_submitted(signed, users) -> None:
    with pytest.raises(DomainError):
        case_recall_reply(case=signed, by=users["handler_a"])
    case = case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    case = case_review_reply(case=case, by=users["head"], approve=False, note="请写明退费金额")
    draft = ReplyDraft.objects.get(case=case)
    assert draft.status == ReplyDraft.Status.DRAFT
    assert draft.review_note == "请写明退费金额"
    with pytest.raises(DomainError):
        case_recall_reply(case=case, by=users["handler_a"])


def test_a_submitted_reply_is_not_changed_behind_the_heads_back(signed, users) -> None:
    case = case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    with pytest.raises(DomainError):
        reply_draft_save(case=case, by=users["handler_a"], text="改过的答复")
    with pytest.raises(DomainError):
        case_reply(case=case, by=users["handler_a"], text="改过的答复")
    assert ReplyDraft.objects.get(case=case).text == "经核查，已处理。"


def test_a_draft_is_only_the_lead_departments(signed, users) -> None:
    with pytest.raises(PermissionDenied):
        reply_draft_save(case=signed, by=users["xiaoneng"], text="效能办代拟")
    assert not ReplyDraft.objects.filter(case=signed).exists()


def test_the_draft_of_a_reopened_case_never_reaches_the_public(signed, users) -> None:
    case = case_reply(case=signed, by=users["head"], text="已退费。")
    case = case_rate(case=case, satisfaction="unsatisfied", resolved=False)
    case = case_reopen(case=case, by=users["xiaoneng"], note="未退足额")
    case = case_reply(case=case, by=users["handler_a"], text="内部草稿：拟补退。")
    assert case.reply_pending_review
    assert tracking_view(_fresh(case)).reply == "已退费。"


def test_the_preview_masks_as_the_tracking_page_does(signed, users) -> None:
    preview = reply_preview(signed, PERSONAL, [])
    assert "张家长" not in preview.tracking
    assert "13912345678" not in preview.tracking
    assert preview.tracking.startswith("您好：")  # the salutation names nobody
    assert preview.published is None  # no consent to publication
    # Issued, the tracking page shows exactly what the preview showed.
    case = case_reply(case=signed, by=users["head"], text=PERSONAL)
    assert tracking_view(_fresh(case)).reply == preview.tracking


def test_the_preview_shows_the_results_board_when_published(signed) -> None:
    Case.objects.filter(pk=signed.pk).update(consent_publish=True)
    preview = reply_preview(_fresh(signed), PERSONAL, ["整改通知.pdf"])
    assert preview.published is not None
    assert "张家长" not in preview.published
    assert "13912345678" not in preview.published
    assert preview.files == ["整改通知.pdf"]


def test_the_preview_view_for_the_person_about_to_reply(client, demo_password, signed) -> None:
    url = reverse("office:case_reply_preview", args=[signed.pk])
    client.login(username="handler_a", password=demo_password)
    fragment = client.post(url, {"text": PERSONAL}, **HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert 'data-testid="preview-tracking"' in body
    assert "13912345678" not in body
    assert "张家长" not in body
    # Without JavaScript: the case page again, the text as typed, the preview in the composer.
    page = client.post(url, {"text": PERSONAL})
    body = page.content.decode()
    assert 'data-testid="preview-tracking"' in body
    assert 'data-testid="composer"' in body
    assert PERSONAL in body  # in the textarea, for the person writing it
    assert not ReplyDraft.objects.filter(case=signed).exists()  # a preview saves nothing


@pytest.mark.parametrize("username", ["xiaoneng", "intake", "school_head"])
def test_the_preview_is_refused_to_anyone_not_replying(
    client, demo_password, signed, username
) -> None:
    client.login(username=username, password=demo_password)
    response = client.post(
        reverse("office:case_reply_preview", args=[signed.pk]), {"text": PERSONAL}
    )
    assert response.status_code == 404


def test_the_preview_is_refused_to_the_administrators(client, demo_password, signed) -> None:
    client.login(username="auditor", password=demo_password)
    response = client.post(
        reverse("office:case_reply_preview", args=[signed.pk]), {"text": PERSONAL}
    )
    assert response.status_code == 403


def test_the_draft_card_shows_the_public_view(client, demo_password, signed, users) -> None:
    reply_draft_save(case=signed, by=users["handler_a"], text=PERSONAL)
    client.login(username="head", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    assert 'data-testid="reply-draft"' in body
    assert 'data-testid="draft-public-preview"' in body
    start = body.index('data-testid="draft-public-preview"')
    preview = body[start : body.index("</details>", start)]
    assert "您好：经核查" in preview  # the salutation names nobody
    assert "13912345678" not in preview


def test_recall_from_the_case_page(client, demo_password, signed, users) -> None:
    case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    client.login(username="handler_a", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    assert 'data-testid="action-recall_reply"' in body
    response = client.post(
        reverse("office:case_act", args=[signed.pk, "recall_reply"]), {}, follow=True
    )
    assert "已撤回" in response.content.decode()
    assert not _fresh(signed).reply_pending_review
    # Someone else of the department is not offered the recall.
    client.login(username="handler_b", password=demo_password)
    case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    assert 'data-testid="action-recall_reply"' not in body


def test_draft_and_recall_through_the_api(client, demo_password, signed) -> None:
    client.login(username="handler_a", password=demo_password)
    base = f"/api/v1/cases/{signed.pk}"
    saved = client.post(f"{base}/reply-draft", {"text": "草稿"}, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert ReplyDraft.objects.get(case=signed).status == "draft"
    client.post(f"{base}/reply", {"text": "草稿"}, content_type="application/json")
    recalled = client.post(f"{base}/recall-reply", content_type="application/json")
    assert recalled.status_code == 200, recalled.content
    assert recalled.json()["reply_pending_review"] is False
