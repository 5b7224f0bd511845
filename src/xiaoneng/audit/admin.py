from django.contrib import admin
from django.http import HttpRequest

from xiaoneng.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit administrator may look, nobody may write."""

    list_display = ("id", "created_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "actor_label", "request_id")
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
