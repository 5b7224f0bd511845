"""The time-limit policies of internal matters live in catalog's versioned policies; this
creates the missing ones (on first use, or from the demo) and reads the current versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch

from xiaoneng.audit.services import log_action
from xiaoneng.catalog.models import PolicyStageLimit, PolicyVersion, TimeLimitPolicy
from xiaoneng.internal.policies import INTERNAL_POLICIES, version_fields

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

CODES = [spec["code"] for spec in INTERNAL_POLICIES]


def internal_policies_seed(*, by: Actor = None) -> list[TimeLimitPolicy]:
    """Create the internal-matter policies that do not exist yet; existing ones (and their
    later versions) are untouched."""
    created: list[TimeLimitPolicy] = []
    with transaction.atomic():
        for spec in INTERNAL_POLICIES:
            if TimeLimitPolicy.objects.filter(code=spec["code"]).exists():
                continue
            policy = TimeLimitPolicy.objects.create(
                code=spec["code"], name=spec["name"], name_en=spec.get("name_en", "")
            )
            version = PolicyVersion.objects.create(policy=policy, number=1, **version_fields(spec))
            PolicyStageLimit.objects.bulk_create(
                PolicyStageLimit(version=version, stage=stage, amount=amount, counting=counting)
                for stage, (amount, counting) in spec["stages"].items()
            )
            log_action(
                action="internal.policy.seed",
                obj=version,
                actor=by,
                summary={"code": policy.code, "version": version.number},
            )
            created.append(policy)
    return created


def internal_policies() -> list[TimeLimitPolicy]:
    """The published limits: each internal policy with its versions, newest first."""
    versions = PolicyVersion.objects.order_by("-number").prefetch_related("stage_limits")
    policies = TimeLimitPolicy.objects.filter(code__in=CODES).prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    return sorted(policies, key=lambda policy: CODES.index(policy.code))
