"""Units, departments and categories (read), and the caller's notifications (read, ack)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from xiaoneng.api.auth import require_scope
from xiaoneng.api.schemas import (
    CategoryOut,
    DepartmentOut,
    Error,
    Id,
    NotificationOut,
    UnitOut,
)
from xiaoneng.cases.models import Category
from xiaoneng.errors import DomainError
from xiaoneng.notify.models import Notification
from xiaoneng.notify.selectors import inbox_for
from xiaoneng.notify.services import notification_mark_read
from xiaoneng.org.models import Department, Unit

router = Router()
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}


@router.get("/units", response={200: list[UnitOut], **ERRORS}, tags=["organisation"])
def unit_list(request: HttpRequest):
    require_scope(request, "catalog:read")
    return [
        {
            "id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent_id,
        }
        for unit in Unit.objects.filter(is_active=True)
    ]


class DepartmentFilters(Schema):
    unit: Id | None = None


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS}, tags=["organisation"])
def department_list(request: HttpRequest, filters: Query[DepartmentFilters]):
    require_scope(request, "catalog:read")
    departments = Department.objects.filter(is_active=True)
    if filters.unit is not None:
        departments = departments.filter(unit_id=filters.unit)
    return [
        {
            "id": department.pk,
            "unit": department.unit_id,
            "code": department.code,
            "name": department.name,
            "duties": department.duties,
        }
        for department in departments
    ]


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, tags=["organisation"])
def category_list(request: HttpRequest):
    require_scope(request, "catalog:read")
    return [
        {
            "code": category.code,
            "name": category.name,
            "default_department": category.default_department_id,
        }
        for category in Category.objects.filter(is_active=True)
    ]


class InboxFilters(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/notifications", response={200: list[NotificationOut], **ERRORS}, tags=["notifications"]
)
def notification_list(request: HttpRequest, filters: Query[InboxFilters]):
    """The caller's in-app messages, newest first (an integration client: its service account's)."""
    caller = require_scope(request, "notifications:read")
    rows = inbox_for(user=caller.user)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return [_notification(row) for row in rows[: filters.limit]]


@router.post(
    "/notifications/{notification_id}/ack",
    response={200: NotificationOut, **ERRORS},
    tags=["notifications"],
)
def notification_ack(
    request: HttpRequest, notification_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
):
    """Mark one of the caller's messages read; again is harmless."""
    caller = require_scope(request, "notifications:read")
    row = inbox_for(user=caller.user).filter(pk=notification_id).first()
    if row is None:
        raise Http404
    try:
        row = notification_mark_read(notification=row, user=caller.user)
    except DomainError:
        raise Http404 from None
    return _notification(row)


def _notification(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "created_at": row.created_at,
        "kind": row.kind,
        "subject": row.subject,
        "body": row.body,
        "case_number": row.case_number,
        "read_at": row.read_at,
    }
