"""What one case contributes to the rollups, read from its event log and its clocks.

A contribution is a rollup key (day, unit, department, channel, kind, category) with counts.
Counts are anchored on the day something happened — received on the registration day, a
dispatch (and whether that dispatch was signed for on time) on the dispatch day, a reply on
the reply day, a rating on the rating day — and the department is the lead department at
that moment, so a return is counted against the department that returned the case. The same
function feeds the incremental rollups and the live check, and is exact for both; the metric
formulas on top of the counts are in metrics.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from xiaoneng.cases.models import Case, CaseEvent, Satisfaction
from xiaoneng.org.models import Department
from xiaoneng.triage.selectors import repeat_links
from xiaoneng.workdays.arithmetic import CalendarRangeError
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock, ClockPause

REPEAT_WINDOW_DAYS = 90
CASE_OWNER = "cases.case"
DISPATCH_ACTIONS = frozenset({"dispatch", "accept_return"})
REPLY_ACTIONS = frozenset({"reply", "answer_directly"})
UNRATED_ACTIONS = frozenset({"close_unrated"})

Key = tuple[str, int, int, str, str, int]  # day (ISO), unit, department (0: none), ch, kind, cat
Counts = dict[str, int]


def local_day(moment: datetime) -> date:
    """The office's calendar day of a moment, whatever time zone a request activated (and
    without the per-call lookup of the active zone: a rebuild calls this millions of times)."""
    return moment.astimezone(office_tz()).date() if timezone.is_aware(moment) else moment.date()


class _Context:
    """Lookups shared by a batch: department → unit, calendars per unit."""

    def __init__(self) -> None:
        self.dept_unit = dict(Department.objects.values_list("pk", "unit_id"))
        self.calendars: dict[int | None, Any] = {}

    def calendar(self, unit_id: int | None) -> Any:
        if unit_id not in self.calendars:
            self.calendars[unit_id] = get_calendar(unit_id)
        return self.calendars[unit_id]


def reply_workdays(clock: Any, pauses: list[Any], calendar: Any) -> int:
    """Working days from the clock's start to its stop, less the working days suspended.
    ``clock`` and ``pauses`` are Clock / ClockPause or rows with the same field names."""
    if clock.stopped_at is None:
        return 0
    try:
        total = calendar.workdays_between(local_day(clock.started_at), local_day(clock.stopped_at))
        for pause in pauses:
            end = pause.resumed_at or clock.stopped_at
            total -= calendar.workdays_between(local_day(pause.paused_at), local_day(end))
    except CalendarRangeError:
        return 0
    return max(0, total)


def repeats_of(cases: list[dict[str, Any]]) -> dict[int, int]:
    """case id → the earlier case it repeats: same requester phone and category, registered
    within the 90 days before (DESIGN §7, 重复投诉). Phones are compared through their keyed
    blind index (the phone itself is encrypted)."""
    phones = {c["requester_phone_index"] for c in cases if c["requester_phone_index"]}
    if not phones:
        return {}
    earliest = min(c["registered_at"] for c in cases) - timedelta(days=REPEAT_WINDOW_DAYS)
    history: dict[tuple[str, int], list[tuple[datetime, int]]] = defaultdict(list)
    rows = Case.objects.filter(
        requester_phone_index__in=phones, registered_at__gte=earliest
    ).values_list("requester_phone_index", "category_id", "registered_at", "pk")
    for phone, category_id, registered_at, pk in rows:
        history[(phone, category_id)].append((registered_at, pk))
    found: dict[int, int] = {}
    for case in cases:
        if not case["requester_phone_index"]:
            continue
        start = case["registered_at"] - timedelta(days=REPEAT_WINDOW_DAYS)
        earlier = [
            (at, pk)
            for at, pk in history[(case["requester_phone_index"], case["category_id"])]
            if start <= at and (at, pk) < (case["registered_at"], case["id"])
        ]
        if earlier:
            found[case["id"]] = max(earlier)[1]
    return found


def repeat_links_of(cases: list[dict[str, Any]]) -> dict[int, int]:
    """case id → the earlier case it repeats: the same phone and category within 90 days
    (``repeats_of``), or a repeat-complaint alert triage raised (the same person or the same
    matter at the same school, complained about again after a reply), whose link wins. One
    truth: the metric, its drill-down rows and the ``RepeatComplaint`` links all come from here.
    Triage is a feature beside this one; it never imports assessment."""
    found = repeats_of(cases)
    found.update(repeat_links([case["id"] for case in cases]))
    return found


def contributions_of(
    case_ids: Iterable[int],
) -> tuple[dict[int, dict[Key, Counts]], dict[int, int]]:
    """For each case id: its contributions. Also the repeat links found. Six queries a batch."""
    ids = list(case_ids)
    context = _Context()
    cases = list(
        Case.objects.filter(pk__in=ids).values(
            "id",
            "unit_id",
            "lead_department_id",
            "channel",
            "kind",
            "category_id",
            "registered_at",
            "requester_phone_index",
        )
    )
    events: dict[int, list[Any]] = defaultdict(list)
    # Named rows rather than model instances: this runs over every case on a rebuild.
    for event in (
        CaseEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "at", "action", "data", "from_state", named=True)
    ):
        events[event.case_id].append(event)
    clocks: dict[int, list[Any]] = defaultdict(list)
    clock_list = list(
        Clock.objects.filter(
            owner_type=CASE_OWNER, owner_id__in=ids, stage__in=["sign_for", "reply"]
        )
        .order_by("id")
        .values_list(
            "id", "owner_id", "stage", "unit_id", "started_at", "stopped_at", "due_at", named=True
        )
    )
    for clock in clock_list:
        clocks[clock.owner_id].append(clock)
    pauses: dict[int, list[Any]] = defaultdict(list)
    for pause in ClockPause.objects.filter(
        clock_id__in=[c.id for c in clock_list if c.stage == "reply"]
    ).values_list("clock_id", "paused_at", "resumed_at", named=True):
        pauses[pause.clock_id].append(pause)
    repeats = repeat_links_of(cases)
    result = {
        case["id"]: _case_contributions(
            case, events[case["id"]], clocks[case["id"]], pauses, case["id"] in repeats, context
        )
        for case in cases
    }
    return result, repeats


def _case_contributions(
    case: dict[str, Any],
    events: list[Any],
    clocks: list[Any],
    pauses: dict[int, list[Any]],
    repeat: bool,
    context: _Context,
) -> dict[Key, Counts]:
    out: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    tail = (case["channel"], case["kind"], case["category_id"])

    def add(moment: datetime, department_id: int | None, measure: str, n: int = 1) -> None:
        if not n:
            return
        unit_id = context.dept_unit.get(department_id) if department_id else None
        key = (
            local_day(moment).isoformat(),
            unit_id or case["unit_id"],
            department_id or 0,
            *tail,
        )
        out[key][measure] += n

    add(case["registered_at"], case["lead_department_id"], "received")
    if repeat:
        add(case["registered_at"], case["lead_department_id"], "repeat")

    sign_clocks = [c for c in clocks if c.stage == "sign_for"]
    reply_clocks = {c.stopped_at: c for c in clocks if c.stage == "reply" and c.stopped_at}
    sign_times = {e.at for e in events if e.action == "sign_for"}
    dispatches = [e for e in events if e.action in DISPATCH_ACTIONS]
    for index, clock in enumerate(sign_clocks):
        lead = dispatches[index].data.get("lead") if index < len(dispatches) else None
        lead = lead or case["lead_department_id"]
        add(clock.started_at, lead, "dispatched")
        if clock.stopped_at is not None and clock.stopped_at in sign_times:
            add(clock.started_at, lead, "signed")
            if clock.stopped_at <= clock.due_at:
                add(clock.started_at, lead, "signed_on_time")

    department: int | None = None
    for event in events:
        if event.action in DISPATCH_ACTIONS:
            department = event.data.get("lead") or department
        elif event.action in REPLY_ACTIONS:
            add(event.at, department, "replied")
            clock = reply_clocks.get(event.at)
            if clock is not None:
                if clock.stopped_at <= clock.due_at:
                    add(event.at, department, "replied_on_time")
                calendar = context.calendar(clock.unit_id)
                add(
                    event.at,
                    department,
                    "reply_workdays",
                    reply_workdays(clock, pauses[clock.id], calendar),
                )
        elif event.action == "rate":
            add(event.at, department, "rated")
            satisfaction = event.data.get("satisfaction")
            if satisfaction == Satisfaction.SATISFIED:
                add(event.at, department, "satisfied")
            elif satisfaction == Satisfaction.BASICALLY:
                add(event.at, department, "basically")
            else:
                add(event.at, department, "unsatisfied")
            if event.data.get("resolved"):
                add(event.at, department, "resolved")
        elif event.action in UNRATED_ACTIONS or (
            event.action == "close" and event.from_state == "replied"
        ):
            add(event.at, department, "unrated")
        elif event.action == "request_return":
            add(event.at, department, "returned")
        elif event.action == "reopen":
            add(event.at, department, "reopened")
    return {key: dict(counts) for key, counts in out.items()}
