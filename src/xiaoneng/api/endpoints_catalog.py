"""Service guides (办事指南), read only: the published version of each active item.

Drafts and superseded versions are never served; the same public selectors as the portal's
guide pages decide what is published.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router

from xiaoneng.api.auth import require_scope
from xiaoneng.api.schemas import Error, In, ServiceItemDetail, ServiceItemOut
from xiaoneng.catalog.guides import ServiceItemVersion
from xiaoneng.catalog.public_guides import (
    guide_filters_parse,
    public_guide,
    public_versions_filtered,
)

router = Router()
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}
Code = Annotated[str, Field(max_length=48, pattern=r"^[-a-zA-Z0-9_]+$")]


class ServiceItemFilters(In):
    unit: str = Field("", max_length=32, description="Unit code (GET /units)")
    type: ServiceItemVersion.ItemType | None = None
    q: str = Field("", max_length=60, description="Words in the name, code or conditions")
    limit: int = Field(100, ge=1, le=500)


def _summary(version: ServiceItemVersion) -> dict[str, Any]:
    item = version.item
    return {
        "code": item.code,
        "name": version.name,
        "item_type": version.item_type,
        "unit": item.unit_id,
        "unit_name": item.unit.name,
        "department": item.department_id,
        "department_name": item.department.name if item.department else "",
        "version": version.number,
        "published_at": version.published_at,
        "statutory_limit": version.statutory_limit,
        "committed_limit": version.committed_limit,
        "online": version.online,
    }


@router.get(
    "/service-items",
    response={200: list[ServiceItemOut], **ERRORS},
    tags=["service guides"],
    summary="List published service items",
)
def service_item_list(request: HttpRequest, filters: Query[ServiceItemFilters]):
    """Published guides of active items, in the catalogue's order."""
    require_scope(request, "catalog:read")
    parsed = guide_filters_parse(
        q=filters.q, unit=filters.unit, item_type=filters.type.value if filters.type else ""
    )
    versions = public_versions_filtered(parsed)[: filters.limit]
    return [_summary(version) for version in versions]


@router.get(
    "/service-items/{code}",
    response={200: ServiceItemDetail, **ERRORS},
    tags=["service guides"],
    summary="One published service guide with its materials",
)
def service_item_detail(request: HttpRequest, code: Path[Code]):
    require_scope(request, "catalog:read")
    version = public_guide(code=code)
    return {
        **_summary(version),
        "legal_basis": version.legal_basis,
        "conditions": version.conditions,
        "process_steps": version.steps,
        "fees": version.fees,
        "fee_basis": version.fee_basis,
        "window_address": version.window_address,
        "window_hours": version.window_hours,
        "enquiry_phone": version.enquiry_phone,
        "supervision_phone": version.supervision_phone,
        "materials": [
            {
                "name": material.name,
                "copies": material.copies,
                "form": material.form,
                "file_format": material.file_format,
                "notes": material.notes,
                "conditional": material.conditional,
            }
            for material in version.materials.all()
        ],
    }
