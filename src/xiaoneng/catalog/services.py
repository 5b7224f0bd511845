"""Time-limit policies: seeding the presets and editing by new versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.catalog.models import PolicyStageLimit, PolicyVersion, TimeLimitPolicy
from xiaoneng.catalog.presets import PRESETS, preset_stage_rows, preset_version_fields
from xiaoneng.errors import DomainError
from xiaoneng.workdays.periods import Counting

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

# The fields of PolicyVersion an edit may change; the rest is bookkeeping.
VERSION_FIELDS = (
    "count_start",
    "closing_time",
    "prewarn_workdays",
    "prewarn_fractions",
    "yellow_grace_workdays",
    "extension_allowed",
    "extension_max",
    "after_supplement",
    "source",
    "note",
)


def _create_version(
    *, policy: TimeLimitPolicy, fields: dict[str, Any], stages: list[dict[str, Any]], by: Actor
) -> PolicyVersion:
    last = policy.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PolicyVersion.objects.create(
        policy=policy, number=last + 1, created_by=by if getattr(by, "pk", None) else None, **fields
    )
    PolicyStageLimit.objects.bulk_create(PolicyStageLimit(version=version, **row) for row in stages)
    return version


def _validate(fields: dict[str, Any], stages: list[dict[str, Any]]) -> None:
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown policy fields: {', '.join(sorted(unknown))}")
    for row in stages:
        if row["counting"] not in {counting.value for counting in Counting}:
            raise DomainError(_("Unknown unit of counting."))
        if row["amount"] < 0 or (row["amount"] == 0 and row["counting"] != Counting.DAYS):
            raise DomainError(_("Only a calendar-day limit may be zero (the same day)."))
    fractions = fields.get("prewarn_fractions") or []
    if any(not 0 < int(f) < 100 for f in fractions):
        raise DomainError(_("Pre-warning percentages must lie between 0 and 100."))


def policies_seed(*, by: Actor = None) -> list[TimeLimitPolicy]:
    """Create the presets of DESIGN.md §5 that do not exist yet; existing ones are untouched."""
    created: list[TimeLimitPolicy] = []
    with transaction.atomic():
        for preset in PRESETS:
            if TimeLimitPolicy.objects.filter(code=preset["code"]).exists():
                continue
            policy = TimeLimitPolicy.objects.create(
                code=preset["code"], name=preset["name"], name_en=preset.get("name_en", "")
            )
            version = _create_version(
                policy=policy,
                fields=preset_version_fields(preset),
                stages=preset_stage_rows(preset),
                by=by,
            )
            created.append(policy)
            log_action(
                action="catalog.policy.seed",
                obj=version,
                actor=by,
                summary={"code": policy.code, "version": version.number},
            )
    return created


def policy_version_create(
    *,
    policy: TimeLimitPolicy,
    changes: dict[str, Any] | None = None,
    stages: dict[str, dict[str, Any] | None] | None = None,
    by: Actor = None,
) -> PolicyVersion:
    """Edit a policy: a new version copying the newest one with ``changes`` applied.

    ``stages`` maps a stage to its new ``{"amount", "counting", "count_start"}`` (missing keys
    keep their value) or to ``None`` to drop that stage. Running clocks keep their version.
    """
    changes = dict(changes or {})
    with transaction.atomic():
        policy = TimeLimitPolicy.objects.select_for_update().get(pk=policy.pk)
        current = policy.versions.order_by("-number").prefetch_related("stage_limits").first()
        fields = {name: getattr(current, name) for name in VERSION_FIELDS} if current else {}
        fields.update(changes)
        rows = {
            limit.stage: {
                "stage": limit.stage,
                "amount": limit.amount,
                "counting": limit.counting,
                "count_start": limit.count_start,
            }
            for limit in (current.stage_limits.all() if current else [])
        }
        for stage, spec in (stages or {}).items():
            if spec is None:
                rows.pop(stage, None)
            else:
                rows[stage] = {**rows.get(stage, {"count_start": None}), **spec, "stage": stage}
        _validate(changes, list(rows.values()))
        if "source" not in fields or not str(fields["source"]).strip():
            raise DomainError(_("A policy version needs its source."))
        version = _create_version(policy=policy, fields=fields, stages=list(rows.values()), by=by)
        log_action(
            action="catalog.policy.new_version",
            obj=version,
            actor=by,
            summary={
                "code": policy.code,
                "version": version.number,
                "changes": {key: str(value) for key, value in changes.items()},
                "stages": dict(stages or {}),
            },
        )
    return version
