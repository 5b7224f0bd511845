"""The incident alert and the red signal read in the reader's language (issue 26, item 6): the
inbox body names the unit by its English name, the grade and the type by their English
labels; the violation of a late report states the report's kind in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xiaoneng.accountability.models import Violation
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def test_the_alert_names_the_unit_grade_and_type_in_the_readers_language(users, report) -> None:
    incident = report(users)
    note = Notification.objects.get(
        kind="emergencies.alert", recipient_user=users["safety_a"], channel="inbox"
    )
    # Stored as sent, in Chinese: what the text message said.
    assert note.body.startswith("第一中学发生食品安全事件，III级（较大）：午餐后多名学生腹痛呕吐。")
    with translation.override("en"):
        english = note.body_label
    assert english.startswith(
        "Grade III (major) Food safety incident at No. 1 Middle School: 午餐后多名学生腹痛呕吐."
    )
    assert CHINESE.findall(english) == [incident.title]
    with translation.override("zh-hans"):
        assert note.body_label == note.body
    client = Client()
    client.force_login(users["safety_a"])
    page = client.get(reverse("notify:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "incident at No. 1 Middle School" in page
    assert "第一中学发生" not in page


def test_a_late_initial_report_is_described_in_the_readers_language(users, report) -> None:
    incident = report(users, minutes_ago=70)  # the initial report was due an hour after
    violation = Violation.objects.get(source_key__startswith="emergency:")
    assert violation.description.startswith(f"事件“{incident.title}”的初报未在")
    with translation.override("en"):
        assert violation.description_label.startswith(
            f"Initial report on incident “{incident.title}” not sent by "
        )
