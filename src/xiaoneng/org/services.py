"""Every change to the organisation goes through these functions, each with its audit row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.org.models import Absence, Department, Post, Staff, Unit, User
from xiaoneng.org.roles import ADMIN_ROLES, Role, role_label


def roles_validate(roles: Iterable[str]) -> set[Role]:
    """Refuse unknown roles and any set holding two administrator roles (三员分立)."""
    try:
        wanted = {Role(code) for code in roles}
    except ValueError as exc:
        raise DomainError(
            lazy_format(_("Unknown role: %(role)s."), {"role": exc.args[0]})
        ) from None
    admin = sorted(wanted & ADMIN_ROLES)
    if len(admin) > 1:
        names = "、".join(role_label(code) for code in admin)
        raise DomainError(
            lazy_format(
                _(
                    "One person may hold only one of the three administrator roles "
                    "(system, security, audit); refused: %(roles)s."
                ),
                {"roles": names},
            )
        )
    return wanted


def _apply_roles(user: User, roles: set[Role]) -> None:
    groups = list(Group.objects.filter(name__in=[role.value for role in roles]))
    user.groups.set(groups)
    # Only the administrator roles reach the Django admin site.
    user.is_staff = bool(roles & ADMIN_ROLES)
    user.save(update_fields=["is_staff"])
    user._xiaoneng_roles = {role.value for role in roles}  # type: ignore[attr-defined]


def staff_create(
    *,
    username: str,
    full_name: str,
    unit: Unit,
    department: Department | None = None,
    roles: Iterable[str] = (),
    password: str | None = None,
    title: str = "",
    phone: str = "",
    email: str = "",
    by: User | None = None,
) -> Staff:
    wanted = roles_validate(roles)
    if department is not None and department.unit_id != unit.pk:
        raise DomainError(_("The department must belong to the staff member's unit."))
    if User.objects.filter(username=username).exists():
        raise DomainError(lazy_format(_("The username %(name)s is taken."), {"name": username}))
    user = User(username=username, full_name=full_name, email=email)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        staff = Staff.objects.create(
            user=user, unit=unit, department=department, title=title, phone=phone
        )
        _apply_roles(user, wanted)
        log_action(
            action="org.staff.create",
            obj=staff,
            actor=by,
            summary={"username": username, "roles": sorted(wanted)},
        )
    return staff


def staff_set_roles(*, staff: Staff, roles: Iterable[str], by: User | None) -> Staff:
    wanted = roles_validate(roles)
    with transaction.atomic():
        before = sorted(staff.user.groups.values_list("name", flat=True))
        _apply_roles(staff.user, wanted)
        log_action(
            action="org.staff.set_roles",
            obj=staff,
            actor=by,
            summary={"before": before, "after": sorted(wanted)},
        )
    return staff


def unit_create(*, code: str, name: str, kind: str, by: User | None, **fields: object) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.create(code=code, name=name, kind=kind, **fields)
        log_action(action="org.unit.create", obj=unit, actor=by, unit_id=unit.pk)
    return unit


def department_create(
    *,
    unit: Unit,
    code: str,
    name: str,
    by: User | None,
    name_en: str = "",
    duties: str = "",
    sort_order: int = 0,
) -> Department:
    with transaction.atomic():
        department = Department.objects.create(
            unit=unit, code=code, name=name, name_en=name_en, duties=duties, sort_order=sort_order
        )
        log_action(action="org.department.create", obj=department, actor=by)
    return department


def org_english_names_fill(
    *,
    units: dict[str, str],
    departments: dict[str, str],
    posts: dict[str, str] | None = None,
    by: User | None,
) -> int:
    """Give the units and departments (by code) and the posts (by Chinese name) that have no
    English name the one given here; names already set are kept. Returns how many rows got a
    name."""
    posts = posts or {}
    filled = 0
    with transaction.atomic():
        for unit in Unit.objects.select_for_update().filter(code__in=units, name_en=""):
            unit.name_en = units[unit.code]
            unit.save(update_fields=["name_en"])
            log_action(
                action="org.unit.update", obj=unit, actor=by, summary={"fields": ["name_en"]}
            )
            filled += 1
        found = Department.objects.select_for_update().filter(code__in=departments, name_en="")
        for department in found:
            department.name_en = departments[department.code]
            department.save(update_fields=["name_en"])
            log_action(
                action="org.department.update",
                obj=department,
                actor=by,
                summary={"fields": ["name_en"]},
            )
            filled += 1
        found_posts = Post.objects.select_for_update(of=("self",)).select_related("department")
        for post in found_posts.filter(name__in=posts, name_en=""):
            post.name_en = posts[post.name]
            post.save(update_fields=["name_en"])
            log_action(
                action="org.post.update",
                obj=post,
                actor=by,
                unit_id=post.department.unit_id,
                summary={"fields": ["name_en"]},
            )
            filled += 1
    return filled


def department_set_head(*, department: Department, head: Staff | None, by: User | None) -> None:
    if head is not None and head.unit_id != department.unit_id:
        raise DomainError(_("The head must work in the department's unit."))
    with transaction.atomic():
        department.head = head
        department.save(update_fields=["head"])
        log_action(
            action="org.department.set_head",
            obj=department,
            actor=by,
            summary={"head": head.pk if head else None},
        )


def unit_set_first_contact_post(*, unit: Unit, post: Post | None, by: User | None) -> Unit:
    """Name the post that works the unit's intake pool (待受理); it must be the unit's own."""
    if post is not None and post.department.unit_id != unit.pk:
        raise DomainError(_("The first-contact post must belong to the unit."))
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        unit.first_contact_post = post
        unit.save(update_fields=["first_contact_post"])
        log_action(
            action="org.unit.set_first_contact_post",
            obj=unit,
            actor=by,
            unit_id=unit.pk,
            summary={"post": post.pk if post else None},
        )
    return unit


def post_save_holders(
    *,
    department: Department,
    name: str,
    a_holder: Staff | None,
    b_holder: Staff | None,
    by: User | None,
    duties: str = "",
    name_en: str = "",
) -> Post:
    """Create the post, or update its duties, English name and holders (blank duties or
    English name keep those it has); A and B must be two people."""
    if a_holder is not None and b_holder is not None and a_holder.pk == b_holder.pk:
        raise DomainError(_("The A holder and the B holder of a post must be two people."))
    for holder in (a_holder, b_holder):
        if holder is not None and holder.unit_id != department.unit_id:
            raise DomainError(_("Post holders must work in the post's unit."))
    with transaction.atomic():
        post, created = Post.objects.select_for_update().get_or_create(
            department=department, name=name
        )
        post.duties = duties or post.duties
        post.name_en = name_en.strip() or post.name_en
        post.a_holder, post.b_holder = a_holder, b_holder
        post.save()
        log_action(
            action="org.post.create" if created else "org.post.update",
            obj=post,
            actor=by,
            unit_id=department.unit_id,
            summary={
                "a": a_holder.pk if a_holder else None,
                "b": b_holder.pk if b_holder else None,
            },
        )
    return post


def _partners_away(*, staff: Staff, starts_at: datetime, ends_at: datetime) -> list[Post]:
    """Posts this person holds whose other holder is away at some moment of the span."""
    clashes = []
    posts = Post.objects.filter(Q(a_holder=staff) | Q(b_holder=staff)).select_related(
        "a_holder", "b_holder", "department"
    )
    for post in posts:
        partner = post.b_holder if post.a_holder_id == staff.pk else post.a_holder
        if partner is None:
            continue
        overlapping = Absence.objects.filter(
            staff=partner, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        if overlapping.exists():
            clashes.append(post)
    return clashes


def absence_check(
    *, staff: Staff, starts_at: datetime, ends_at: datetime, kind: str, head_covers: bool
) -> list[Post]:
    """Raise DomainError when the absence may not be recorded; return the posts it leaves bare."""
    if ends_at <= starts_at:
        raise DomainError(_("An absence must end after it starts."))
    if kind not in Absence.Kind.values:
        raise DomainError(_("Unknown kind of absence."))
    clashes = _partners_away(staff=staff, starts_at=starts_at, ends_at=ends_at)
    if clashes and not head_covers:
        names = "、".join(post.label for post in clashes)
        raise DomainError(
            lazy_format(
                _(
                    "The A and B holders of %(posts)s would be away at the same time. "
                    "Record it only if the department head covers the post."
                ),
                {"posts": names},
            )
        )
    if any(post.department.head_id is None for post in clashes):
        raise DomainError(_("The department has no head to cover the post; appoint one first."))
    return clashes


def absence_record(
    *,
    staff: Staff,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    by: User | None,
    note: str = "",
    head_covers: bool = False,
) -> Absence:
    """Record an absence; refuse one that leaves a post with A and B away unless the head covers."""
    with transaction.atomic():
        # Lock the person's posts so the A and B holders' absences cannot both slip through.
        list(Post.objects.select_for_update().filter(Q(a_holder=staff) | Q(b_holder=staff)))
        clashes = absence_check(
            staff=staff, starts_at=starts_at, ends_at=ends_at, kind=kind, head_covers=head_covers
        )
        absence = Absence.objects.create(
            staff=staff,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
            note=note,
            head_covers=bool(clashes),
        )
        log_action(
            action="org.absence.record",
            obj=absence,
            actor=by,
            unit_id=staff.unit_id,
            summary={
                "staff": staff.pk,
                "from": starts_at.isoformat(),
                "until": ends_at.isoformat(),
                "kind": kind,
                "head_covers": absence.head_covers,
            },
        )
    return absence


def absence_cancel(*, absence: Absence, by: User | None) -> None:
    with transaction.atomic():
        log_action(
            action="org.absence.cancel",
            obj=absence,
            actor=by,
            unit_id=absence.staff.unit_id,
            summary={"staff": absence.staff_id},
        )
        absence.delete()
