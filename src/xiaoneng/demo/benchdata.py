"""``xiaoneng bench-data``: a city's ten-year case history in a benchmark database, in bulk.

Cases are spread over working days with seasonal peaks (enrolment in summer, fees in
September, quiet holidays) and yearly growth; each one's life is played out in memory
(benchlife.py) and its rows — case, timeline events, clocks, extensions, returns and the
audit rows of every step, chained like any other — are copied into PostgreSQL with COPY in
one transaction. The rollups are rebuilt afterwards so the scorecards see the history.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.audit.models import AuditChainHead, AuditEntry
from xiaoneng.audit.services import audit_chain_seal, audit_head_locked
from xiaoneng.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Channel,
    ExtensionRequest,
    Kind,
    ReturnRequest,
)
from xiaoneng.cases.policies import policy_for
from xiaoneng.cases.states import OPEN_STATES
from xiaoneng.catalog.models import PolicyVersion
from xiaoneng.demo.benchlife import Dept, Life, Policy, Simulation, Stage, World
from xiaoneng.errors import DomainError
from xiaoneng.fieldcrypt.fields import BlindIndexField, EncryptedTextField
from xiaoneng.org.models import Department, Post, Staff, Unit, User
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock, ClockCheck, ClockExtension
from xiaoneng.workdays.periods import Counting, compute_period
from xiaoneng.workdays.services.clocks import apply_period

CHUNK = 20_000
# Overall volume by month: the summer enrolment season and September fees, a quiet February.
MONTH_VOLUME = {1: 0.8, 2: 0.55, 7: 1.5, 8: 1.4, 9: 1.6, 10: 0.9}
NON_WORKDAY_SHARE = 0.12


@dataclass(frozen=True)
class BenchDataResult:
    cases: int
    events: int
    clocks: int
    audit_rows: int
    open_cases: int
    seconds: float


def bench_day_counts(
    *, cases: int, first: date, last: date, unit_id: int | None
) -> list[tuple[date, int]]:
    """How many cases each day gets: working days far more than weekends and holidays,
    seasonal months, and a city that grows from 70 % to 130 % of its mean over the years."""
    calendar = get_calendar(unit_id)
    span = (last - first).days or 1
    weights = []
    day = first
    while day <= last:
        workday = calendar.is_workday(day) if calendar.covers(day) else day.weekday() < 5
        growth = 0.7 + 0.6 * (day - first).days / span
        weight = (1.0 if workday else NON_WORKDAY_SHARE) * MONTH_VOLUME.get(day.month, 1.0)
        weights.append((day, weight * growth))
        day += timedelta(days=1)
    total = sum(w for _d, w in weights)
    exact = [(d, cases * w / total) for d, w in weights]
    counts = {d: int(x) for d, x in exact}
    # Largest remainders get the rest, so the counts add up to exactly ``cases``.
    short = cases - sum(counts.values())
    for d, _x in sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)[:short]:
        counts[d] += 1
    return [(d, counts[d]) for d, _w in weights if counts[d]]


class _Ids:
    """Reserves primary keys in blocks so that rows can reference each other before COPY.
    nextval and setval are two steps: fine in a benchmark database, which has no other writer."""

    def __init__(self, table: str, block: int = 50_000) -> None:
        self.table, self.block = table, block
        self.next = self.end = 0

    def take(self) -> int:
        if self.next >= self.end:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [self.table, self.table, self.block],
                )
                last = cursor.fetchone()[0]
            self.next, self.end = last - self.block + 1, last + 1
        value = self.next
        self.next += 1
        return value


def _world(*, now: datetime) -> World:
    staff = list(Staff.objects.select_related("user").exclude(department=None))
    by_department: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for member in staff:
        by_department[member.department_id].append(
            (member.pk, member.user_id, member.user.username)
        )
    posts = dict(Post.objects.values_list("department_id", "pk"))
    departments = [
        Dept(
            id=d.pk,
            unit_id=d.unit_id,
            handlers=by_department[d.pk],
            post_id=posts.get(d.pk),
        )
        for d in Department.objects.filter(is_active=True).order_by("pk")
        if by_department.get(d.pk)
    ]
    if not departments or not Unit.objects.filter(kind=Unit.Kind.SCHOOL).exists():
        raise DomainError(_("The organisation is missing: run `xiaoneng demo` first."))
    by_id = {d.id: d for d in departments}
    categories = list(Category.objects.filter(is_active=True).values_list("pk", "code"))
    by_category = {
        pk: [by_id[dept]]
        for pk, dept in Category.objects.values_list("pk", "default_department_id")
        if dept in by_id
    }
    deadlines = _Deadlines()
    intake = next((s for s in staff if s.user.username == "intake"), staff[0])
    dispatcher = User.objects.filter(username="xiaoneng").first() or intake.user
    return World(
        departments=departments,
        by_category=by_category,
        categories=categories,
        policies=_policies(),
        intake=(intake.pk, intake.user_id, intake.user.username),
        dispatcher=(dispatcher.pk, dispatcher.username),
        schools=list(Unit.objects.filter(kind=Unit.Kind.SCHOOL).values_list("pk", "short_name")),
        due=deadlines.due,
        next_check=_NextCheck(now, deadlines).of,
    )


def _policies() -> dict[tuple[str, str], Policy]:
    made: dict[int, Policy] = {}
    policies = {}
    for channel in Channel.values:
        for kind in Kind.values:
            version = policy_for(channel=channel, kind=kind)
            if version.pk not in made:
                stages = {
                    s.stage: Stage(s.counting, s.amount, s.effective_count_start)
                    for s in version.stage_limits.all()
                }
                reply = stages.get("reply")
                units = 1 if reply and reply.counting == "months" else 5
                if version.extension_max is not None:
                    units = min(units, version.extension_max)
                made[version.pk] = Policy(
                    version_id=version.pk,
                    closing_time=version.closing_time,
                    extension_allowed=version.extension_allowed and units > 0,
                    extension_units=units,
                    stages=stages,
                )
            policies[(channel, kind)] = made[version.pk]
    return policies


class _Deadlines:
    """Due moments from the real period arithmetic, cached per start day where the time of
    day cannot matter (working days, days, months)."""

    def __init__(self) -> None:
        self.tz = office_tz()
        self.cache: dict[tuple, tuple[datetime, bool]] = {}
        self.calendars: dict[int, Any] = {}

    def calendar(self, unit_id: int) -> Any:
        if unit_id not in self.calendars:
            self.calendars[unit_id] = get_calendar(unit_id)
        return self.calendars[unit_id]

    def due(
        self, policy: Policy, stage: str, unit_id: int, started_at: datetime, extra: int
    ) -> tuple[datetime, bool]:
        limit = policy.stages[stage]
        day = started_at.astimezone(self.tz).date()
        key = (unit_id, limit.counting, limit.amount, limit.count_start, policy.closing_time)
        key += (extra, day)
        if limit.counting != Counting.HOURS and key in self.cache:
            return self.cache[key]
        period = compute_period(
            self.calendar(unit_id),
            counting=Counting(limit.counting),
            start=started_at,
            limit=limit.amount,
            count_start=limit.count_start,
            extension=extra,
            tz=self.tz,
            closing_time=policy.closing_time,
        )
        self.cache[key] = (period.due_at, period.provisional)
        return self.cache[key]


class _NextCheck:
    """The sweep's next look at a clock still running, as ``clock_start`` schedules it."""

    def __init__(self, now: datetime, deadlines: _Deadlines) -> None:
        self.now, self.tz, self.deadlines = now, office_tz(), deadlines
        self.versions: dict[int, Any] = {}

    def of(self, clock: dict[str, Any]) -> datetime | None:
        version_id = clock["policy_version_id"]
        if version_id not in self.versions:
            self.versions[version_id] = PolicyVersion.objects.prefetch_related("stage_limits").get(
                pk=version_id
            )
        extension = clock["extension"]["units"] if clock["extension"] else 0
        model = Clock(
            **{k: clock[k] for k in ("stage", "unit_id", "counting", "limit", "count_start")},
            closing_time=clock["closing_time"],
            started_at=clock["started_at"],
            policy_version=self.versions[version_id],
            state=Clock.State.RUNNING,
        )
        period = compute_period(
            self.deadlines.calendar(model.unit_id),
            counting=Counting(model.counting),
            start=model.started_at,
            limit=model.limit,
            count_start=model.count_start,
            extension=extension,
            tz=self.tz,
            closing_time=model.closing_time,
        )
        apply_period(model, period, now=self.now, old=None)
        return model.next_check_at


