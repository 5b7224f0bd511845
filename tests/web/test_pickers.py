"""The department and unit pickers of the office forms (issue 26, item 4): every option names a
department with its unit, the select carries the filter box's attribute, and each form offers
exactly the departments and units it offered before the pickers (the scoping is permission- and
rule-relevant: an inactive department, one of another unit, one outside the bureau stay out).

Each case states the form's scoping again, independently of the form's code, so a change of the
form's queryset fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from xiaoneng.accountability.forms import ConductIntakeForm, ConvertForm, ViolationFilterForm
from xiaoneng.campaigns.forms import CampaignForm, PartyGroupForm, SessionForm
from xiaoneng.catalog.office_forms import ServiceItemForm
from xiaoneng.emergencies.forms_safety import RosterUnitForm
from xiaoneng.evaluation.forms import RoundForm
from xiaoneng.internal.forms import (
    AskForm,
    RegisterForm,
    RerouteDecideForm,
    RerouteRequestForm,
    RouteForm,
)
from xiaoneng.internal.forms import ListFilterForm as MatterFilterForm
from xiaoneng.office.views.org import StaffForm
from xiaoneng.org.labels import department_label, unit_label
from xiaoneng.org.models import Department, Unit
from xiaoneng.supervision.forms import FindingForm, InspectionForm, OrderForm, PolicyForm
from xiaoneng.supervision.models import Inspection
from xiaoneng.targets.forms import ListFilterForm as TaskFilterForm
from xiaoneng.targets.forms import TaskForm

pytestmark = pytest.mark.django_db

DEPARTMENTS = Department.objects
UNITS = Unit.objects


def _active_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True, unit__is_active=True)


def _bureau_departments() -> QuerySet[Department]:
    return Department.objects.filter(unit__kind=Unit.Kind.BUREAU, unit__parent=None, is_active=True)


def _school_1() -> Unit:
    return Unit.objects.get(code="school-1")


def _finding_form() -> forms.Form:
    # The form reads only the inspection's unit.
    return FindingForm(inspection=Inspection(unit=_school_1()))


# (id, the form, the field, the set it must offer (the scoping as it was), what is picked,
#  whether it is a select with the filter box)
CASES: list[tuple[str, Callable[[], forms.Form], str, Callable[[], QuerySet[Any]], str, bool]] = [
    ("supervision-order", OrderForm, "department", _active_departments, "department", True),
    (
        "supervision-policy",
        PolicyForm,
        "unit",
        lambda: Unit.objects.filter(is_active=True),
        "unit",
        True,
    ),
    (
        "supervision-inspection",
        InspectionForm,
        "unit",
        lambda: Unit.objects.filter(is_active=True),
        "unit",
        True,
    ),
    (
        "supervision-finding",
        _finding_form,
        "department",
        lambda: Department.objects.filter(unit=_school_1()),
        "department",
        True,
    ),
    ("targets-filter", TaskFilterForm, "unit", lambda: Unit.objects.all(), "unit", True),
    ("targets-task-unit", TaskForm, "unit", lambda: Unit.objects.all(), "unit", True),
    (
        "targets-task-department",
        TaskForm,
        "department",
        lambda: Department.objects.filter(is_active=True),
        "department",
        True,
    ),
    (
        "accountability-filter",
        ViolationFilterForm,
        "unit",
        lambda: Unit.objects.all(),
        "unit",
        True,
    ),
    (
        "accountability-conduct-unit",
        ConductIntakeForm,
        "unit",
        lambda: Unit.objects.all(),
        "unit",
        True,
    ),
    (
        "accountability-conduct-department",
        ConductIntakeForm,
        "department",
        lambda: Department.objects.all(),
        "department",
        True,
    ),
    (
        "accountability-convert",
        ConvertForm,
        "department",
        lambda: Department.objects.all(),
        "department",
        True,
    ),
    ("campaigns-organiser", CampaignForm, "organiser", _active_departments, "department", True),
    (
        "campaigns-units",
        CampaignForm,
        "units",
        lambda: Unit.objects.filter(is_active=True),
        "unit",
        True,
    ),
    (
        "campaigns-party-group",
        PartyGroupForm,
        "unit",
        lambda: Unit.objects.filter(is_active=True),
        "unit",
        True,
    ),
    ("campaigns-session", SessionForm, "department", _active_departments, "department", True),
    (
        "campaigns-session-given",
        lambda: SessionForm(departments=Department.objects.filter(unit=_school_1())),
        "department",
        lambda: Department.objects.filter(unit=_school_1()),
        "department",
        True,
    ),
    (
        "evaluation-departments",
        RoundForm,
        "departments",
        lambda: Department.objects.filter(unit__kind=Unit.Kind.BUREAU, is_active=True),
        "department",
        False,  # a list of check boxes, every one in view
    ),
    (
        "evaluation-schools",
        RoundForm,
        "schools",
        lambda: Unit.objects.filter(kind=Unit.Kind.SCHOOL, is_active=True),
        "unit",
        False,
    ),
    ("catalog-item-unit", ServiceItemForm, "unit", lambda: Unit.objects.all(), "unit", True),
    (
        "catalog-item-department",
        ServiceItemForm,
        "department",
        lambda: Department.objects.all(),
        "department",
        True,
    ),
    (
        "internal-register-lead",
        RegisterForm,
        "lead_department",
        _bureau_departments,
        "department",
        True,
    ),
    (
        "internal-register-assisting",
        RegisterForm,
        "assisting",
        _bureau_departments,
        "department",
        True,
    ),
    ("internal-ask", AskForm, "department", _bureau_departments, "department", True),
    ("internal-route-lead", RouteForm, "lead_department", _bureau_departments, "department", True),
    ("internal-route-assisting", RouteForm, "assisting", _bureau_departments, "department", True),
    (
        "internal-reroute-request",
        RerouteRequestForm,
        "suggested",
        _bureau_departments,
        "department",
        True,
    ),
    (
        "internal-reroute-decide",
        RerouteDecideForm,
        "new_lead",
        _bureau_departments,
        "department",
        True,
    ),
    ("internal-filter", MatterFilterForm, "department", _bureau_departments, "department", True),
    # The staff form offered every department (the security administrator places anyone).
    (
        "org-staff-department",
        StaffForm,
        "department",
        lambda: Department.objects.all(),
        "department",
        True,
    ),
    (
        "emergencies-roster-unit",
        lambda: RosterUnitForm(units=Unit.objects.filter(is_active=True)),
        "unit",
        lambda: Unit.objects.filter(is_active=True),
        "unit",
        True,
    ),
]


@pytest.fixture
def out_of_scope(demo_org: None) -> dict[str, Any]:
    """What some form must not offer: an inactive department of an active school, a closed
    school with a department still marked active, an inactive department of the bureau."""
    school = _school_1()
    closed = Unit.objects.create(
        code="closed-school", name="已撤并学校", kind=Unit.Kind.SCHOOL, is_active=False
    )
    return {
        "inactive": Department.objects.create(
            unit=school, code="gone", name="已撤销科室", is_active=False
        ),
        "closed_unit": closed,
        "of_closed_unit": Department.objects.create(unit=closed, code="office", name="旧办公室"),
        "inactive_in_bureau": Department.objects.create(
            unit=Unit.objects.get(code="bureau"), code="gone", name="已撤销处室", is_active=False
        ),
    }


@pytest.mark.parametrize(
    ("build", "name", "expected", "kind", "searchable"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_picker_names_the_unit_and_offers_what_it_offered_before(
    out_of_scope: dict[str, Any],
    build: Callable[[], forms.Form],
    name: str,
    expected: Callable[[], QuerySet[Any]],
    kind: str,
    searchable: bool,
) -> None:
    form = build()
    field = form.fields[name]
    offered = [(int(str(value)), label) for value, label in field.choices if value != ""]
    wanted = expected()
    if kind == "department":
        labels = {d.pk: department_label(d) for d in wanted.select_related("unit")}
        assert all(f"{unit_label(d.unit)} · {d.name}" == labels[d.pk] for d in wanted)
    else:
        labels = {u.pk: unit_label(u) for u in wanted}
    assert dict(offered) == labels  # the same set, each under its label
    assert len(offered) == len(labels)  # and each once
    assert labels, "the demo offers something to pick here"
    html = str(form[name])
    assert ("data-searchable" in html) is searchable
    # What the form leaves out is not on the page; what it offers is.
    for obj in out_of_scope.values():
        if isinstance(obj, wanted.model):
            assert (obj.name in html) == wanted.filter(pk=obj.pk).exists(), obj.name


def test_scoped_pickers_leave_out_inactive_and_foreign_departments(
    out_of_scope: dict[str, Any],
) -> None:
    inactive, of_closed = out_of_scope["inactive"], out_of_scope["of_closed_unit"]
    closed = out_of_scope["closed_unit"]
    for form in (OrderForm(), CampaignForm(), SessionForm()):
        html = form.as_div()
        assert department_label(Department.objects.get(pk=inactive.pk)) not in html
        assert "已撤并学校 · 旧办公室" not in html
        assert "第一中学 · " in html
    assert "已撤并学校" not in str(PolicyForm()["unit"])
    # Internal matters stay inside the bureau: no school's department is offered.
    route = RouteForm()
    assert "第一中学 · " not in str(route["lead_department"])
    assert all(
        d.unit.kind == Unit.Kind.BUREAU
        for d in route.fields["lead_department"].queryset  # type: ignore[attr-defined]
    )
    # The task form kept its rule: active departments, whatever their unit.
    task = TaskForm()
    offered = {pk for pk, _label in task.fields["department"].choices if pk != ""}
    assert inactive.pk not in {int(str(pk)) for pk in offered}
    assert of_closed.pk in {int(str(pk)) for pk in offered}
    assert closed.pk in {u.pk for u in task.fields["unit"].queryset}  # type: ignore[attr-defined]


def test_a_picked_department_still_cleans_and_an_unoffered_one_is_refused(
    out_of_scope: dict[str, Any],
) -> None:
    bureau_office = _bureau_departments().first()
    assert bureau_office is not None
    school_office = Department.objects.filter(unit=_school_1(), is_active=True).first()
    assert school_office is not None
    form = RouteForm(data={"lead_department": bureau_office.pk, "assisting": []})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_department"] == bureau_office
    refused = RouteForm(data={"lead_department": school_office.pk})
    assert not refused.is_valid()
    assert "lead_department" in refused.errors
    order = OrderForm(
        data={
            "kind": "instruction",
            "title": "t",
            "description": "d",
            "department": out_of_scope["inactive"].pk,
            "due_working_days": 3,
        }
    )
    assert not order.is_valid()
    assert "department" in order.errors


def _selects(body: str) -> list[str]:
    return [part.split("</select>")[0] for part in body.split("<select")[1:]]


@pytest.mark.parametrize(
    ("url", "allowed", "denied", "field", "label"),
    [
        ("supervision:order_new", "xiaoneng", "head", "department", "第一中学 · "),
        ("internal:register", "intake", "sysadmin", "lead_department", "教育局 · "),
    ],
)
def test_the_office_pages_show_the_pickers_to_whom_they_served_before(
    client: Any,
    demo_org: None,
    demo_password: str,
    url: str,
    allowed: str,
    denied: str,
    field: str,
    label: str,
) -> None:
    assert client.login(username=allowed, password=demo_password)
    response = client.get(reverse(url))
    assert response.status_code == 200
    body = response.content.decode()
    picker = next(s for s in _selects(body) if f'name="{field}"' in s)
    assert "data-searchable" in picker
    assert label in picker
    assert "web/forms.js" in body  # the filter box's script is on the page
    client.logout()
    assert client.login(username=denied, password=demo_password)
    assert client.get(reverse(url)).status_code == 403
