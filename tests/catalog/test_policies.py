"""Time-limit policies: seeded presets with their sources, and editing by new versions."""

from __future__ import annotations

import pytest

from tests.workdays.conftest import at
from xiaoneng.audit.models import AuditEntry
from xiaoneng.catalog.models import PolicyVersion, TimeLimitPolicy
from xiaoneng.catalog.presets import PRESETS
from xiaoneng.catalog.selectors import policies_list, policy_current_version, policy_stage_limit
from xiaoneng.catalog.services import policies_seed, policy_version_create
from xiaoneng.errors import DomainError
from xiaoneng.workdays.services import calendar_load, clock_start

pytestmark = pytest.mark.django_db

EXPECTED = {
    # code: {stage: (amount, counting)} — DESIGN.md §5
    # Every preset also has the intake pool's acceptance limit (a local default).
    "hotline-consult": {"sign_for": (1, "workdays"), "reply": (5, "workdays")},
    "hotline-complaint": {"sign_for": (1, "workdays"), "reply": (15, "workdays")},
    "bureau-consult": {"intake": (1, "workdays"), "reply": (5, "workdays")},
    "bureau-complaint": {"intake": (1, "workdays"), "reply": (15, "workdays")},
    "urgent": {"sign_for": (2, "hours"), "reply": (0, "days"), "intake": (1, "hours")},
    "efficiency-referral": {"sign_for": (7, "workdays"), "reply": (30, "workdays")},
    "petition": {"sign_for": (15, "days"), "reply": (60, "days")},
    "deputy-proposal": {"sign_for": (5, "workdays"), "reply": (3, "months")},
    "info-disclosure": {"reply": (20, "workdays")},
    "admin-licence": {"one_time_notice": (5, "workdays"), "reply": (20, "workdays")},
}


def test_presets_are_seeded_with_their_sources() -> None:
    policies_seed()
    assert {policy.code for policy in policies_list()} == set(EXPECTED)
    for code, stages in EXPECTED.items():
        version = policy_current_version(code=code)
        assert version.number == 1
        assert version.source.strip()
        assert version.prewarn_workdays == 1
        assert version.yellow_grace_workdays == 5
        assert policy_stage_limit(version=version, stage="intake") is not None
        for stage, (amount, counting) in stages.items():
            limit = policy_stage_limit(version=version, stage=stage)
            assert (limit.amount, limit.counting) == (amount, counting)
    assert policy_current_version(code="efficiency-referral").extension_max == 30
    assert policy_current_version(code="info-disclosure").after_supplement == "restart"
    assert not policy_current_version(code="urgent").extension_allowed
    assert policy_current_version(code="urgent").prewarn_fractions == [50, 75]


def test_seed_is_idempotent_and_restores_a_missing_preset() -> None:
    policies_seed()
    assert policies_seed() == []
    policy = TimeLimitPolicy.objects.get(code="petition")
    PolicyVersion.objects.filter(policy=policy).delete()
    policy.delete()
    assert [p.code for p in policies_seed()] == ["petition"]
    assert TimeLimitPolicy.objects.count() == len(PRESETS)
    assert AuditEntry.objects.filter(action="catalog.policy.seed").exists()


def test_editing_creates_a_version_and_running_clocks_keep_theirs() -> None:
    policies_seed()
    calendar_load(years=[2026])
    policy = TimeLimitPolicy.objects.get(code="hotline-consult")
    v1 = policy_current_version(code="hotline-consult")
    clock = clock_start(
        owner_type="cases.case",
        owner_id=1,
        stage="reply",
        started_at=at("2026-09-30 10:00"),
        policy_version=v1,
    )
    v2 = policy_version_create(
        policy=policy,
        changes={"prewarn_fractions": [50], "source": "本地12345规则（2026年修订）"},
        stages={"reply": {"amount": 3}, "rating": None},
    )
    assert v2.number == 2
    assert policy_current_version(code="hotline-consult") == v2
    assert policy_stage_limit(version=v2, stage="reply").amount == 3
    assert policy_stage_limit(version=v2, stage="reply").counting == "workdays"
    assert policy_stage_limit(version=v2, stage="rating") is None
    assert policy_stage_limit(version=v2, stage="sign_for").amount == 1
    # Version 1 is untouched and the running clock still counts by it.
    assert policy_stage_limit(version=v1, stage="reply").amount == 5
    clock.refresh_from_db()
    assert (clock.policy_version_id, clock.limit) == (v1.pk, 5)
    entry = AuditEntry.objects.get(action="catalog.policy.new_version")
    assert entry.summary["version"] == 2


def test_invalid_edits_are_refused() -> None:
    policies_seed()
    policy = TimeLimitPolicy.objects.get(code="petition")
    with pytest.raises(DomainError, match="Only a calendar-day limit may be zero"):
        policy_version_create(
            policy=policy, stages={"reply": {"amount": 0, "counting": "workdays"}}
        )
    with pytest.raises(DomainError, match="between 0 and 100"):
        policy_version_create(policy=policy, changes={"prewarn_fractions": [150]})
    with pytest.raises(DomainError, match="needs its source"):
        policy_version_create(policy=policy, changes={"source": " "})
    assert policy.versions.count() == 1
