"""Loading the demo organisation. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from xiaoneng.cases.models import Category
from xiaoneng.cases.services.categories import categories_seed
from xiaoneng.catalog.services import policies_seed
from xiaoneng.demo import data
from xiaoneng.org.models import Department, Staff, Unit, User
from xiaoneng.org.services import (
    department_create,
    department_set_head,
    org_english_names_fill,
    post_save_holders,
    staff_create,
    unit_create,
    unit_set_first_contact_post,
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    roles: list[str]
    where: str


def demo_is_loaded() -> bool:
    return Unit.objects.filter(code=data.BUREAU["code"]).exists()


def _unit(code: str, **fields: object) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    name_en = data.UNIT_NAMES_EN.get(code, "")
    return unit or unit_create(code=code, by=None, name_en=name_en, **fields)


def _department(unit: Unit, code: str, name: str, duties: str, order: int) -> Department:
    found = Department.objects.filter(unit=unit, code=code).first()
    return found or department_create(
        unit=unit,
        code=code,
        name=name,
        name_en=data.DEPARTMENT_NAMES_EN.get(code, ""),
        duties=duties,
        sort_order=order,
        by=None,
    )


def _load_units() -> None:
    bureau = _unit(kind=Unit.Kind.BUREAU, sort_order=0, **data.BUREAU)
    for order, (code, name, duties) in enumerate(data.BUREAU_DEPARTMENTS):
        _department(bureau, code, name, duties, order)
    for order, (code, name, short) in enumerate(data.SCHOOLS, start=1):
        school = _unit(
            code=code,
            name=name,
            short_name=short,
            kind=Unit.Kind.SCHOOL,
            parent=bureau,
            sort_order=order,
            supervision_phone=data.BUREAU["supervision_phone"],
        )
        for dept_order, (dept_code, dept_name, duties) in enumerate(data.SCHOOL_OFFICES):
            _department(school, dept_code, dept_name, duties, dept_order)


def _load_staff() -> None:
    for username, full_name, unit_code, dept_code, roles, title in data.DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = Unit.objects.get(code=unit_code)
        staff_create(
            username=username,
            full_name=full_name,
            unit=unit,
            department=Department.objects.get(unit=unit, code=dept_code),
            roles=roles,
            password=data.DEMO_PASSWORD,
            title=title,
        )


def _load_other_heads() -> None:
    bureau = Unit.objects.get(code=data.BUREAU["code"])
    for dept_code, username, full_name, title in data.OTHER_HEADS:
        department = Department.objects.get(unit=bureau, code=dept_code)
        if not User.objects.filter(username=username).exists():
            staff_create(
                username=username,
                full_name=full_name,
                unit=bureau,
                department=department,
                roles=["dept_head"],
                password=data.DEMO_PASSWORD,
                title=title,
            )
        if department.head_id is None:
            department_set_head(department=department, head=_staff(username), by=None)


def _load_safety_post() -> None:
    """安全稳定科's emergency post with its A and B holders (the incident alert chain)."""
    department = Department.objects.get(unit__code=data.BUREAU["code"], code="safety")
    for username, full_name, title in data.SAFETY_STAFF:
        if not User.objects.filter(username=username).exists():
            staff_create(
                username=username,
                full_name=full_name,
                unit=department.unit,
                department=department,
                roles=["handler"],
                password=data.DEMO_PASSWORD,
                title=title,
            )
    if not department.posts.filter(name=data.SAFETY_POST).exists():
        post_save_holders(
            department=department,
            name=data.SAFETY_POST,
            duties=data.SAFETY_POST_DUTIES,
            a_holder=_staff(data.SAFETY_STAFF[0][0]),
            b_holder=_staff(data.SAFETY_STAFF[1][0]),
            by=None,
        )


def _staff(username: str) -> Staff:
    return Staff.objects.get(user__username=username)


def _load_posts_and_heads() -> None:
    for unit_code, dept_code, username in data.HEADS:
        department = Department.objects.get(unit__code=unit_code, code=dept_code)
        if department.head_id is None:
            department_set_head(department=department, head=_staff(username), by=None)
    for unit_code, dept_code, name, duties, a_name, b_name in data.POSTS:
        department = Department.objects.get(unit__code=unit_code, code=dept_code)
        if not department.posts.filter(name=name).exists():
            post_save_holders(
                department=department,
                name=name,
                duties=duties,
                a_holder=_staff(a_name),
                b_holder=_staff(b_name),
                by=None,
            )


def _load_first_contact_posts() -> None:
    """Each unit's first-contact post, whose holders work its intake pool (待受理)."""
    posts = list(data.FIRST_CONTACT_POSTS)
    for unit_code, people in data.SCHOOL_INTAKE_STAFF.items():
        unit = Unit.objects.get(code=unit_code)
        department = Department.objects.get(unit=unit, code="principal")
        for username, full_name in people:
            if not User.objects.filter(username=username).exists():
                staff_create(
                    username=username,
                    full_name=full_name,
                    unit=unit,
                    department=department,
                    roles=["intake", "handler"],
                    password=data.DEMO_PASSWORD,
                    title="首问责任人",
                )
        posts.append((unit_code, "principal", people[0][0], people[1][0]))
    for unit_code, dept_code, a_name, b_name in posts:
        unit = Unit.objects.get(code=unit_code)
        if unit.first_contact_post_id is not None:
            continue
        post = post_save_holders(
            department=Department.objects.get(unit=unit, code=dept_code),
            name=data.FIRST_CONTACT_POST,
            duties=data.FIRST_CONTACT_DUTIES,
            a_holder=_staff(a_name),
            b_holder=_staff(b_name),
            by=None,
        )
        unit_set_first_contact_post(unit=unit, post=post, by=None)


def _load_category_departments() -> None:
    """Point each category at the bureau department that usually leads on it."""
    bureau = Unit.objects.get(code=data.BUREAU["code"])
    for code, dept_code in data.CATEGORY_DEPARTMENTS.items():
        Category.objects.filter(code=code, default_department=None).update(
            default_department=Department.objects.get(unit=bureau, code=dept_code)
        )


def demo_load() -> None:
    """Create whatever part of the demo organisation is missing."""
    with transaction.atomic():
        policies_seed()
        categories_seed()
        _load_units()
        _load_staff()
        _load_posts_and_heads()
        _load_other_heads()
        _load_safety_post()
        _load_first_contact_posts()
        _load_category_departments()
        org_english_names_fill(
            units=data.UNIT_NAMES_EN,
            departments=data.DEPARTMENT_NAMES_EN,
            posts=data.POST_NAMES_EN,
            by=None,
        )


def demo_logins() -> list[DemoLogin]:
    logins = []
    for username, full_name, _unit_code, _dept, roles, title in data.DEMO_USERS:
        staff = Staff.objects.select_related("unit").filter(user__username=username).first()
        where = f"{staff.unit.short_label} {title}" if staff else title
        logins.append(DemoLogin(username=username, full_name=full_name, roles=roles, where=where))
    return logins
