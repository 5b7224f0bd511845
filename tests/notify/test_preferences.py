"""Per-person channel preferences: the inbox always, SMS and/or e-mail on request, urgent
messages by SMS whatever the preference; the person's own settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.notify.models import ChannelPreference, Notification
from xiaoneng.notify.services import channel_preference_set, notify_people

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


def channels_of(user) -> list[tuple[str, str]]:
    return sorted(
        (row.channel, row.recipient_address)
        for row in Notification.objects.filter(recipient_user=user, kind="test.alert")
    )


def alert(people, *, urgent: bool = False) -> int:
    return notify_people(
        people, kind="test.alert", subject="预警", body="XN0001 即将超时", obj=None, urgent=urgent
    )


def test_inbox_only_without_a_preference(staff_of) -> None:
    head = staff_of("head")
    assert alert([head]) == 1
    assert channels_of(head.user) == [("inbox", "")]


def test_sms_and_email_as_the_person_asked(staff_of) -> None:
    head = staff_of("head")
    head.user.email = "head@bureau.example"
    head.user.save()
    channel_preference_set(user=head.user, sms=True, email=True, mobile="139 1234 5678")
    alert([head])
    assert channels_of(head.user) == [
        ("email", "head@bureau.example"),
        ("inbox", ""),
        ("sms", MOBILE),
    ]


def test_urgent_goes_by_sms_whatever_the_preference(staff_of) -> None:
    head = staff_of("head")
    channel_preference_set(user=head.user, sms=False, email=False, mobile=MOBILE)
    alert([head])
    assert channels_of(head.user) == [("inbox", "")]
    Notification.objects.all().delete()
    alert([head], urgent=True)
    assert channels_of(head.user) == [("inbox", ""), ("sms", MOBILE)]


def test_urgent_without_a_given_number_uses_a_mobile_office_phone(staff_of) -> None:
    head, handler = staff_of("head"), staff_of("handler_a")
    head.phone, handler.phone = "138-0000-1111", "0571-87654321"
    head.save()
    handler.save()
    alert([head, handler], urgent=True)
    assert channels_of(head.user) == [("inbox", ""), ("sms", "13800001111")]
    assert channels_of(handler.user) == [("inbox", "")]  # a landline gets no text


def test_preference_rules(staff_of) -> None:
    head = staff_of("head")
    head.user.email = ""
    head.user.save()
    with pytest.raises(DomainError):
        channel_preference_set(user=head.user, sms=True, email=False, mobile="")
    with pytest.raises(DomainError):
        channel_preference_set(user=head.user, sms=True, email=False, mobile="12345")
    with pytest.raises(DomainError):
        channel_preference_set(user=head.user, sms=False, email=True, mobile="")
    assert not ChannelPreference.objects.exists()


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(reverse("notify:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("office:login"))
    response = client.post(reverse("notify:preferences"), {"sms": "on", "mobile": MOBILE})
    assert response.status_code == 302
    assert not ChannelPreference.objects.exists()


def test_a_person_sets_only_their_own(client, users) -> None:
    head, handler = users["head"], users["handler_a"]
    channel_preference_set(user=handler, sms=True, email=False, mobile="13700000000")
    client.force_login(head)
    page = client.get(reverse("notify:preferences"))
    assert page.status_code == 200
    assert "13700000000" not in page.content.decode()
    response = client.post(
        reverse("notify:preferences"),
        {"sms": "on", "mobile": MOBILE, "user": handler.pk, "user_id": handler.pk},
    )
    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=head).mobile == MOBILE
    assert ChannelPreference.objects.get(user=handler).mobile == "13700000000"
    entry = AuditEntry.objects.filter(action="notify.preferences").latest("id")
    assert entry.summary["mobile"] == "139****5678"
    assert MOBILE not in str(entry.summary)
    page = client.get(reverse("notify:preferences"))
    assert page.context["form"].initial == {"sms": True, "email": False, "mobile": MOBILE}


def test_refusal_is_shown_on_the_form(client, users) -> None:
    client.force_login(users["head"])
    response = client.post(reverse("notify:preferences"), {"sms": "on", "mobile": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not ChannelPreference.objects.exists()


def test_the_page_is_translated(client, users) -> None:
    client.force_login(users["head"])
    body = client.get(reverse("notify:preferences")).content.decode()
    assert "通知方式" in body
    with translation.override("en"):
        body = client.get(reverse("notify:preferences"), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Notification settings" in body.decode()
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert reverse("notify:preferences") in inbox
