"""工作台: everything waiting for one person, grouped, with deadline colours and counts.

Within each group the most urgent work comes first: red card, yellow card, pre-warning, then
the soonest deadline (``urgency_key``), each with the time left ("剩余 3 个工作日") read from the
clock's due moment by ``workdays.remaining`` — the deadline itself is never computed again. A
group shows when the person's roles make it their regular work (``CORE_ROLES``) or when it
holds something; a handler never sees an empty "Replies to review" card.

The whole page costs a fixed number of queries whatever the number of cases: one for the
person's posts (with whether each holder is away now), one for the rows (the most urgent of
each group, ranked in the database, and the group counts), one for the clocks of those rows
only, one for the notices, and one calendar lookup for all colours.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.deadlines import (
    CASE_OWNER,
    CLOCK_FIELDS,
    DONE,
    NO_DEADLINE,
    PAUSED,
    Deadline,
    deadline_from_row,
)
from xiaoneng.cases.models import Case, CaseAssist, Decision, ExtensionRequest
from xiaoneng.cases.pool import IN_POOL, in_pool
from xiaoneng.cases.states import ALLOWED_FROM, OPEN_STATE_VALUES, State
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Absence, Post, Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.compiled import compiled_rows
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.remaining import TimeLeft, time_left

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

ITEMS_SHOWN = 20
# Rows read per group, ranked by due moment: twice what is shown, so that the cards-first order
# made in Python has the most urgent to choose from. The counts are exact whatever the rows.
ROWS_PER_GROUP = 2 * ITEMS_SHOWN
CASE_STAGES = ("intake", "sign_for", "reply", "rating")
ASSIST_OWNER = "cases.caseassist"

GROUPS = [
    ("intake", _("To accept"), "intake"),
    ("dispatch", _("To dispatch"), "reply"),
    ("sign_for", _("To sign for"), "sign_for"),
    ("handle", _("To handle"), "reply"),
    ("review", _("Replies to review"), "reply"),
    ("assist", _("Assisting opinions"), "assist"),
    ("decide", _("Extension and return decisions"), "reply"),
    ("callbacks", _("Callbacks and reopen reviews"), "rating"),
]
# The roles whose regular work a group is: for them the group shows even when empty ("nothing
# waiting"); for anyone else only when it holds something (a handler who registered a case has
# it to dispatch). The intake pool shows to whoever works a pool post now.
CORE_ROLES: dict[str, frozenset[str]] = {
    "dispatch": frozenset({Role.INTAKE, Role.EFFICIENCY_OFFICE}),
    "sign_for": frozenset({Role.DEPT_HEAD, Role.HANDLER}),
    "handle": frozenset({Role.HANDLER}),
    "review": frozenset({Role.DEPT_HEAD}),
    "assist": frozenset({Role.DEPT_HEAD}),
    "decide": frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER}),
    "callbacks": frozenset({Role.EFFICIENCY_OFFICE}),
}
ASSIST_STATES = sorted(str(state) for state in ALLOWED_FROM["assist_opinion"])
EXTENSION_STATES = sorted(str(state) for state in ALLOWED_FROM["decide_extension"])


@dataclass
class Item:
    case: Case
    deadline: Deadline
    standing_in_for: Staff | None = None
    note: str = ""
    left: TimeLeft | None = None

    @property
    def remaining(self) -> str:
        return self.left.text if self.left is not None else ""

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left.overdue


def urgency_key(deadline: Deadline, pk: int) -> tuple[int, float, int]:
    """Red card, yellow card, pre-warning, then the soonest due; paused and stopped clocks and
    work without a deadline last."""
    due = deadline.due_at.timestamp() if deadline.due_at is not None else float("inf")
    return (-deadline.severity, due, pk)


@dataclass
class Group:
    code: str
    label: str
    count: int = 0
    items: list[Item] = field(default_factory=list)


@dataclass
class Workbench:
    groups: list[Group]
    notices: list[Notification]
    acting_for: list[tuple[Post, Staff]]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def _away(holder: str, now: datetime) -> Exists:
    return Exists(
        Absence.objects.filter(
            staff_id=OuterRef(f"{holder}_id"), starts_at__lte=now, ends_at__gt=now
        )
    )


def _posts(staff: Staff, now: datetime) -> list[Post]:
    return list(
        Post.objects.filter(Q(a_holder=staff) | Q(b_holder=staff) | Q(department__head=staff))
        .select_related("a_holder__user", "b_holder__user")
        .annotate(
            a_away=_away("a_holder", now),
            b_away=_away("b_holder", now),
            works_pool=Exists(Unit.objects.filter(first_contact_post=OuterRef("pk"))),
        )
    )


def _acting(staff: Staff, posts: list[Post], heads: bool) -> tuple[dict[int, Any], dict[int, Any]]:
    """Posts this person acts for now (→ whom they stand in for) and posts where they cover an
    absent A holder's own cases (→ that A holder)."""
    acting: dict[int, Any] = {}
    covering: dict[int, Any] = {}
    for post in posts:
        if post.a_holder_id == staff.pk and not post.a_away:
            acting[post.pk] = None
        elif (
            post.b_holder_id == staff.pk
            and not post.b_away
            and (post.a_away or not post.a_holder_id)
        ):
            acting[post.pk] = post.a_holder
            if post.a_holder_id:
                covering[post.pk] = post.a_holder
        elif heads and post.a_away and post.b_away:
            acting[post.pk] = post.a_holder
    return acting, covering


