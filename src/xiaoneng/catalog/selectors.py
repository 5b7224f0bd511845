"""Reading time-limit policies."""

from __future__ import annotations

from django.db.models import QuerySet

from xiaoneng.catalog.models import PolicyStageLimit, PolicyVersion, TimeLimitPolicy


def policy_current_version(*, code: str) -> PolicyVersion | None:
    """The newest version of a policy: what a clock started today counts by."""
    return (
        PolicyVersion.objects.filter(policy__code=code)
        .select_related("policy")
        .prefetch_related("stage_limits")
        .order_by("-number")
        .first()
    )


def policy_stage_limit(*, version: PolicyVersion, stage: str) -> PolicyStageLimit | None:
    return version.stage_limit(stage)


def policies_list(*, active_only: bool = True) -> QuerySet:
    policies = TimeLimitPolicy.objects.prefetch_related("versions__stage_limits")
    if active_only:
        policies = policies.filter(is_active=True)
    return policies.order_by("code")
