"""Read-only views of the outbox for operators, with a requeue action for failed messages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from xiaoneng.errors import DomainError
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.services import notification_retry
from xiaoneng.privacy import mask_phone


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(Notification)
class NotificationAdmin(_ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "channel",
        "kind",
        "recipient",
        "case_number",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "receipt_status",
    ]
    list_filter = ["status", "channel", "receipt_status"]
    search_fields = ["kind", "case_number"]
    list_select_related = ["recipient_user"]
    actions = ["retry"]
    # The full address stays out of the change page too; so do the subject, the text, its
    # template and parameters, which carry a case's title and the news about it: the operator
    # (an administrator, 三员分立) sees that a message went out, never what it said. The sealed
    # secret is shown to nobody.
    exclude = [
        "recipient_address",
        "subject",
        "body",
        "template",
        "params",
        "secret_params",
        "sealed",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [name for name in fields if name not in self.exclude] + ["recipient"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj: Notification) -> str:
        return obj.masked_recipient

    @admin.action(description=_("Send the selected failed messages again"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        done = 0
        for notification in queryset.filter(status=Notification.Status.FAILED):
            try:
                notification_retry(notification=notification, by=request.user)
            except DomainError as exc:  # Requeued by someone else meanwhile.
                self.message_user(request, str(exc), messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(SmsRecord)
class SmsRecordAdmin(_ReadOnlyAdmin):
    list_display = ["id", "created_at", "masked_phone", "text"]
    exclude = ["phone"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["created_at", "masked_phone", "text"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: SmsRecord) -> str:
        return mask_phone(obj.phone)
