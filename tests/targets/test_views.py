"""Target pages: permissions, scope, the report and sign-off flow, supervision in one action,
export, import, query counts, and the demo."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.targets.conftest import YEAR
from xiaoneng.audit.models import AuditEntry
from xiaoneng.supervision.models import Order
from xiaoneng.targets.models import Milestone, ProgressReport, Target, Task
from xiaoneng.web import spreadsheets

pytestmark = pytest.mark.django_db

PAGES = {
    "targets:list": (
        ["xiaoneng", "leader", "head", "handler_a", "school_head"],
        ["auditor", "inspector", "intake"],
    ),
    "targets:dashboard": (["xiaoneng", "leader", "head"], ["handler_a", "auditor", "intake"]),
    "targets:target_new": (["xiaoneng"], ["leader", "head", "handler_a"]),
    "targets:import": (["xiaoneng"], ["leader", "head", "auditor"]),
    "targets:export": (["xiaoneng", "leader", "head", "handler_a"], ["auditor", "inspector"]),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_permissions(client, login, name) -> None:
    url = reverse(name)
    assert client.get(url).status_code == 302
    allowed, forbidden = PAGES[name]
    for username in allowed:
        assert login(username).get(url).status_code == 200, username
    for username in forbidden:
        assert login(username).get(url).status_code == 403, username


def test_task_pages_are_scoped(client, login, task, school_task, milestone) -> None:
    own = [
        reverse("targets:task", args=[task.pk]),
        reverse("targets:target", args=[task.target_id]),
    ]
    for url in own:
        client.logout()
        assert client.get(url).status_code == 302
        for username in ("xiaoneng", "leader", "head", "handler_a"):
            assert login(username).get(url).status_code == 200, (url, username)
        for username in ("auditor", "intake"):
            assert login(username).get(url).status_code == 403, (url, username)
    assert login("school_head").get(own[0]).status_code == 404
    assert login("finance_head").get(own[0]).status_code == 404
    assert (
        login("school_head").get(reverse("targets:task", args=[school_task.pk])).status_code == 200
    )
    page = login("head").get(reverse("targets:list"), {"year": YEAR})
    assert [t.pk for t, _lag in page.context["rows"]] == [task.pk]


def test_report_sign_off_and_supervise_through_the_pages(login, task, milestone) -> None:
    url = reverse("targets:report_new", args=[task.pk])
    bad = login("handler_a").post(url, {"percent": 120, "narrative": "进展"})
    assert bad.status_code == 400
    assert not ProgressReport.objects.exists()
    ok = login("handler_a").post(
        url, {"percent": 35, "narrative": "设计完成。", "milestone": milestone.pk}
    )
    assert ok.status_code == 302
    report = ProgressReport.objects.get()
    assert (
        login("school_head")
        .post(reverse("targets:report_decide", args=[report.pk]), {"decision": "approve"})
        .status_code
        == 404
    )
    login("head").post(reverse("targets:report_decide", args=[report.pk]), {"decision": "approve"})
    task.refresh_from_db()
    assert task.progress == 35
    assert Milestone.objects.get(pk=milestone.pk).done_at is not None
    assert login("head").post(reverse("targets:task_supervise", args=[task.pk])).status_code == 403
    response = login("xiaoneng").post(reverse("targets:task_supervise", args=[task.pk]))
    order = Order.objects.get(source=f"target-task:{task.pk}")
    assert response["Location"] == reverse("supervision:order_detail", args=[order.pk])
    page = login("xiaoneng").get(reverse("targets:task", args=[task.pk]))
    assert order.number in page.content.decode()


def test_list_and_dashboard_query_counts(
    login, task, school_task, milestone, django_assert_max_num_queries
) -> None:
    client = login("xiaoneng")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("targets:list"), {"year": YEAR}).status_code == 200
    with django_assert_max_num_queries(15):
        page = client.get(reverse("targets:dashboard"), {"year": YEAR})
    assert page.status_code == 200
    assert page.context["total"].tasks == 2
    # No report signed off yet: the chart is there, and says it has nothing to show.
    assert 'data-testid="chart-empty"' in page.content.decode()


def test_export_asks_a_reason_and_is_watermarked(login, task, school_task) -> None:
    client = login("leader")
    url = reverse("targets:export") + f"?year={YEAR}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "年度目标考核"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert "leader" in rows[0][0]
    assert {row[2] for row in rows[2:]} == {task.title, school_task.title}
    assert AuditEntry.objects.get(action="targets.export").summary["rows"] == 2


def _sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["来源", "目标", "说明", "任务", "单位代码", "科室代码", "责任人账号", "节点", "节点时限"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, action: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("targets.xlsx", data)
    return client.post(reverse("targets:import"), {"year": YEAR, "file": file, "action": action})


def test_import_checks_then_imports_all_or_nothing(login, january) -> None:
    client = login("xiaoneng")
    good = [
        [
            "民心工程",
            "明厨亮灶",
            "食堂改造",
            "一中食堂",
            "school-1",
            "principal",
            "school_handler",
            "设计",
            date(YEAR, 3, 1),
        ],
        [
            "民心工程",
            "明厨亮灶",
            "",
            "一中食堂",
            "school-1",
            "principal",
            "school_handler",
            "验收",
            date(YEAR, 9, 1),
        ],
        ["局定", "课后服务", "", "全覆盖", "bureau", "basic", "handler_a", "方案", "2026-04-30"],
    ]
    bad = [
        *good,
        ["外星", "x", "", "y", "nowhere", "", "", "z", "2027-01-01"],
        ["局定", "课后服务", "", "全覆盖", "bureau", "basic", "nobody", "", "not a date"],
    ]
    checked = _upload(client, _sheet(bad), "import")
    assert checked.status_code == 400
    assert Target.objects.count() == 0
    checked = _upload(client, _sheet(bad), "check")
    errors = checked.context["plan"].errors
    assert {(row, column) for row, column, _m in errors} >= {
        (5, "来源"),
        (5, "单位代码"),
        (5, "节点时限"),
        (6, "责任人账号"),
        (6, "节点"),
    }
    plan = _upload(client, _sheet(good), "check").context["plan"]
    assert (plan.targets, plan.tasks, len(plan.rows), plan.errors) == (2, 2, 3, [])
    assert Target.objects.count() == 0
    assert _upload(client, _sheet(good), "import").status_code == 302
    assert Target.objects.count() == 2
    assert Task.objects.count() == 2
    assert Milestone.objects.filter(clock__isnull=False).count() == 3
    refused = _upload(client, b"not a workbook", "check")
    assert refused.status_code == 400
    assert refused.context["form"].errors["file"]


def test_demo_loads_once_and_shows_a_lagging_task(demo_org) -> None:
    from xiaoneng.targets.demo import demo_targets_load

    assert demo_targets_load() == 4
    counts = (Target.objects.count(), Task.objects.count(), Milestone.objects.count())
    assert demo_targets_load() == 0
    assert (Target.objects.count(), Task.objects.count(), Milestone.objects.count()) == counts
    assert counts == (4, 8, 24)
    from django.utils import timezone

    from xiaoneng.targets.selectors import is_lagging, year_tasks

    today = timezone.localdate()
    tasks = year_tasks(Task.objects.all(), today.year, today)
    assert any(is_lagging(task, today=today) for task in tasks)


@pytest.mark.parametrize("username", ["xiaoneng", "leader", "head"])
def test_every_number_on_the_dashboard_opens_exactly_its_tasks(
    client, users, username, demo_org
) -> None:
    """Each count on the targets dashboard links to the task list, which states the same total."""
    import re

    from xiaoneng.targets.demo import demo_targets_load

    demo_targets_load()
    client.force_login(users[username])
    page = client.get(reverse("targets:dashboard")).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-count="(\d+)"', page)
    assert len(links) >= 3, "the overall counts at least are links"
    for href, count in links:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        total = re.search(r'data-testid="tasks-total" data-total="(\d+)"', listed)
        assert total, href
        assert total[1] == count, f"{href}: the dashboard says {count}, the list {total[1]}"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(block)
    return buffer.getvalue()


def test_import_refuses_a_zip_bomb_before_opening_it(login, january, monkeypatch) -> None:
    data = _zip_bomb()
    assert len(data) < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    client = login("xiaoneng")
    for action in ("check", "import"):
        response = _upload(client, data, action)
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == [
            "该工作簿压缩比异常（可能是压缩炸弹），未予打开。"
        ]
    assert Target.objects.count() == 0


def test_import_refuses_a_sheet_that_would_unpack_too_far(login, january, monkeypatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 10_000)
    row = ["局定", "课后服务", "", "全覆盖", "bureau", "basic", "handler_a", "方案", "2026-04-30"]
    client = login("xiaoneng")
    response = _upload(client, _sheet([row] * 200), "check")
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["该工作簿解压后将超过0 MB，未予打开。"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = _upload(client, _sheet([row] * 200), "import")
    assert response.status_code == 400
    assert "would unpack to more than 0 MB" in response.context["form"].errors["file"][0]
    assert Target.objects.count() == 0
