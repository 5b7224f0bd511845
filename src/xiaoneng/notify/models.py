"""The notification outbox: one row per message and channel, written with the change it reports.

A row of the ``inbox`` channel *is* the in-app message; rows of the other channels wait for the
relay (``xiaoneng.notify.relay``) to hand them to their channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.fieldcrypt.fields import EncryptedTextField
from xiaoneng.notify.subjects import subject_label
from xiaoneng.privacy import mask_email, mask_phone


class Notification(models.Model):
    class Channel(models.TextChoices):
        INBOX = "inbox", _("In-app inbox")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Receipt(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")

    created_at = models.DateTimeField(_("time"))
    channel = models.CharField(_("delivery channel"), max_length=16, choices=Channel.choices)
    # Not indexed: nothing filters by it, and every message would pay for it (notify.0005).
    kind = models.CharField(_("kind"), max_length=64)
    # Staff are addressed by their login; the public by a phone number or e-mail address only.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notify_inbox_idx starts with this column
    )
    # A member of the public's phone or e-mail address: personal data, encrypted at rest.
    recipient_address = EncryptedTextField(_("recipient address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    # The stored rendering: secret parameters appear as ****** (see sealing.py).
    body = models.TextField(_("message"), blank=True)
    # A message with parameters keeps its template, its public parameters, the names of its
    # secret ones and those secrets sealed until the relay has sent the message.
    template = models.TextField(_("message template"), blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    secret_params = models.JSONField(_("secret parameters"), default=list, blank=True)
    sealed = models.TextField(_("sealed secret parameters"), blank=True, editable=False)
    link = models.CharField(_("link"), max_length=300, blank=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_number = models.CharField(_("case number"), max_length=32, blank=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What the SMS provider answered: its id for the message, and the delivery receipt fetched
    # later with that id (receipts.py). Empty for the inbox, e-mail and the recording backend.
    provider = models.CharField(_("provider"), max_length=16, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=64, blank=True)
    receipt_status = models.CharField(
        _("delivery receipt"), max_length=16, choices=Receipt.choices, blank=True
    )
    receipt_at = models.DateTimeField(_("received"), null=True, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_relay_idx"),
            models.Index(fields=["recipient_user", "channel", "read_at"], name="notify_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel="inbox", recipient_user__isnull=False)
                    | (~Q(channel="inbox") & ~Q(recipient_address=""))
                ),
                name="notify_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.kind} {self.status}"

    @property
    def subject_label(self) -> str:
        """The subject in the active language when it is one of the catalogs' messages."""
        return subject_label(self.subject)

    @property
    def body_label(self) -> str:
        """The body in the active language when it is one of the catalogs' messages (its
        parameters too where they are: a measure, a kind); as stored otherwise."""
        return subject_label(self.body) if self.body else ""

    @property
    def masked_recipient(self) -> str:
        """The recipient as it may appear in lists and logs (138****1234, a***@example.cn)."""
        if self.channel == self.Channel.SMS:
            return mask_phone(self.recipient_address)
        if self.recipient_address:
            return mask_email(self.recipient_address)
        return str(self.recipient_user) if self.recipient_user_id else ""


class SmsRecord(models.Model):
    """A text message the default SMS backend recorded instead of sending (see ``sms.py``)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    phone = EncryptedTextField(_("phone"), max_length=32)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("recorded text message")
        verbose_name_plural = _("recorded text messages")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {mask_phone(self.phone)}"


class ChannelPreference(models.Model):
    """How a person wants to be told, besides the inbox (which always gets every message).

    ``sms`` and ``email`` add those channels to the messages sent to people (``notify_people``);
    an urgent message goes by SMS whatever ``sms`` says, to ``mobile``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="channel_preference",
    )
    sms = models.BooleanField(_("also by SMS"), default=False)
    email = models.BooleanField(_("also by e-mail"), default=False)
    # Personal data, encrypted at rest like every other phone number.
    mobile = EncryptedTextField(_("mobile phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return f"{self.user} sms={self.sms} email={self.email}"
