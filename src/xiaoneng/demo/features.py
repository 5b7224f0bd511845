"""Every feature's demo on top of the bureau: one list, for `xiaoneng demo` and for the tests
that need the demo as a user sees it (a loader added here reaches both)."""

from __future__ import annotations

from xiaoneng.accountability.demo import demo_accountability_load
from xiaoneng.assessment.rollups import rollups_rebuild
from xiaoneng.campaigns.demo import demo_campaigns_load
from xiaoneng.demo.showcase import demo_showcase_load
from xiaoneng.emergencies.demo_safety import demo_emergencies_load
from xiaoneng.evaluation.demo import demo_evaluation_load
from xiaoneng.internal.demo import demo_internal_load
from xiaoneng.supervision.demo import demo_supervision_load
from xiaoneng.targets.demo import demo_targets_load


def demo_features_load() -> None:
    """The showcase cases, then supervision, accountability, campaigns, targets, evaluation,
    internal matters and campus safety; then the rollups the dashboards read (built now rather
    than at the first sweep). Needs the bureau and the service guides loaded first."""
    demo_showcase_load()
    demo_supervision_load()
    demo_accountability_load()
    demo_campaigns_load()
    demo_targets_load()
    demo_evaluation_load()
    demo_internal_load()
    demo_emergencies_load()
    rollups_rebuild()
