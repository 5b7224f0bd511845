"""The public journey through the test client: submit → receipt → staff reply → track → rate."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.cases.models import Attachment, Case, Satisfaction
from xiaoneng.cases.states import State
from xiaoneng.notify.models import Notification

from .conftest import receipt_of, staff_reply, submit_form

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def submit(client, category, **overrides):
    response = client.post(reverse("portal:submit"), submit_form(category, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    return receipt_of(receipt.content.decode())


def track(client, code, secret="", phone_last4=""):
    return client.post(
        reverse("portal:track"), {"code": code, "secret": secret, "phone_last4": phone_last4}
    )


def link_of(response) -> str:
    """The page's signed link to itself (the lookup answers the page directly)."""
    found = re.search(r'name="t" value="([^"]+)"|\?t=([^"&]+)"', response.content.decode())
    assert found, "the tracking page carries its signed link"
    return found[1] or found[2]


def rate(client, token, **data):
    return client.post(reverse("portal:rate"), {"t": token, **data})


def test_full_journey_submit_reply_track_rate(client, users, category, basic) -> None:
    code, secret = submit(client, category)
    case = Case.objects.get(tracking_code=code)
    assert case.channel == "online"
    assert case.first_contact is None
    assert case.state == State.REGISTERED
    assert case.consent_publish
    sms = Notification.objects.get(channel="sms", kind="case.registered")
    assert sms.recipient_address == "13800001234"
    assert code in sms.body
    assert secret not in sms.body  # the secret reaches the gateway only
    assert "******" in sms.body

    staff_reply(case, users, basic, text="经核查，已责令学校退还择校费。")

    other = client.__class__()  # a fresh visitor, as on another day
    response = track(other, code.lower(), secret.lower())
    assert response.status_code == 200
    page = response.content.decode()
    assert "已责令学校退还择校费" in page
    assert "基础教育科" in page
    assert "李娜" in page  # 经办人: the A holder who signed for it
    assert "陈静" in page  # 责任人: the head of the lead department
    assert 'data-testid="due"' in page
    assert "计入天数" in page  # the due date is explained
    # Submitted on the web: it waited in the pool, then someone accepted it (the office here).
    assert "您的诉求已提交，等待受理。" in page
    assert "首问责任人已受理您的诉求" in page
    assert "转交基础教育科办理" in page

    token = link_of(response)
    response = rate(other, token, satisfaction="basically", resolved="yes", comment="好")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.satisfaction == Satisfaction.BASICALLY
    assert case.resolved is True
    page = other.get(response["Location"]).content.decode()
    assert "感谢" in page
    assert 'name="satisfaction"' not in page  # once only

    # A second, different rating is refused by the rules.
    rate(other, token, satisfaction="unsatisfied", resolved="no")
    case.refresh_from_db()
    assert case.satisfaction == Satisfaction.BASICALLY


def test_unsatisfied_rating_goes_to_reopen_review(client, users, category, basic) -> None:
    code, secret = submit(client, category)
    case = staff_reply(Case.objects.get(tracking_code=code), users, basic)
    token = link_of(track(client, code, secret))
    rate(client, token, satisfaction="unsatisfied", resolved="no")
    case.refresh_from_db()
    assert case.state == State.REOPEN_REVIEW
    assert Notification.objects.filter(kind="case.unsatisfied", channel="inbox").exists()


def test_track_by_code_and_last_four_digits_of_the_phone(client, category) -> None:
    code, _secret = submit(client, category)
    fresh = client.__class__()
    response = track(fresh, code, phone_last4="1234")
    assert response.status_code == 200
    assert Case.objects.get(tracking_code=code).number in response.content.decode()


