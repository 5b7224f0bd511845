"""Editing and publishing service guides and commitments: drafts, then published versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.catalog.guides import (
    CommitmentEntry,
    CommitmentVersion,
    GuideMaterial,
    PublishStatus,
    ServiceItem,
    ServiceItemVersion,
)
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Department, Unit

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

GUIDE_FIELDS = (
    "name",
    "item_type",
    "legal_basis",
    "conditions",
    "process_steps",
    "statutory_limit",
    "committed_limit",
    "fees",
    "fee_basis",
    "window_address",
    "window_hours",
    "enquiry_phone",
    "supervision_phone",
    "online",
    # What English pages read instead (each optional: blank shows the Chinese).
    "name_en",
    "legal_basis_en",
    "conditions_en",
    "process_steps_en",
    "fees_en",
    "fee_basis_en",
    "window_address_en",
    "window_hours_en",
)
MATERIAL_FIELDS = (
    "name",
    "copies",
    "form",
    "file_format",
    "notes",
    "conditional",
    "name_en",
    "file_format_en",
    "notes_en",
)


class GuideFieldError(DomainError):
    """A refused value, with the field it belongs to (forms show it next to that field)."""

    def __init__(self, field: str, message: str | Promise) -> None:
        super().__init__(message, code="invalid_field")
        self.field = field


def _user(by: Actor) -> Any:
    return by if getattr(by, "pk", None) else None


def _text(fields: dict[str, Any], name: str) -> str:
    return str(fields.get(name) or "").strip()


def _validate_guide(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise ValueError(f"unknown guide fields: {', '.join(sorted(unknown))}")
    clean = {name: fields.get(name) for name in GUIDE_FIELDS}
    for name in GUIDE_FIELDS:
        if name not in ("statutory_limit", "committed_limit", "online"):
            clean[name] = _text(fields, name)
    clean["online"] = bool(fields.get("online"))
    if not clean["name"]:
        raise GuideFieldError("name", _("Name: please give the name of the service item."))
    if clean["item_type"] not in ServiceItemVersion.ItemType.values:
        raise GuideFieldError("item_type", _("Type: choose a licence, a public service or other."))
    if not clean["legal_basis"]:
        raise GuideFieldError("legal_basis", _("Legal basis: please give the legal basis."))
    try:
        statutory = int(fields.get("statutory_limit") or 0)
        committed = int(fields.get("committed_limit") or 0)
    except (TypeError, ValueError):
        raise GuideFieldError(
            "committed_limit", _("Time limits: please give whole working days.")
        ) from None
    if statutory <= 0:
        raise GuideFieldError(
            "statutory_limit", _("Statutory time limit: must be at least one working day.")
        )
    if committed <= 0:
        raise GuideFieldError(
            "committed_limit", _("Committed time limit: must be at least one working day.")
        )
    if committed > statutory:
        raise GuideFieldError(
            "committed_limit",
            _(
                "Committed time limit: %(committed)d working days is longer than the statutory "
                "limit of %(statutory)d working days."
            )
            % {"committed": committed, "statutory": statutory},
        )
    clean["statutory_limit"], clean["committed_limit"] = statutory, committed
    return clean


def _validate_materials(materials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in materials:
        name = _text(raw, "name")
        if not name:
            continue
        key = "".join(name.split()).casefold()
        if key in seen:
            raise GuideFieldError(
                "materials",
                _("Required materials: 「%(name)s」 is listed twice.") % {"name": name},
            )
        seen.add(key)
        form = raw.get("form") or GuideMaterial.Form.ORIGINAL
        if form not in GuideMaterial.Form.values:
            raise GuideFieldError(
                "materials",
                _("Required materials: unknown form for 「%(name)s」.") % {"name": name},
            )
        try:
            copies = int(raw.get("copies") or 1)
        except (TypeError, ValueError):
            copies = 0
        if copies < 1:
            raise GuideFieldError(
                "materials",
                _("Required materials: 「%(name)s」 needs at least one copy.") % {"name": name},
            )
        rows.append(
            {
                "name": name,
                "copies": copies,
                "form": form,
                "file_format": _text(raw, "file_format"),
                "notes": _text(raw, "notes"),
                "conditional": bool(raw.get("conditional")),
                "name_en": _text(raw, "name_en"),
                "file_format_en": _text(raw, "file_format_en"),
                "notes_en": _text(raw, "notes_en"),
            }
        )
    return rows


def guide_item_create(
    *,
    code: str,
    unit: Unit,
    department: Department | None = None,
    category_code: str = "other",
    sort_order: int = 0,
    by: Actor = None,
) -> ServiceItem:
    code = code.strip()
    if not code:
        raise GuideFieldError("code", _("Code: please give the item's code."))
    if department is not None and department.unit_id != unit.pk:
        raise GuideFieldError(
            "department", _("Responsible department: it must belong to the responsible unit.")
        )
    with transaction.atomic():
        if ServiceItem.objects.filter(code=code).exists():
            raise GuideFieldError("code", _("Code: another service item already uses this code."))
        item = ServiceItem.objects.create(
            code=code,
            unit=unit,
            department=department,
            category_code=category_code,
            sort_order=sort_order,
        )
        log_action(action="catalog.guide.item_create", obj=item, actor=by, unit_id=unit.pk)
    return item


def guide_draft_save(
    *, item: ServiceItem, fields: dict[str, Any], materials: list[dict[str, Any]], by: Actor = None
) -> ServiceItemVersion:
    """Write the item's draft (the next version), creating it when there is none."""
    clean = _validate_guide(fields)
    rows = _validate_materials(materials)
    with transaction.atomic():
        item = ServiceItem.objects.select_for_update().get(pk=item.pk)
        draft = item.versions.filter(status=PublishStatus.DRAFT).first()
        if draft is None:
            last = item.versions.order_by("-number").values_list("number", flat=True).first()
            draft = ServiceItemVersion(
                item=item, number=(last or 0) + 1, created_by=_user(by), **clean
            )
        else:
            for name, value in clean.items():
                setattr(draft, name, value)
        draft.save()
        draft.materials.all().delete()
        GuideMaterial.objects.bulk_create(
            GuideMaterial(version=draft, position=index, **row) for index, row in enumerate(rows)
        )
        log_action(
            action="catalog.guide.draft_save",
            obj=draft,
            actor=by,
            unit_id=item.unit_id,
            summary={"code": item.code, "version": draft.number, "materials": len(rows)},
        )
    return draft


