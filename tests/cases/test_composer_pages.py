"""The reply templates' pages, the extension's deadline preview, the warnings beside the
buttons and the department pickers' labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases import clocks
from xiaoneng.cases.forms import department_choices
from xiaoneng.cases.models import Case, ReplyTemplate
from xiaoneng.cases.services import (
    case_decide_extension,
    case_dispatch,
    case_reply,
    case_request_extension,
    case_request_return,
    case_sign_for,
    reply_template_delete,
    reply_template_save,
)
from xiaoneng.cases.views.forms import active_departments
from xiaoneng.errors import PermissionDenied
from xiaoneng.org.labels import department_label
from xiaoneng.org.models import Department, Unit
from xiaoneng.web.fields import DepartmentChoiceField
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed(hotline_case, basic, users) -> Case:
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    case_sign_for(case=hotline_case, by=users["handler_a"])
    return Case.objects.get(pk=hotline_case.pk)


@pytest.fixture
def bureau(demo_org) -> Unit:
    return Unit.objects.get(code="bureau")


# -- templates ----------------------------------------------------------------------------------


def test_the_units_head_keeps_its_templates_with_audit_rows(users, bureau, category) -> None:
    template = reply_template_save(
        by=users["head"], unit=bureau, kind="reply", category=category, title="退费", body="经核查…"
    )
    assert AuditEntry.objects.filter(action="reply_template.created", object_id=str(template.pk))
    reply_template_save(
        by=users["head"],
        unit=bureau,
        kind="notice",
        title="补正",
        body="请补充…",
        template=template,
    )
    template.refresh_from_db()
    assert (template.kind, template.category_id) == ("notice", None)
    assert AuditEntry.objects.filter(action="reply_template.changed", object_id=str(template.pk))
    reply_template_delete(by=users["head"], template=template)
    assert not ReplyTemplate.objects.filter(pk=template.pk).exists()
    assert AuditEntry.objects.filter(action="reply_template.deleted", object_id=str(template.pk))


@pytest.mark.parametrize("username", ["handler_a", "school_head", "intake"])
def test_only_the_units_heads_edit_its_templates(users, bureau, username) -> None:
    with pytest.raises(PermissionDenied):
        reply_template_save(by=users[username], unit=bureau, kind="reply", title="t", body="b")
    assert not ReplyTemplate.objects.exists()


def test_the_templates_page(client, demo_password, category) -> None:
    client.login(username="head", password=demo_password)
    url = reverse("office:reply_templates")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "reply", "category": category.pk, "title": "退费答复", "body": "经核查，…"}
    )
    assert response.status_code == 302
    template = ReplyTemplate.objects.get(title="退费答复")
    assert template.unit.code == "bureau"
    bad = client.post(url, {"kind": "reply", "title": "", "body": ""})
    assert bad.status_code == 400
    assert "请填写标题" in bad.content.decode()
    edit = reverse("office:reply_template_edit", args=[template.pk])
    client.post(edit, {"kind": "reply", "title": "退费答复（新）", "body": "经核查，已退费。"})
    template.refresh_from_db()
    assert template.title == "退费答复（新）"
    # Another unit's head finds nothing there.
    client.login(username="school_head", password=demo_password)
    assert client.get(edit).status_code == 404
    remove = reverse("office:reply_template_remove", args=[template.pk])
    assert client.post(remove).status_code == 404
    assert ReplyTemplate.objects.filter(pk=template.pk).exists()


@pytest.mark.parametrize("username", ["handler_a", "xiaoneng", "leader", "sysadmin", "auditor"])
def test_the_templates_page_is_for_heads_only(client, users, username) -> None:
    client.force_login(users[username])
    assert client.get(reverse("office:reply_templates")).status_code == 403


def test_the_composer_offers_the_units_texts_for_the_category(
    client, demo_password, signed, users, bureau, category
) -> None:
    reply_template_save(
        by=users["head"],
        unit=bureau,
        kind="reply",
        category=category,
        title="招生答复",
        body="模板正文甲",
    )
    reply_template_save(
        by=users["head"], unit=bureau, kind="notice", title="补材料", body="告知正文乙"
    )
    reply_template_save(
        by=users["head"], unit=bureau, kind="basis", title="义务教育法", body="依据正文丙"
    )
    school = Unit.objects.get(code="school-1")
    reply_template_save(
        by=users["school_head"], unit=school, kind="reply", title="学校模板", body="不应出现"
    )
    client.login(username="handler_a", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    for text in ("模板正文甲", "告知正文乙", "依据正文丙"):
        assert text in body
    assert "不应出现" not in body
    assert 'data-insert="text"' in body  # insert buttons, shown by forms.js


# -- the extension's deadline ------------------------------------------------------------------


def test_the_previewed_deadline_is_the_one_the_approval_sets(
    client, demo_password, signed, users
) -> None:
    client.login(username="handler_a", password=demo_password)
    url = reverse("office:case_extension_preview", args=[signed.pk])
    response = client.post(url, {"extra_units": "3", "reason": "", "basis": ""}, **HTMX)
    assert response.status_code == 200
    shown = response.context["new_due"]
    before = clocks.current(case=signed, stage=clocks.REPLY).due_at
    case_request_extension(
        case=signed, by=users["handler_a"], reason="需会商", basis="规则", extra_units=3
    )
    case_decide_extension(case=signed, by=users["xiaoneng"], approve=True)
    after = clocks.current(case=signed, stage=clocks.REPLY).due_at
    assert after == shown
    assert after > before
    assert timezone.localtime(after).strftime("%Y") in response.content.decode()


def test_the_extension_preview_without_javascript_and_with_bad_input(
    client, demo_password, signed
) -> None:
    client.login(username="handler_a", password=demo_password)
    url = reverse("office:case_extension_preview", args=[signed.pk])
    page = client.post(url, {"extra_units": "2", "reason": "需会商"}).content.decode()
    assert 'data-testid="extension-new-due"' in page
    assert "需会商" in page
    bad = client.post(url, {"extra_units": "两天"}, **HTMX)
    assert bad.status_code == 200
    assert "请先以整数填写延长时间" in bad.content.decode()


@pytest.mark.parametrize("username", ["xiaoneng", "intake", "school_head"])
def test_the_extension_preview_is_for_the_lead_department(
    client, demo_password, signed, username
) -> None:
    client.login(username=username, password=demo_password)
    url = reverse("office:case_extension_preview", args=[signed.pk])
    assert client.post(url, {"extra_units": "2"}).status_code == 404


# -- warnings beside the buttons ----------------------------------------------------------------


def _panel(body: str, code: str) -> str:
    start = body.index(f'data-testid="action-{code}"')
    following = body.find('<details data-testid="action-', start + 1)
    following = min(
        x
        for x in (
            body.find('<details open data-testid="action-', start + 1),
            following,
            body.find("</aside>", start),
        )
        if x > 0
    )
    return body[start:following]


def test_warnings_on_the_actions_that_reach_outside_or_file_a_violation(
    client, demo_password, signed, users
) -> None:
    detail = reverse("office:case_detail", args=[signed.pk])
    client.login(username="handler_a", password=demo_password)
    body = client.get(detail).content.decode()
    # The handler's reply goes to the head (same unit): no warning; suspending warns of nothing.
    assert 'data-testid="action-warning"' not in _panel(body, "reply")
    assert 'data-testid="action-warning"' not in _panel(body, "suspend")
    # The head's reply goes straight to the requester.
    client.login(username="head", password=demo_password)
    panel = _panel(client.get(detail).content.decode(), "reply")
    assert 'data-kind="outside"' in panel
    assert "将立即向诉求人发送消息" in panel
    # Reviewing: approval sends it out.
    case_reply(case=signed, by=users["handler_a"], text="经核查，已处理。")
    panel = _panel(client.get(detail).content.decode(), "review_reply")
    assert 'data-kind="outside"' in panel


def test_the_return_decision_warns_of_the_violation(client, demo_password, signed, users) -> None:
    case_request_return(case=signed, by=users["handler_a"], reason="非本科室职责", basis="三定")
    client.login(username="xiaoneng", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[signed.pk])).content.decode()
    panel = _panel(body, "decide_return")
    assert 'data-kind="violation"' in panel
    assert "推诿扯皮违规记录" in panel


def test_signing_late_is_said_before_signing(client, demo_password, hotline_case, basic, users):
    case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    client.login(username="handler_a", password=demo_password)
    detail = reverse("office:case_detail", args=[hotline_case.pk])
    assert 'data-kind="violation"' not in _panel(client.get(detail).content.decode(), "sign_for")
    Clock.objects.filter(owner_id=hotline_case.pk, stage="sign_for").update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    panel = _panel(client.get(detail).content.decode(), "sign_for")
    assert 'data-kind="violation"' in panel
    assert "签收超时" in panel


# -- pickers ----------------------------------------------------------------------------------


def test_a_department_is_always_named_with_its_unit(demo_org) -> None:
    office = Department.objects.select_related("unit").get(unit__code="school-1", code="principal")
    assert department_label(office) == f"第一中学 · {office.name}"
    groups = department_choices(active_departments())
    labels = [label for _unit, options in groups for _pk, label in options]
    assert labels
    assert all(" · " in label for label in labels)
    field = DepartmentChoiceField(queryset=Department.objects.filter(pk=office.pk))
    assert [label for _value, label in field.choices][1:] == [f"第一中学 · {office.name}"]
    assert field.widget.attrs["data-searchable"] == "1"


def test_the_dispatch_picker_is_searchable(client, demo_password, hotline_case) -> None:
    client.login(username="intake", password=demo_password)
    body = client.get(reverse("office:case_detail", args=[hotline_case.pk])).content.decode()
    panel = _panel(body, "dispatch")
    assert panel.count("data-searchable") == 2  # lead and assisting
    assert "第一中学 · " in panel