def bench_data_fill(
    *,
    cases: int,
    years: int = 10,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> BenchDataResult:
    """Add ``cases`` generated cases registered over the ``years`` before ``now``."""
    if connection.vendor != "postgresql":
        raise DomainError(_("bench-data fills PostgreSQL only (it copies rows in bulk)."))
    if cases < 1:
        raise DomainError(_("The number of cases must be at least 1."))
    if not 1 <= years <= 20:
        raise DomainError(_("The history must span 1 to 20 years."))
    began = time.perf_counter()
    now = now or timezone.now()
    tz = office_tz()
    last = now.astimezone(tz).date() - timedelta(days=1)
    first = last - timedelta(days=round(365.25 * years) - 1)
    with transaction.atomic():
        world = _world(now=now)
        writer = _Writer(world=world, rng=random.Random(seed), now=now)
        days = bench_day_counts(
            cases=cases, first=first, last=last, unit_id=world.departments[0].unit_id
        )
        batch: list[tuple[date, int]] = []
        in_batch = 0
        for day, count in days:
            batch.append((day, count))
            in_batch += count
            if in_batch >= CHUNK:
                writer.write_days(batch)
                batch, in_batch = [], 0
                if progress:
                    progress(writer.report(time.perf_counter() - began))
        if batch:
            writer.write_days(batch)
        writer.finish()
    return BenchDataResult(
        cases=writer.cases,
        events=writer.events,
        clocks=writer.clocks,
        audit_rows=writer.audit_rows,
        open_cases=writer.open_cases,
        seconds=time.perf_counter() - began,
    )


class _AuditRow:
    """What ``audit_chain_seal`` reads and writes, without building a model instance per row."""

    __slots__ = (
        "action",
        "actor_id",
        "actor_label",
        "created_at",
        "entry_hash",
        "ip",
        "key_id",
        "object_id",
        "object_type",
        "prev_hash",
        "request_id",
        "scheme",
        "summary",
        "unit_id",
    )


class _Writer:
    def __init__(self, *, world: World, rng: random.Random, now: datetime) -> None:
        self.world, self.rng, self.now, self.tz = world, rng, now, office_tz()
        self.sim = Simulation(world, rng=rng, now=now)
        self.case_ids = _Ids(Case._meta.db_table)
        self.clock_ids = _Ids(Clock._meta.db_table)
        self.head = audit_head_locked()
        self.counters = dict(CaseCounter.objects.values_list("day", "value"))
        self.cases = self.events = self.clocks = self.audit_rows = self.open_cases = 0

    def report(self, seconds: float) -> str:
        return (
            f"{self.cases:,} cases, {self.events:,} events, {self.clocks:,} clocks, "
            f"{self.audit_rows:,} audit rows, {seconds:.0f} s"
        )

    def _registered(self, day: date, count: int) -> list[datetime]:
        """Office hours mostly; online requests at any hour."""
        start = datetime.combine(day, datetime.min.time(), self.tz)
        moments = []
        for _n in range(count):
            if self.rng.random() < 0.85:
                seconds = self.rng.uniform(8.5 * 3600, 18 * 3600)
            else:
                seconds = self.rng.uniform(0, 24 * 3600)
            moments.append(start + timedelta(seconds=seconds))
        return sorted(moments)

    def write_days(self, days: list[tuple[date, int]]) -> None:
        lives: list[Life] = []
        for day, count in days:
            sequence = self.counters.get(day, 0)
            for moment in self._registered(day, count):
                sequence += 1
                number = f"XN{day:%Y%m%d}-{sequence:05d}"
                lives.append(
                    self.sim.life(case_id=self.case_ids.take(), number=number, registered_at=moment)
                )
            self.counters[day] = sequence
        self._copy_lives(lives)

    def _copy_lives(self, lives: list[Life]) -> None:
        extension_ids = _Ids(ExtensionRequest._meta.db_table, block=2_000)
        return_ids = _Ids(ReturnRequest._meta.db_table, block=2_000)
        clocks, extensions, events, returns, requests = [], [], [], [], []
        steps: list[tuple[Life, list[dict[str, Any]]]] = []
        for life in lives:
            case = life.case
            for clock in life.clocks:
                clock["id"] = self.clock_ids.take()
                clock["owner_type"], clock["owner_id"] = "cases.case", case["id"]
                clock["created_at"] = clock["updated_at"] = clock["started_at"]
                clocks.append(clock)
                if clock["extension"]:
                    extensions.append(
                        {
                            "clock_id": clock["id"],
                            "units": clock["extension"]["units"],
                            "reason": "需多部门联合核查",
                            "approver_id": self.world.dispatcher[0],
                            "previous_due_at": clock["extension"]["previous_due_at"],
                            "new_due_at": clock["due_at"],
                            "created_at": clock["extension"]["at"],
                        }
                    )
            for request in life.returns:
                request.update(id=return_ids.take(), reason="非本科室职责", basis="科室职责分工")
                returns.append(request)
            for request in life.extensions:
                request.update(id=extension_ids.take(), reason="需多部门联合核查", basis="规定")
                requests.append(request)
            rows = self._events(life)
            steps.append((life, rows))
            events.extend(rows)
            self.open_cases += case["state"] in OPEN_STATES
        _copy(Case, [life.case for life in lives])
        _copy(Clock, clocks)
        _copy(
            ClockCheck,
            [
                {"clock_id": c["id"], "owner_type": c["owner_type"], "next_check_at": at}
                for c in clocks
                for at in (c["next_check_at"],)
                if c["state"] == "running" and at is not None
            ],
        )
        _copy(ClockExtension, extensions)
        _copy(ReturnRequest, returns)
        _copy(ExtensionRequest, requests)
        _copy(CaseEvent, events)
        self._audit(steps)
        self.cases += len(lives)
        self.events += len(events)
        self.clocks += len(clocks)

    def _events(self, life: Life) -> list[dict[str, Any]]:
        returns = iter(r["id"] for r in life.returns)
        extensions = iter(r["id"] for r in life.extensions)
        rows = []
        current_return = current_extension = None
        for at, actor, action, from_state, to_state, note, data, public in life.events:
            if action == "request_return":
                current_return = next(returns)
            if action == "request_extension":
                current_extension = next(extensions)
            if action in {"request_return", "accept_return", "reject_return"}:
                data = {"request": current_return, **data}
            if action in {"request_extension", "approve_extension"}:
                data = {"request": current_extension, **data}
            rows.append(
                {
                    "case_id": life.case["id"],
                    "at": at,
                    "actor_id": actor[0] if actor else None,
                    "action": action,
                    "from_state": from_state,
                    "to_state": to_state,
                    "note": note,
                    "data": data,
                    "public": public,
                    "_actor_label": actor[1] if actor else "",
                }
            )
        return rows

    def _audit(self, steps: list[tuple[Life, list[dict[str, Any]]]]) -> None:
        """One audit row per step, as the services write them, appended to the real chain in
        time order."""
        entries = []
        for life, rows in steps:
            case = life.case
            for event in rows:
                entry = _AuditRow()
                entry.created_at = event["at"]
                entry.actor_id = event["actor_id"]
                entry.actor_label = event["_actor_label"]
                entry.action = f"case.{event['action']}"
                entry.object_type, entry.object_id = "cases.case", str(case["id"])
                entry.unit_id, entry.ip, entry.request_id = case["unit_id"], None, ""
                entry.summary = {
                    "number": case["number"],
                    "from": event["from_state"],
                    "to": event["to_state"],
                    **event["data"],
                }
                entries.append(entry)
        entries.sort(key=lambda e: e.created_at)
        sealed = audit_chain_seal(self.head, entries)
        rows = [{name: getattr(entry, name) for name in _AuditRow.__slots__} for entry in sealed]
        _copy(AuditEntry, rows)
        self.head.count += len(rows)
        self.audit_rows += len(rows)

    def finish(self) -> None:
        AuditChainHead.objects.filter(pk=self.head.pk).update(
            last_hash=self.head.last_hash, count=self.head.count, key_id=self.head.key_id
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO cases_casecounter (day, value) VALUES (%s, %s) "
                "ON CONFLICT (day) DO UPDATE SET value = GREATEST(cases_casecounter.value, "
                "EXCLUDED.value)",
                list(self.counters.items()),
            )


def _copy(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into the model's table; fields a row does not name get their defaults."""
    if not rows:
        return
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0] or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    # COPY bypasses the fields: personal data is encrypted and indexed here, as save() would.
    encrypted = {f.attname: f for f in fields if isinstance(f, EncryptedTextField)}
    indexes = {f.attname: f for f in fields if isinstance(f, BlindIndexField)}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for f in fields:
                    value = row.get(f.attname, defaults[f.attname])
                    if f.attname in json_fields:
                        value = Jsonb(value)
                    elif f.attname in encrypted:
                        value = f.get_db_prep_save(value, connection)
                    elif f.attname in indexes:
                        value = f.index_of(row.get(f.source, ""))
                    values.append(value)
                copy.write_row(values)
