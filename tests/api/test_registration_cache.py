"""What every registration reads is cached per process under the configuration token (issue
#25): a change made through the services is seen by the very next registration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.catalog.models import TimeLimitPolicy
from xiaoneng.catalog.services import policy_version_create
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Absence
from xiaoneng.org.services import absence_record, staff_set_roles

pytestmark = pytest.mark.django_db


def _create(hotline, new_case, number: str) -> Case:
    response = hotline.post("/cases", {**new_case, "external_number": number})
    assert response.status_code == 201, response.content
    return Case.objects.get(pk=response.json()["case"]["id"])


def test_a_changed_policy_is_used_by_the_next_create(hotline, new_case) -> None:
    first = _create(hotline, new_case, "c-1")
    policy = TimeLimitPolicy.objects.get(code=first.policy_version.policy.code)
    with CaptureQueriesContext(connection) as warm:
        _create(hotline, new_case, "c-2")
    assert not [q for q in warm if "catalog_policyversion" in q["sql"]], "the policy is cached"
    newer = policy_version_create(policy=policy, stages={"reply": {"amount": 3}}, by=None)
    third = _create(hotline, new_case, "c-3")
    assert third.policy_version_id == newer.pk != first.policy_version_id


def test_a_category_switched_off_is_refused_at_once(hotline, new_case) -> None:
    _create(hotline, new_case, "c-1")
    category = Case.objects.get().category
    category.is_active = False
    category.save()
    response = hotline.post("/cases", {**new_case, "external_number": "c-2"})
    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_an_absence_recorded_moves_the_pool_to_the_b_holder_at_once(hotline, new_case) -> None:
    first = _create(hotline, new_case, "c-1")
    post = first.unit.first_contact_post
    assert post is not None
    assert post.a_holder is not None
    assert post.b_holder is not None
    told = Notification.objects.filter(kind="case.pooled", object_id=str(first.pk))
    assert list(told.values_list("recipient_user_id", flat=True)) == [post.a_holder.user_id]
    now = timezone.now()
    absence_record(
        staff=post.a_holder,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        kind=Absence.Kind.LEAVE,
        by=None,
    )
    second = _create(hotline, new_case, "c-2")
    told = Notification.objects.filter(kind="case.pooled", object_id=str(second.pk))
    assert list(told.values_list("recipient_user_id", flat=True)) == [post.b_holder.user_id]


def test_a_role_taken_from_the_service_account_refuses_its_key_at_once(
    hotline, hotline_client, new_case
) -> None:
    _create(hotline, new_case, "c-1")
    staff_set_roles(staff=hotline_client.user.staff, roles=[], by=None)
    response = hotline.post("/cases", {**new_case, "external_number": "c-2"})
    assert response.status_code == 403


def test_a_deactivated_client_is_refused_at_once(hotline, hotline_client, new_case) -> None:
    from xiaoneng.api.services import apiclient_deactivate

    _create(hotline, new_case, "c-1")
    apiclient_deactivate(client=hotline_client, by=None)
    assert hotline.post("/cases", {**new_case, "external_number": "c-2"}).status_code == 401


def test_an_urgent_request_alerts_the_b_holder_while_a_is_away(hotline, new_case) -> None:
    """The urgent alert of a new request takes its chain from the cached intake post: an
    absence recorded since is seen, the A holder skipped, the B holder alerted first."""
    from xiaoneng.emergencies.models import Alert

    first = _create(hotline, {**new_case, "urgent": True}, "u-1")
    post = first.unit.first_contact_post
    assert post is not None
    assert post.a_holder is not None
    assert post.b_holder is not None
    alert = Alert.objects.get(case=first)
    assert (alert.recipient_id, alert.capacity) == (post.a_holder.pk, "post_a")
    now = timezone.now()
    absence_record(
        staff=post.a_holder,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        kind=Absence.Kind.LEAVE,
        by=None,
    )
    second = _create(hotline, {**new_case, "urgent": True}, "u-2")
    alert = Alert.objects.get(case=second)
    assert (alert.recipient_id, alert.capacity) == (post.b_holder.pk, "post_b")
    assert alert.reply_code
    assert second.events.filter(action="urgent_alert").exists()