def guide_publish(*, version: ServiceItemVersion, by: Actor = None) -> ServiceItemVersion:
    """Publish a draft; the previously published version is superseded (and kept)."""
    with transaction.atomic():
        item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
        version = ServiceItemVersion.objects.get(pk=version.pk)
        if version.status == PublishStatus.PUBLISHED:
            return version
        if version.status != PublishStatus.DRAFT:
            raise DomainError(_("Only a draft can be published."))
        fields = {name: getattr(version, name) for name in GUIDE_FIELDS}
        _validate_guide(fields)
        if not version.supervision_phone.strip():
            raise GuideFieldError(
                "supervision_phone",
                _("Supervision phone: a guide cannot be published without it."),
            )
        if not version.enquiry_phone.strip():
            raise GuideFieldError(
                "enquiry_phone", _("Enquiry phone: a guide cannot be published without it.")
            )
        if not version.materials.exists():
            raise GuideFieldError("materials", _("Required materials: list at least one material."))
        item.versions.filter(status=PublishStatus.PUBLISHED).update(status=PublishStatus.SUPERSEDED)
        version.status = PublishStatus.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = _user(by)
        version.save(update_fields=["status", "published_at", "published_by"])
        log_action(
            action="catalog.guide.publish",
            obj=version,
            actor=by,
            unit_id=item.unit_id,
            summary={"code": item.code, "version": version.number},
        )
    return version


def guide_draft_discard(*, version: ServiceItemVersion, by: Actor = None) -> None:
    with transaction.atomic():
        version = ServiceItemVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PublishStatus.DRAFT:
            raise DomainError(_("Only a draft can be discarded."))
        log_action(
            action="catalog.guide.draft_discard",
            obj=version,
            actor=by,
            unit_id=version.item.unit_id,
            summary={"code": version.item.code, "version": version.number},
        )
        version.delete()


# -- commitments --------------------------------------------------------------------------------


def commitments_draft_save(
    *,
    unit: Unit,
    title: str,
    entries: list[str],
    title_en: str = "",
    entries_en: list[str] | None = None,
    by: Actor = None,
) -> CommitmentVersion:
    """The unit's draft commitments, created or replaced. ``entries_en`` gives the English of
    the commitments in the same order (optional, one per commitment at most)."""
    title = title.strip()
    if not title:
        raise GuideFieldError("title", _("Title: please give the title of the commitments."))
    texts = [entry.strip() for entry in entries if entry and entry.strip()]
    if not texts:
        raise GuideFieldError("entries", _("Commitments: write at least one commitment."))
    if len(set(texts)) != len(texts):
        raise GuideFieldError("entries", _("Commitments: a commitment is listed twice."))
    english = [entry.strip() for entry in entries_en or [] if entry and entry.strip()]
    if len(english) > len(texts):
        raise GuideFieldError(
            "entries_en",
            _("Commitments in English: more lines than commitments; write one line for each."),
        )
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)
        draft = CommitmentVersion.objects.filter(unit=unit, status=PublishStatus.DRAFT).first()
        if draft is None:
            last = (
                CommitmentVersion.objects.filter(unit=unit)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            draft = CommitmentVersion(unit=unit, number=(last or 0) + 1, created_by=_user(by))
        draft.title = title
        draft.title_en = title_en.strip()
        draft.save()
        draft.entries.all().delete()
        CommitmentEntry.objects.bulk_create(
            CommitmentEntry(
                version=draft,
                position=index,
                text=text,
                text_en=english[index] if index < len(english) else "",
            )
            for index, text in enumerate(texts)
        )
        log_action(
            action="catalog.commitments.draft_save",
            obj=draft,
            actor=by,
            unit_id=unit.pk,
            summary={"version": draft.number, "entries": len(texts)},
        )
    return draft


def commitments_publish(*, version: CommitmentVersion, by: Actor = None) -> CommitmentVersion:
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=version.unit_id)
        version = CommitmentVersion.objects.get(pk=version.pk)
        if version.status == PublishStatus.PUBLISHED:
            return version
        if version.status != PublishStatus.DRAFT:
            raise DomainError(_("Only a draft can be published."))
        CommitmentVersion.objects.filter(
            unit_id=version.unit_id, status=PublishStatus.PUBLISHED
        ).update(status=PublishStatus.SUPERSEDED)
        version.status = PublishStatus.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        log_action(
            action="catalog.commitments.publish",
            obj=version,
            actor=by,
            unit_id=version.unit_id,
            summary={"version": version.number},
        )
    return version
