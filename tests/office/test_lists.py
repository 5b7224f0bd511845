"""The case list: Chinese search, filters, keyset pages, and the masked, audited export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Channel, Kind
from xiaoneng.cases.services import case_dispatch
from xiaoneng.cases.states import State

pytestmark = pytest.mark.django_db


def test_chinese_search_and_filters(login, make_case, users, basic) -> None:
    fee = make_case(title="违规收取择校费", content="家长反映学校违规收取择校费。")
    food = make_case(title="食堂饭菜质量差", content="学生反映食堂饭菜不新鲜。", kind="suggestion")
    case_dispatch(case=food, by=users["intake"], lead=basic)
    client = login("xiaoneng")
    url = reverse("office:case_list")
    body = client.get(url, {"q": "择校"}).content.decode()
    assert fee.number in body
    assert food.number not in body
    body = client.get(url, {"state": "dispatched"}).content.decode()
    assert food.number in body
    assert fee.number not in body
    body = client.get(url, {"kind": "suggestion", "department": basic.pk}).content.decode()
    assert food.number in body
    assert fee.number not in body
    assert "139****5678" not in body or "张*" in body


@pytest.mark.parametrize("read_first", [1000, 0])  # a few late cases by id; many by subquery
def test_overdue_filter_shows_exactly_the_late_cases(
    login, make_case, monkeypatch, read_first
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from xiaoneng.office.views import lists
    from xiaoneng.workdays.models import Clock

    monkeypatch.setattr(lists, "LATE_IDS_READ_FIRST", read_first)
    late = make_case(content="逾期的诉求，请尽快处理。")
    on_time = make_case(content="未到期的诉求，请按时处理。")
    Clock.objects.filter(owner_type="cases.case", owner_id=late.pk).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    body = login("xiaoneng").get(reverse("office:case_list"), {"overdue": "on"}).content.decode()
    assert late.number in body
    assert on_time.number not in body


def test_keyset_pages(login, make_case, monkeypatch) -> None:
    from xiaoneng.office.views import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    cases = [
        make_case(content=f"第{i}件诉求内容，请核查处理。", requester_phone="") for i in range(5)
    ]
    client = login("intake")
    seen = []
    url = reverse("office:case_list")
    query = {"sort": "oldest"}
    for _page in range(3):
        response = client.get(url, query)
        rows = [case.number for case in response.context["cases"]]
        seen += rows
        if not response.context["next_query"]:
            break
        query = response.context["next_query"]
        url = reverse("office:case_list") + "?" + query
        query = {}
    assert seen == [case.number for case in cases]


def test_export_masks_personal_data_and_is_audited(login, make_case) -> None:
    from openpyxl import load_workbook

    make_case()
    client = login("xiaoneng")
    asked = client.get(reverse("office:case_export"), {"q": "择校费"})
    assert asked.status_code == 200
    assert "reason" in asked.content.decode()
    assert not AuditEntry.objects.filter(action="case.export").exists()
    response = client.post(reverse("office:case_export") + "?q=择校费", {"reason": "核查"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[1][0] == "编号"  # Row one is the watermark: who exported, when, why.
    # Labels in the exporter's language, translated once per export.
    assert rows[2][2:4] == (str(Channel.HOTLINE.label), str(Kind.COMPLAINT.label))
    assert rows[2][9] == str(State.REGISTERED.label) == "已登记"
    assert rows[2][10] == "张**"
    assert rows[2][11] == "139****5678"
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.summary["rows"] == 1
