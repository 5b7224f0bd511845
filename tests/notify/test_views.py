"""The inbox: signed-in only, one's own messages only, marking read by POST, constant queries."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from xiaoneng.notify.context import unread_count
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notifications_enqueue_for_users

pytestmark = pytest.mark.django_db


def send(users, count: int = 1, **fields) -> None:
    with transaction.atomic():
        for i in range(count):
            notifications_enqueue_for_users(
                users=users,
                kind="case.dispatched",
                subject=fields.get("subject", f"A case to sign for {i}"),
                body=f"XN{i:04d} 学校违规收费",
                case_number=f"XN{i:04d}",
                link=fields.get("link", ""),
            )


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("notify:inbox", [], "get"),
        ("notify:mark_read", [1], "post"),
        ("notify:mark_all_read", [], "post"),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, name, args, method) -> None:
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("office:login"))


def test_demo_head_sees_own_messages_only(client, users) -> None:
    send([users["head"]], subject="给科长的消息")
    send([users["handler_a"]], subject="给经办人的消息")
    client.force_login(users["head"])
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "给科长的消息" in body
    assert "给经办人的消息" not in body
    assert "XN0000" in body
    assert [row.recipient_user_id for row in response.context["page"]] == [users["head"].pk]
    assert response.context["inbox_unread"] == 1


def test_newest_first_and_unread_marked(client) -> None:
    user = UserFactory()
    send([user], count=3)
    first = Notification.objects.order_by("id").first()
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    client.force_login(user)
    response = client.get(reverse("notify:inbox"))
    rows = list(response.context["page"])
    assert [row.subject for row in rows] == [f"A case to sign for {i}" for i in (2, 1, 0)]
    body = response.content.decode()
    assert body.count('class="unread"') == 2
    assert body.count('class="read"') == 1


def test_mark_read_is_post_only_and_own_rows_only(client) -> None:
    owner, other = UserFactory(), UserFactory()
    send([owner])
    row = Notification.objects.get()
    url = reverse("notify:mark_read", args=[row.pk])
    client.force_login(other)
    assert client.post(url).status_code == 404
    assert client.post(reverse("notify:mark_read", args=[row.pk + 999])).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 405
    response = client.post(url, {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("notify:inbox") + "?page=2"
    row.refresh_from_db()
    assert row.read_at is not None


def test_open_marks_read_and_follows_only_local_links(client) -> None:
    user = UserFactory()
    send([user], count=2, link="/cases/1/")
    first, second = Notification.objects.order_by("id")
    client.force_login(user)
    response = client.post(reverse("notify:mark_read", args=[first.pk]), {"next": first.link})
    assert response["Location"] == "/cases/1/"
    evil = client.post(
        reverse("notify:mark_read", args=[second.pk]), {"next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("notify:inbox")


def test_mark_all_read(client) -> None:
    user, other = UserFactory(), UserFactory()
    send([user, other], count=3)
    client.force_login(user)
    assert client.get(reverse("notify:mark_all_read")).status_code == 405
    response = client.post(reverse("notify:mark_all_read"), follow=True)
    assert response.context["inbox_unread"] == 0
    assert not Notification.objects.filter(recipient_user=user, read_at=None).exists()
    assert Notification.objects.filter(recipient_user=other, read_at=None).count() == 3


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_queries_stay_constant(client, users, django_assert_max_num_queries, count) -> None:
    send([users["head"]], count=count)
    client.force_login(users["head"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notify:inbox") + "?page=2")
        assert int(response.context["inbox_unread"]) == count


def test_unread_count_is_lazy_and_zero_for_anonymous(django_assert_num_queries) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory()
    send([user], count=2)
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(0):
        context = unread_count(request)
    with django_assert_num_queries(1):
        assert int(context["inbox_unread"]) == 2
        assert context["inbox_unread"]
        assert str(context["inbox_unread"]) == "2"
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert int(unread_count(request)["inbox_unread"]) == 0
