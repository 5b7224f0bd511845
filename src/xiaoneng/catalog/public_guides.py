"""Public reading of service guides (办事指南) and unit commitments (服务承诺).

Only the published version of an active item is ever shown: drafts and superseded versions
stay in the office. Every query filters on ``status=published`` itself rather than trusting a
caller to do it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from xiaoneng.catalog.guides import (
    CommitmentEntry,
    CommitmentVersion,
    GuideMaterial,
    PublishStatus,
    ServiceItemVersion,
)
from xiaoneng.org.models import Unit

MAX_QUERY = 60


@dataclass(frozen=True)
class GuideFilters:
    q: str = ""
    unit: str = ""
    item_type: str = ""


def guide_filters_parse(*, q: str = "", unit: str = "", item_type: str = "") -> GuideFilters:
    """Clean the raw query string: unknown types are ignored, the search is trimmed."""
    item_type = item_type if item_type in ServiceItemVersion.ItemType.values else ""
    # NUL can arrive in a query string but can never match (PostgreSQL refuses it in text).
    q, unit = q.replace("\x00", ""), unit.replace("\x00", "")
    return GuideFilters(q=" ".join(q.split())[:MAX_QUERY], unit=unit[:32], item_type=item_type)


def public_versions() -> QuerySet[ServiceItemVersion]:
    """Published versions of active items, in the catalogue's order."""
    return (
        ServiceItemVersion.objects.filter(
            status=PublishStatus.PUBLISHED, item__is_active=True, item__unit__is_active=True
        )
        .select_related("item__unit", "item__department")
        .order_by("item__sort_order", "item__code")
    )


def public_versions_filtered(filters: GuideFilters) -> QuerySet[ServiceItemVersion]:
    versions = public_versions()
    if filters.unit:
        versions = versions.filter(item__unit__code=filters.unit)
    if filters.item_type:
        versions = versions.filter(item_type=filters.item_type)
    for word in filters.q.split():
        # Every word must match somewhere: the name, the code, the conditions or a material,
        # in Chinese or in English.
        materials = GuideMaterial.objects.filter(version=OuterRef("pk"))
        versions = versions.filter(
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(item__code__icontains=word)
            | Q(conditions__icontains=word)
            | Q(conditions_en__icontains=word)
            | Exists(materials.filter(Q(name__icontains=word) | Q(name_en__icontains=word)))
        )
    return versions


def public_guides_page(*, filters: GuideFilters, page: int | str = 1, per_page: int = 20) -> Page:
    return Paginator(public_versions_filtered(filters), per_page).get_page(page)


def public_guide_units() -> QuerySet[Unit]:
    """Units that have at least one published guide (the unit filter's choices)."""
    published = ServiceItemVersion.objects.filter(
        status=PublishStatus.PUBLISHED, item__is_active=True, item__unit=OuterRef("pk")
    )
    return Unit.objects.filter(Exists(published), is_active=True).order_by("sort_order", "code")


def public_guide(*, code: str) -> ServiceItemVersion:
    """The published version of one item, with its materials; 404 when there is none."""
    version = (
        public_versions()
        .filter(item__code=code)
        .prefetch_related(
            Prefetch("materials", queryset=GuideMaterial.objects.order_by("position", "id"))
        )
        .first()
    )
    if version is None:
        raise Http404("no published guide")
    return version


def public_commitments(*, unit: str = "") -> list[CommitmentVersion]:
    """Published commitments of every active unit (or of one unit, by code)."""
    found = (
        CommitmentVersion.objects.filter(status=PublishStatus.PUBLISHED, unit__is_active=True)
        .select_related("unit")
        .prefetch_related(
            Prefetch("entries", queryset=CommitmentEntry.objects.order_by("position", "id"))
        )
        .order_by("unit__sort_order", "unit__code")
    )
    if unit:
        found = found.filter(unit__code=unit[:32])
    return list(found)