def test_wrong_secret_and_unknown_code_look_the_same(client, category) -> None:
    code, _secret = submit(client, category)
    visitor = client.__class__()
    wrong_secret = track(visitor, code, "ZZZZZZZZ")
    unknown_code = track(visitor, "ABCDEFGHJK", "ZZZZZZZZ")
    wrong_phone = track(visitor, code, phone_last4="9999")
    for response in (wrong_secret, unknown_code, wrong_phone):
        assert response.status_code == 200

    def body(response, typed: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return html.replace(typed, "CODE")

    assert body(wrong_secret, code) == body(unknown_code, "ABCDEFGHJK") == body(wrong_phone, code)
    assert "没有找到" in wrong_secret.content.decode()
    assert visitor.get(reverse("portal:track_detail")).status_code == 302


def test_failed_tracking_attempts_are_rate_limited(client, settings, category) -> None:
    settings.XIAONENG_RATE_TRACK = (3, 600)
    for _ in range(3):
        assert track(client, "ABCDEFGHJK", "ZZZZZZZZ").status_code == 200
    response = track(client, "ABCDEFGHJK", "ZZZZZZZZ")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_submissions_are_rate_limited_per_address(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT = (2, 3600)
    submit(client, category)
    submit(client, category)
    response = client.post(reverse("portal:submit"), submit_form(category))
    assert response.status_code == 429
    assert response["Retry-After"]
    other_address = client.post(
        reverse("portal:submit"), submit_form(category), REMOTE_ADDR="10.9.8.7"
    )
    assert other_address.status_code == 302


def test_anonymous_report_gets_only_its_code_and_secret(client, category) -> None:
    response = client.post(
        reverse("portal:submit"),
        submit_form(
            category,
            kind="report",
            is_anonymous="on",
            requester_name="",
            requester_phone="",
            person_concerned="某老师",
        ),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    code, _secret = receipt_of(page)
    case = Case.objects.get(tracking_code=code)
    assert case.is_anonymous
    assert not case.requester_name
    assert not case.requester_phone
    assert not Notification.objects.filter(channel__in=["sms", "email"]).exists()
    assert "匿名" in page


def test_anonymous_only_for_a_report_and_contact_needed_otherwise(client, category) -> None:
    response = client.post(
        reverse("portal:submit"), submit_form(category, is_anonymous="on", requester_phone="")
    )
    assert response.status_code == 400
    response = client.post(reverse("portal:submit"), submit_form(category, requester_phone=""))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_honeypot_keeps_nothing(client, category) -> None:
    response = client.post(
        reverse("portal:submit"), submit_form(category, website="http://spam.example")
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_input_length_is_limited(client, category) -> None:
    response = client.post(reverse("portal:submit"), submit_form(category, content="长" * 5001))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_attachments_are_checked_by_content(client, category) -> None:
    good = SimpleUploadedFile("photo.PNG", PNG, content_type="image/png")
    response = client.post(
        reverse("portal:submit"), {**submit_form(category), "attachments": [good]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.name == "photo.PNG"
    assert attachment.file.name.endswith(".png")

    fake = SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(
        reverse("portal:submit"), {**submit_form(category), "attachments": [fake]}
    )
    assert response.status_code == 400
    assert Case.objects.count() == 1


def test_too_many_or_too_large_attachments_are_refused(client, settings, category) -> None:
    settings.XIAONENG_PORTAL_MAX_FILE_SIZE = 100
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 200, content_type="image/png")
    response = client.post(
        reverse("portal:submit"), {**submit_form(category), "attachments": [big]}
    )
    assert response.status_code in (400, 413)
    files = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(4)]
    settings.XIAONENG_PORTAL_MAX_FILE_SIZE = 5 * 1024 * 1024
    response = client.post(
        reverse("portal:submit"), {**submit_form(category), "attachments": files}
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_html_is_escaped_on_the_track_page(client, users, category, basic) -> None:
    code, secret = submit(client, category, title="<script>alert(1)</script>")
    case = Case.objects.get(tracking_code=code)
    staff_reply(case, users, basic, text="<b>答复</b><script>x()</script>")
    page = track(client, code, secret).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<b>答复</b>" not in page


def test_receipt_is_shown_once(client, category) -> None:
    submit(client, category)
    assert client.get(reverse("portal:receipt")).status_code == 302


def test_rating_needs_a_tracked_case(client) -> None:
    response = client.post(reverse("portal:rate"), {"satisfaction": "satisfied", "resolved": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track")
