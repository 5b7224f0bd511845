"""The roles of DESIGN.md §1, as Django groups with the permissions each role needs."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    INTAKE = "intake"
    HANDLER = "handler"
    DEPT_HEAD = "dept_head"
    EFFICIENCY_OFFICE = "efficiency_office"
    INSPECTOR = "inspector"
    LEADER = "leader"
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"


ROLE_LABELS = {
    Role.INTAKE: _("First-contact officer"),
    Role.HANDLER: _("Handler"),
    Role.DEPT_HEAD: _("Department head"),
    Role.EFFICIENCY_OFFICE: _("Efficiency office"),
    Role.INSPECTOR: _("Inspector"),
    Role.LEADER: _("Bureau leader"),
    Role.SYSADMIN: _("System administrator"),
    Role.SECADMIN: _("Security administrator"),
    Role.AUDITOR: _("Audit administrator"),
}

# 三员分立: nobody may hold two of these.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

_ORG_CONFIG = [
    f"org.{verb}_{model}"
    for model in ("unit", "department", "post", "absence")
    for verb in ("add", "change", "delete", "view")
]
_ACCOUNTS = [
    f"org.{verb}_{model}" for model in ("user", "staff") for verb in ("add", "change", "view")
] + ["auth.view_group", "org.assign_roles"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.INTAKE: ["org.view_unit", "org.view_department"],
    Role.HANDLER: ["org.view_unit", "org.view_department"],
    Role.DEPT_HEAD: ["org.view_unit", "org.view_department", "org.view_post", "org.view_absence"],
    # Revealing a requester's personal data is audited each time (DESIGN.md §8).
    Role.EFFICIENCY_OFFICE: [
        "org.view_unit",
        "org.view_department",
        "org.view_post",
        "cases.reveal_requester",
    ],
    Role.INSPECTOR: [
        "org.view_unit",
        "org.view_department",
        "org.view_post",
        "cases.reveal_requester",
    ],
    Role.LEADER: [
        "org.view_unit",
        "org.view_department",
        "org.view_post",
        "cases.reveal_requester",
    ],
    Role.SYSADMIN: [
        *_ORG_CONFIG,
        "org.view_staff",
        # The outbox without its texts (notify.admin); recorded SMS are nothing but text, so
        # no administrator reads them (三员分立).
        "notify.view_notification",
        "notify.change_notification",
    ],
    # The sign-in attempts django-axes keeps, read-only: a lock is lifted on the security
    # page (/security/sign-ins/), where lifting it is audited.
    Role.SECADMIN: [
        *_ACCOUNTS,
        "axes.view_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
    Role.AUDITOR: ["audit.view_auditentry", "audit.verify_auditentry"],
}


def role_label(code: str) -> str:
    try:
        return str(ROLE_LABELS[Role(code)])
    except ValueError:
        return code


def sync_role_groups(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create one group per role and give it exactly the permissions listed above.

    ``post_migrate`` is sent once for every app (and again by each ``flush``, which the
    transactional tests run after every test); the groups are synced once, for the last app,
    when every app's permissions exist, and in a handful of set-wise queries."""
    from django.apps import apps as installed
    from django.contrib.auth.models import Group, Permission

    with_models = [config for config in installed.get_app_configs() if config.models_module]
    if sender is not None and with_models and sender is not with_models[-1]:
        return
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in={perm.split(".")[1] for perm in wanted})
        .values_list("pk", "content_type__app_label", "codename")
    }
    names = [role.value for role in Role]
    groups = {group.name: group for group in Group.objects.using(using).filter(name__in=names)}
    missing = [Group(name=name) for name in names if name not in groups]
    for group in Group.objects.using(using).bulk_create(missing):
        groups[group.name] = group
    for role, perms in ROLE_PERMISSIONS.items():
        groups[role.value].permissions.set([found[perm] for perm in perms if perm in found])
