"""What every registration reads and rarely changes, kept per process (issue #25).

The time-limit policies and their limits, the categories, the staff record of a caller and
each receiving unit's intake post with its holders, their roles and their absences are cached
in each process under the configuration token (``workdays.calendar.config_cached``): one
query per call (the one that also reads the calendar's token) says whether they are still
current. Whatever changes them through the ORM bumps the token in its own transaction (the
model signals below); the API's keys and clients do the same in ``api/apps.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from xiaoneng.cases.models import Category
from xiaoneng.cases.pool import acting_of
from xiaoneng.catalog.models import PolicyStageLimit, PolicyVersion, TimeLimitPolicy
from xiaoneng.org.models import Absence, Department, Post, Staff, Unit, User
from xiaoneng.org.selectors import ActingHolder, absent_staff_ids, user_roles_prime
from xiaoneng.workdays.calendar import config_cached, config_touch

# Saving a user touches the configuration only when a field a cached value depends on may have
# changed (a sign-in writes last_login and must not empty every process's cache).
_USER_FIELDS = frozenset({"is_active", "username", "first_name", "last_name"})
# Absences that ended this long before the cache was built are not kept: a registration dated
# further back than that (an import with its own date) reads the absences from the database.
ABSENCE_HORIZON = timedelta(days=31)


def _touch(sender: Any, **kwargs: Any) -> None:
    if sender is User:
        fields = kwargs.get("update_fields")
        if fields is not None and not _USER_FIELDS & set(fields):
            return
    config_touch()


def _touch_roles(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        config_touch()


def connect() -> None:
    """Called once from ``CasesConfig.ready``."""
    for model in (
        Category,
        TimeLimitPolicy,
        PolicyVersion,
        PolicyStageLimit,
        Unit,
        Department,
        Staff,
        Post,
        Absence,
        User,
    ):
        uid = f"xiaoneng.config.{model._meta.label_lower}"
        post_save.connect(_touch, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_touch, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(
        _touch_roles, sender=User.groups.through, dispatch_uid="xiaoneng.config.user.groups"
    )


def category_active(code: str) -> Category | None:
    """The active category with this code (cached)."""
    return config_cached(
        ("cases.category", code),
        lambda: Category.objects.filter(code=code, is_active=True).first(),
    )


def staff_of(user: User) -> Staff | None:
    """The staff record of a login, with its unit (cached)."""
    return config_cached(
        ("cases.staff", user.pk),
        lambda: Staff.objects.select_related("unit").filter(user=user).first(),
    )


def _intake_post(post_id: int) -> tuple[Post, datetime, list[tuple[int, datetime, datetime]]]:
    post = Post.objects.select_related(
        "a_holder__user", "b_holder__user", "department__head__user"
    ).get(pk=post_id)
    head = post.department.head
    people = [s for s in (post.a_holder, post.b_holder, head) if s is not None]
    user_roles_prime([s.user for s in people])
    built = timezone.now()
    absences = list(
        Absence.objects.filter(
            staff_id__in=[s.pk for s in people], ends_at__gt=built - ABSENCE_HORIZON
        ).values_list("staff_id", "starts_at", "ends_at")
    )
    return post, built, absences


def intake_post_away(post_id: int, *, at: datetime) -> tuple[Post, set[int]]:
    """The first-contact post ``post_id`` with its holders and its department's head (cached),
    and which of these three are away at ``at``."""
    post, built, absences = config_cached(
        ("cases.intake_post", post_id), lambda: _intake_post(post_id)
    )
    if at < built - ABSENCE_HORIZON:
        people = [s.pk for s in (post.a_holder, post.b_holder, post.department.head) if s]
        return post, absent_staff_ids(staff_ids=people, at=at)
    return post, {staff_id for staff_id, starts, ends in absences if starts <= at < ends}


def intake_post_acting(post_id: int, *, at: datetime) -> ActingHolder:
    """Who works the intake pool of the unit whose first-contact post is ``post_id`` at
    ``at``, by the A/B rule, with the post, its holders, their roles and absences cached."""
    post, away = intake_post_away(post_id, at=at)
    return acting_of(post, away)