def _attach_clocks(rows: list[Case], staff: Staff) -> None:
    """Set the latest clock of each stage on the rows (``reply_due_at``, ``assist_state``, …),
    as ``with_case_clocks`` annotates them, for the rows shown only and in one query: the
    case's own clocks, and the opinion clock of the pending assist the person's department
    owes (``assist_*``)."""
    if not rows:
        return
    ids = [case.pk for case in rows]
    # Resolved in the same statement: the assists' ids go in as a subquery.
    owed = CaseAssist.objects.filter(
        case_id__in=ids, department__head=staff, opinion=CaseAssist.Opinion.PENDING
    ).values("pk")
    clocks = Clock.objects.filter(
        Q(owner_type=CASE_OWNER, owner_id__in=ids, stage__in=CASE_STAGES)
        | Q(owner_type=ASSIST_OWNER, owner_id__in=owed, stage="assist_opinion")
    ).annotate(
        assist_case=Subquery(
            CaseAssist.objects.filter(pk=OuterRef("owner_id")).values("case_id")[:1]
        )
    )
    latest: dict[tuple[int, str], tuple[Any, ...]] = {}
    for owner_type, owner_id, stage, assist_case, *fields in clocks.order_by("id").values_list(
        "owner_type", "owner_id", "stage", "assist_case", *CLOCK_FIELDS
    ):
        if owner_type == CASE_OWNER:
            latest[(owner_id, stage)] = tuple(fields)
        elif assist_case is not None:
            latest[(assist_case, "assist")] = tuple(fields)
    for case in rows:
        for stage in (*CASE_STAGES, "assist"):
            values = latest.get((case.pk, stage), (None,) * len(CLOCK_FIELDS))
            for name, value in zip(CLOCK_FIELDS, values, strict=True):
                setattr(case, f"{stage}_{name}", value)


def _conditions(
    staff: Staff,
    roles: set[str],
    acting: dict[int, Any],
    covering: dict[int, Any],
    pool_posts: list[int],
) -> dict[str, Q]:
    dispatch = Q(state=State.REGISTERED, first_contact=staff)
    if Role.EFFICIENCY_OFFICE in roles:
        # Accepted cases only: the intake pools are worked by each unit's first-contact post;
        # the office supervises them on the pool page instead.
        dispatch = Q(state=State.REGISTERED, first_contact__isnull=False)
    sign = Q(post_id__in=list(acting)) | Q(lead_department__head=staff)
    if staff.department_id:
        sign |= Q(post__isnull=True, lead_department_id=staff.department_id)
    absent_a = [holder.pk for holder in covering.values()]
    handle = Q(handler=staff)
    if covering:
        handle |= Q(handler_id__in=absent_a, post_id__in=list(covering))
    conditions: dict[str, Q] = {}
    if pool_posts:
        # The pools of the units whose first-contact post this person acts for now (A/B rule).
        units = Unit.objects.filter(first_contact_post_id__in=pool_posts).values("pk")
        conditions["intake"] = IN_POOL & Q(unit_id__in=units)
    conditions |= {
        "dispatch": dispatch,
        "sign_for": Q(state=State.DISPATCHED) & sign,
        "handle": Q(state__in=[State.IN_PROGRESS, State.SUSPENDED]) & handle,
        "review": Q(
            state=State.IN_PROGRESS, reply_pending_review=True, lead_department__head=staff
        ),
        "assist": Q(my_assist=True, state__in=ASSIST_STATES),
    }
    # Only what the reader can act on now: an extension on a case in another state waits for
    # nothing from them (docs/cases.md, "Pending requests").
    extension = Q(pending_extension=True, state__in=EXTENSION_STATES)
    if Role.EFFICIENCY_OFFICE in roles:
        conditions["decide"] = Q(state=State.RETURN_REQUESTED) | extension
        conditions["callbacks"] = Q(state__in=[State.REPLIED, State.REOPEN_REVIEW])
    elif Role.LEADER in roles:
        conditions["decide"] = extension
    return conditions


