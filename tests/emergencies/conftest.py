from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xiaoneng.emergencies.services import incident_report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def report():
    """Report an incident at school-1 as its handler (or as ``by``), discovered ``minutes_ago``."""

    def make(users, *, by=None, grade="3", type="food_safety", minutes_ago=10, **extra):
        now = timezone.now()
        fields = {
            "title": "午餐后多名学生腹痛呕吐",
            "occurred_at": now - timedelta(minutes=minutes_ago + 20),
            "discovered_at": now - timedelta(minutes=minutes_ago),
            "place": "学校食堂",
            "what_happened": "午餐后12名学生出现腹痛、呕吐，已送医。",
            "contact_phone": "13800000000",
            "injured": 12,
        }
        fields.update(extra)
        return incident_report(by=by or users["school_handler"], type=type, grade=grade, **fields)

    return make
