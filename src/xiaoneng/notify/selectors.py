"""Reading the outbox: a person's inbox, their unread count, the messages that failed."""

from __future__ import annotations

from django.db.models import QuerySet

from xiaoneng.notify.models import ChannelPreference, Notification
from xiaoneng.org.models import User


def inbox_for(*, user: User) -> QuerySet[Notification]:
    """The person's in-app messages, newest first (pending ones too: the row is the message)."""
    return Notification.objects.filter(
        recipient_user=user, channel=Notification.Channel.INBOX
    ).order_by("-created_at", "-id")


def inbox_unread_count(*, user: User) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient_user=user, channel=Notification.Channel.INBOX, read_at__isnull=True
    ).count()


def notifications_failed() -> QuerySet[Notification]:
    """Messages the relay gave up on, newest first, for an operator to inspect or requeue."""
    return Notification.objects.filter(status=Notification.Status.FAILED).order_by("-id")


def channel_preference_of(*, user: User) -> ChannelPreference:
    """The person's channel preference, or an unsaved default one (the inbox only)."""
    found = ChannelPreference.objects.filter(user=user).first()
    return found or ChannelPreference(user=user)