def _base(staff: Staff) -> QuerySet[Case]:
    pending = ExtensionRequest.objects.filter(case_id=OuterRef("pk"), decision=Decision.PENDING)
    mine = CaseAssist.objects.filter(
        case_id=OuterRef("pk"), department__head=staff, opinion=CaseAssist.Opinion.PENDING
    )
    # Every group concerns open cases; the filter lets the count use the open-case index.
    return Case.objects.filter(state__in=OPEN_STATE_VALUES).annotate(
        pending_extension=Exists(pending), my_assist=Exists(mine)
    )


def _rows(
    staff: Staff, conditions: dict[str, Q], key: Hashable
) -> tuple[list[Case], dict[str, int]]:
    """The most urgent rows of every group, ROWS_PER_GROUP at most each, and the exact count of
    every group (carried on each row as a window over all the matching cases), in one query.

    Each case is ranked within the first group it belongs to by the due moment of the clock
    the person races in its state (one subquery per case); only the rows kept are read in full,
    and their clocks are read afterwards for them alone (``_attach_clocks``). The exact order
    (cards first) is made in Python on the rows kept.

    The statement is compiled once per connection and ``key`` (what the conditions are made
    of): compiling it cost about half of the page.
    """
    if not conditions:
        return [], {}
    rows = compiled_rows(key, lambda: _ranked(_base(staff), conditions))
    counts = {code: getattr(rows[0], f"wb_count_{code}") if rows else 0 for code in conditions}
    return rows, counts


def _ranked(base: QuerySet[Case], conditions: dict[str, Q]) -> QuerySet[Case]:
    racing_stage = SqlCase(
        When(state=State.DISPATCHED, then=Value("sign_for")),
        When(state=State.REPLIED, then=Value("rating")),
        When(Q(state=State.REGISTERED, first_contact__isnull=True), then=Value("intake")),
        default=Value("reply"),
    )
    group = SqlCase(
        *(When(condition, then=Value(code)) for code, condition in conditions.items()),
        default=Value(""),
    )
    racing_due = Clock.objects.filter(
        owner_type=CASE_OWNER, owner_id=OuterRef("pk"), stage=OuterRef("racing_stage")
    ).order_by("-id")
    whole = Q()
    for condition in conditions.values():
        whole |= condition
    ranked = (
        base.filter(whole)
        .annotate(racing_stage=racing_stage, wb_group=group)
        .annotate(racing_due=Subquery(racing_due.values("due_at")[:1]))
        .annotate(
            wb_rank=Window(
                RowNumber(),
                partition_by=[F("wb_group")],
                order_by=[F("racing_due").asc(nulls_last=True), "registered_at", "id"],
            )
        )
        .annotate(
            **{
                f"wb_count_{code}": Window(Count("pk", filter=condition))
                for code, condition in conditions.items()
            }
        )
        .filter(wb_rank__lte=ROWS_PER_GROUP)
        .select_related("category", "unit", "lead_department", "handler__user", "policy_version")
    )
    return ranked.order_by("wb_group", "wb_rank")


