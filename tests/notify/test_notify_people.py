"""notify.services.notify_people: one inbox message per active staff member, never to the three
administrators."""

from __future__ import annotations

import pytest

from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


def test_each_active_person_once_and_no_administrator(staff_of) -> None:
    head, handler = staff_of("head"), staff_of("handler_a")
    unit = Unit.objects.get(pk=head.unit_id)
    handler.user.is_active = False
    handler.user.save()
    people = [head, None, head, handler, staff_of("sysadmin"), staff_of("auditor")]
    written = notify_people(people, kind="demo", subject="主题", body="正文", obj=head.department)
    assert written == 1
    rows = Notification.objects.filter(kind="demo")
    assert [row.recipient_user_id for row in rows] == [head.user_id]
    assert rows[0].channel == "inbox"
    assert rows[0].unit_id == head.department.unit_id
    notify_people([head], kind="demo2", subject="s", body="b", obj=None, unit_id=unit.pk)
    assert Notification.objects.get(kind="demo2").unit_id == unit.pk
