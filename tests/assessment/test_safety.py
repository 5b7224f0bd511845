"""The campus-safety section of the dashboard and the bulletin: computed in assessment from
the emergencies selectors; each number links to the records it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xiaoneng.assessment.bulletin_text import bulletin_blocks, plain_body
from xiaoneng.assessment.bulletins import bulletin_content
from xiaoneng.assessment.metrics import drill_compliance_rate
from xiaoneng.assessment.safety import safety_bulletin_line, safety_summary
from xiaoneng.emergencies.services.drills import drill_record, requirement_set
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def drills(users):
    today = timezone.localdate()
    requirement_set(by=users["xiaoneng"], type="evacuation", per="term", minimum=2)
    for code in ("school-1", "school-2", "school-exp", "school-normal", "school-voc"):
        for n in range(2):
            drill_record(
                by=users["safety_a"],
                unit=Unit.objects.get(code=code),
                held_on=today - timedelta(days=n),
                type="evacuation",
                participants=100,
                evaluation="疏散有序。",
            )
    return today


def test_the_summary_counts_drills_and_the_school_behind(drills) -> None:
    s = safety_summary(today=drills)
    assert s["schools"] == 6
    assert (s["met"], s["behind"]) == (5, 1)
    assert s["behind_names"] == ["特殊教育学校"]
    assert s["drills"] == 10
    assert s["participants"] == 1000
    assert s["compliance_rate"] == drill_compliance_rate(5, 6) == 83.3
    assert "特殊教育学校尚未达到" in safety_bulletin_line(today=drills)


def test_without_requirements_there_is_no_rate(users) -> None:
    s = safety_summary(today=timezone.localdate())
    assert s["compliance_rate"] is None
    assert s["behind"] == 0
    assert drill_compliance_rate(0, 0) is None


def test_the_dashboard_shows_the_section_with_links(users, drills) -> None:
    client = Client()
    client.force_login(users["xiaoneng"])
    page = client.get(reverse("assessment:dashboard")).content.decode()
    assert 'data-testid="safety-summary"' in page
    s = safety_summary(today=drills)
    assert f'href="{s["links"]["behind"]}" data-count="1"' in page
    listed = client.get(s["links"]["drills"]).content.decode()
    assert listed.count("data-drill=") == 10
    behind = client.get(s["links"]["behind"]).content.decode()
    assert behind.count("data-unit=") == 1
    # A department head's dashboard has no bureau-wide safety section.
    client.force_login(users["head"])
    assert (
        'data-testid="safety-summary"'
        not in client.get(reverse("assessment:dashboard")).content.decode()
    )


def test_the_bulletin_says_it(users, drills) -> None:
    from xiaoneng.assessment.selectors import Period

    today = drills
    start = today - timedelta(days=30)
    content = bulletin_content(Period(start, today))
    body = plain_body(bulletin_blocks(content, period_from=start, period_to=today))
    # 八, or 九 after the internal matters when the bulletin has them.
    assert any(isinstance(b, str) and b[1:] == "、校园安全" for b in body), body
    lists = [block for block in body if isinstance(block, list)]
    assert any("特殊教育学校尚未达到" in item for block in lists for item in block)
