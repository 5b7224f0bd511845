"""The demo shows the whole product: every state, school-handled and school-concerned cases,
appeals, sanctions and supervision orders — and loading it twice changes nothing."""

from __future__ import annotations

from xiaoneng.accountability.demo import demo_accountability_load
from xiaoneng.accountability.models import Appeal, Sanction, Violation
from xiaoneng.cases.models import Case, Decision, ExtensionRequest
from xiaoneng.demo.showcase import demo_showcase_load
from xiaoneng.org.models import Unit
from xiaoneng.supervision.demo import demo_supervision_load
from xiaoneng.supervision.models import Order


def test_the_demo_shows_every_state_schools_appeals_sanctions_and_orders(demo_org) -> None:
    made = demo_showcase_load()
    demo_supervision_load()
    demo_accountability_load()
    states = set(Case.objects.values_list("state", flat=True))
    assert len(states) >= 8
    assert {
        "registered",
        "dispatched",
        "in_progress",
        "return_requested",
        "suspended",
        "replied",
        "reopen_review",
        "closed",
        "withdrawn",
        "invalid",
        "merged",
    } <= states
    assert Case.objects.filter(state="in_progress", reply_pending_review=True).exists()
    assert ExtensionRequest.objects.filter(decision=Decision.PENDING).exists()
    # Handled by a school's own office, signed and replied by school staff.
    by_school = Case.objects.filter(lead_department__unit__kind=Unit.Kind.SCHOOL)
    assert by_school.filter(state="closed", handler__unit__kind=Unit.Kind.SCHOOL).exists()
    # About a school, handled by the bureau.
    assert Case.objects.filter(
        unit_concerned__kind=Unit.Kind.SCHOOL, lead_department__unit__kind=Unit.Kind.BUREAU
    ).exists()
    assert Violation.objects.filter(kind=Violation.Kind.BUCK_PASSING, status="pending").exists()
    assert Appeal.objects.exists()
    assert Sanction.objects.exists()
    assert Order.objects.filter(kind=Order.Kind.CASE).exists()
    assert Order.objects.exclude(kind=Order.Kind.CASE).exists()

    counts = (Case.objects.count(), Appeal.objects.count(), Order.objects.count())
    assert demo_showcase_load() == 0
    demo_supervision_load()
    demo_accountability_load()
    assert (Case.objects.count(), Appeal.objects.count(), Order.objects.count()) == counts
    assert made >= 15