def workbench_for(user: User, *, now: datetime | None = None) -> Workbench:
    now = now or timezone.now()
    staff = staff_for(user)
    if staff is None:
        return Workbench(groups=[], notices=[], acting_for=[])
    roles = user_roles(user)
    posts = _posts(staff, now)
    acting, covering = _acting(staff, posts, heads=Role.DEPT_HEAD in roles)
    pool_posts = [post.pk for post in posts if post.works_pool and post.pk in acting]
    conditions = _conditions(staff, roles, acting, covering, pool_posts)
    # Everything the conditions and the base query are made of.
    key = (
        "office.workbench",
        staff.pk,
        staff.department_id,
        tuple(sorted(roles)),
        tuple(acting),
        tuple((post, holder.pk) for post, holder in covering.items()),
        tuple(pool_posts),
    )
    rows, counts = _rows(staff, conditions, key)
    _attach_clocks(rows, staff)
    calendar = get_calendar(None)
    groups = []
    for code, label, stage in GROUPS:
        if code not in conditions:
            continue
        group = Group(code=code, label=str(label), count=counts[code] or 0)
        if not group.count and not (code == "intake" or roles & CORE_ROLES.get(code, set())):
            continue  # not this role's work, and nothing waiting
        seen: set[int] = set()
        ranked = []
        for case in rows:
            if case.pk in seen or not _matches(code, case, staff, roles, acting, covering):
                continue
            seen.add(case.pk)
            prefix, deadline = _deadline(stage, case, calendar, now)
            ranked.append((urgency_key(deadline, case.pk), prefix, deadline, case))
        ranked.sort(key=lambda entry: entry[0])
        group.items = [
            _item(code, prefix, deadline, case, staff, acting, calendar, now)
            for _key, prefix, deadline, case in ranked[:ITEMS_SHOWN]
        ]
        groups.append(group)
    notices = list(
        Notification.objects.filter(
            recipient_user=user, channel=Notification.Channel.INBOX, read_at__isnull=True
        ).order_by("-created_at", "-id")[:5]
    )
    acting_for = [(post, post.a_holder) for post in posts if acting.get(post.pk) is not None]
    return Workbench(groups=groups, notices=notices, acting_for=acting_for)


def _matches(
    code: str,
    case: Case,
    staff: Staff,
    roles: set[str],
    acting: dict[int, Any],
    covering: dict[int, Any],
) -> bool:
    """The same conditions as the query, in Python, to sort fetched rows into groups."""
    state = case.state
    if code == "intake":
        return in_pool(case) and case.unit.first_contact_post_id in acting
    if code == "dispatch":
        if state != State.REGISTERED or case.first_contact_id is None:
            return False
        return Role.EFFICIENCY_OFFICE in roles or case.first_contact_id == staff.pk
    if code == "sign_for":
        head = case.lead_department is not None and case.lead_department.head_id == staff.pk
        own = case.post_id is None and case.lead_department_id == staff.department_id
        return state == State.DISPATCHED and (case.post_id in acting or head or own)
    if code == "handle":
        covered = covering.get(case.post_id)
        mine = case.handler_id == staff.pk or (
            covered is not None and case.handler_id == covered.pk
        )
        return state in {State.IN_PROGRESS, State.SUSPENDED} and mine
    if code == "review":
        head = case.lead_department is not None and case.lead_department.head_id == staff.pk
        return state == State.IN_PROGRESS and case.reply_pending_review and head
    if code == "assist":
        return bool(case.my_assist) and state in ASSIST_STATES
    if code == "decide":
        if Role.EFFICIENCY_OFFICE in roles and state == State.RETURN_REQUESTED:
            return True
        return bool(case.pending_extension) and state in EXTENSION_STATES
    if code == "callbacks":
        return state in {State.REPLIED, State.REOPEN_REVIEW}
    return False


def _deadline(stage: str, case: Case, calendar: Any, now: datetime) -> tuple[str, Deadline]:
    """The clock the group races (the reply clock when the case has none of that stage)."""
    deadline = deadline_from_row(case, stage, calendar=calendar, now=now)
    if deadline is NO_DEADLINE and stage != "reply":
        return "reply", deadline_from_row(case, "reply", calendar=calendar, now=now)
    return stage, deadline


def _item(
    code: str,
    prefix: str,
    deadline: Deadline,
    case: Case,
    staff: Staff,
    acting: dict[int, Any],
    calendar: Any,
    now: datetime,
) -> Item:
    """A row shown: the time left is worked out for these only."""
    left = None
    if deadline.due_at is not None and deadline.level not in {DONE, PAUSED}:
        left = time_left(
            due_at=deadline.due_at,
            counting=getattr(case, f"{prefix}_counting", "") or "",
            calendar=calendar,
            now=now,
        )
    standing_in_for = None
    if code == "sign_for":
        standing_in_for = acting.get(case.post_id)
    elif code == "intake":
        standing_in_for = acting.get(case.unit.first_contact_post_id)
    elif code == "handle" and case.handler_id != staff.pk:
        standing_in_for = case.handler
    note = ""
    if code == "handle" and case.reply_pending_review:
        note = str(_("Reply awaiting the head's review"))
    elif code == "decide":
        note = str(
            _("Return to arbitrate")
            if case.state == State.RETURN_REQUESTED
            else _("Extension to decide")
        )
    elif code == "callbacks":
        note = str(case.get_state_display())
    return Item(case=case, deadline=deadline, standing_in_for=standing_in_for, note=note, left=left)
