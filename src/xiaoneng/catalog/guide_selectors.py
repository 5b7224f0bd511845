"""Reading service guides and commitments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from xiaoneng.catalog.guides import (
    CommitmentVersion,
    GuideMaterial,
    PublishStatus,
    ServiceItem,
    ServiceItemVersion,
)


def guide_published_version(*, item: ServiceItem) -> ServiceItemVersion | None:
    """The version an application filed today runs under."""
    return (
        ServiceItemVersion.objects.filter(item=item, status=PublishStatus.PUBLISHED)
        .select_related("item__unit", "item__department")
        .prefetch_related("materials")
        .first()
    )


def guide_draft(*, item: ServiceItem) -> ServiceItemVersion | None:
    return (
        ServiceItemVersion.objects.filter(item=item, status=PublishStatus.DRAFT)
        .prefetch_related("materials")
        .first()
    )


def guide_latest_version(*, item: ServiceItem) -> ServiceItemVersion | None:
    """The draft when there is one, else the published version: what an editor starts from."""
    return guide_draft(item=item) or guide_published_version(item=item)


def guide_items_list(*, published_only: bool = False) -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(is_active=True).select_related("unit", "department")
    items = items.prefetch_related(
        Prefetch(
            "versions",
            queryset=ServiceItemVersion.objects.exclude(status=PublishStatus.SUPERSEDED),
            to_attr="live_versions",
        )
    )
    if published_only:
        items = items.filter(versions__status=PublishStatus.PUBLISHED)
    return items.order_by("sort_order", "code")


def guide_version_materials(*, version: ServiceItemVersion) -> QuerySet[GuideMaterial]:
    return version.materials.order_by("position", "id")


def commitments_published(*, unit_id: int) -> CommitmentVersion | None:
    return (
        CommitmentVersion.objects.filter(unit_id=unit_id, status=PublishStatus.PUBLISHED)
        .prefetch_related("entries")
        .first()
    )


def commitments_latest(*, unit_id: int) -> CommitmentVersion | None:
    found = CommitmentVersion.objects.filter(unit_id=unit_id).exclude(
        status=PublishStatus.SUPERSEDED
    )
    return found.prefetch_related("entries").order_by("-number").first()
