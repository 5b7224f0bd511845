"""The life of one generated benchmark case, simulated in memory (no database access).

``bench-data`` needs a realistic ten-year history at a million cases in minutes, so it cannot
go through the services one case at a time. Instead each case's life is played out here with
the same states, events, clocks, requests and event data the services write, cut off at
"now" (the newest cases are still open), and benchwrite.py copies the rows in bulk.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from xiaoneng.cases.identifiers import secret_hash
from xiaoneng.cases.models import Channel, Kind, Satisfaction
from xiaoneng.demo.history import CHANNELS, GIVEN, KINDS, MATTERS, SURNAMES

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
WITHDRAW_REASON = "问题已自行解决，申请撤回"
HOUR = timedelta(hours=1)


def bench_tracking_secret(code: str) -> str:
    """The tracking secret of a generated case, derivable from its code so that the tracking
    benchmark can look cases up. Only ever used on benchmark databases."""
    digest = hashlib.sha256(f"xiaoneng-bench:{code}".encode()).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:8])


@dataclass
class Stage:
    """A policy stage limit, copied out of the database once."""

    counting: str
    amount: int
    count_start: bool


@dataclass
class Policy:
    version_id: int
    closing_time: Any
    extension_allowed: bool
    extension_units: int
    stages: dict[str, Stage]


@dataclass
class Dept:
    id: int
    unit_id: int
    handlers: list[tuple[int, int, str]]  # (staff id, user id, username)
    post_id: int | None


@dataclass
class World:
    """Everything a life needs from the database, read once before generating."""

    departments: list[Dept]
    by_category: dict[int, list[Dept]]
    categories: list[tuple[int, str]]  # (id, code)
    policies: dict[tuple[str, str], Policy]  # (channel, kind) -> policy
    intake: tuple[int, int, str]  # (staff id, user id, username) of the hotline desk
    dispatcher: tuple[int, str]  # (user id, username) of the efficiency office dispatcher
    schools: list[tuple[int, str]]  # (unit id, short name)
    due: Any  # callable(policy, stage, unit_id, started_at, extra) -> (due_at, provisional)
    next_check: Any  # callable(clock dict) -> datetime | None, for clocks still running


@dataclass
class Life:
    case: dict[str, Any]
    events: list[tuple] = field(default_factory=list)
    clocks: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)


class _Now(Exception):
    """The simulated life reached the present: the case stays where it is."""


# Seasonal weight of each category by month (enrolment peaks in summer, fees in September).
SEASON = {
    "enrolment": {5: 2.0, 6: 3.0, 7: 4.0, 8: 4.0, 9: 1.5},
    "fees": {9: 3.5, 10: 1.5, 3: 1.8},
    "aid": {10: 2.0, 11: 2.0},
    "workload": {1: 1.8, 7: 1.8, 8: 1.5},
    "safety": {12: 1.4, 1: 1.4},
}


def category_weights(categories: list[tuple[int, str]], month: int) -> list[float]:
    return [SEASON.get(code, {}).get(month, 1.0) for _pk, code in categories]


class Simulation:
    """Plays out one case after another; ``rng`` makes the history the same on every run."""

    def __init__(self, world: World, *, rng: random.Random, now: datetime) -> None:
        self.world, self.rng, self.now = world, rng, now
        self.channels = [str(c) for c, _w in CHANNELS] + [Channel.API.value, Channel.OPEN311.value]
        self.channel_weights = [w for _c, w in CHANNELS] + [4, 2]
        self.kinds = [str(k) for k, _w in KINDS] + [Kind.APPLICATION.value]
        self.kind_weights = [w for _k, w in KINDS] + [3]
        self.weights_by_month = {m: category_weights(world.categories, m) for m in range(1, 13)}

    # -- one case -----------------------------------------------------------------------------

    def life(self, *, case_id: int, number: str, registered_at: datetime) -> Life:
        rng, world = self.rng, self.world
        channel = rng.choices(self.channels, self.channel_weights)[0]
        kind = rng.choices(self.kinds, self.kind_weights)[0]
        month = registered_at.month
        category_id, code = rng.choices(world.categories, self.weights_by_month[month])[0]
        school_id, school = rng.choice(world.schools)
        title = rng.choice(MATTERS.get(code, MATTERS["other"]))
        tracking = "".join(rng.choice(ALPHABET) for _ in range(10))
        policy = world.policies[(channel, kind)]
        online = channel in {Channel.ONLINE, Channel.API, Channel.OPEN311}
        case = {
            "id": case_id,
            "number": number,
            "tracking_code": tracking,
            "tracking_secret_hash": secret_hash(tracking, bench_tracking_secret(tracking)),
            "external_number": f"B{case_id}" if channel == Channel.HOTLINE else "",
            "channel": channel,
            "kind": kind,
            "category_id": category_id,
            "title": title,
            "content": f"{school}：{title}。请有关部门核实处理并答复。",
            "unit_concerned_id": school_id,
            "requester_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            # A small pool of phones so that some requesters come back (repeat complaints).
            "requester_phone": f"139{rng.randrange(3_000_000):08d}",
            "consent_publish": rng.random() < 0.6,
            "unit_id": world.departments[0].unit_id,
            "state": "registered",
            "first_contact_id": None if online else world.intake[0],
            "lead_department_id": None,
            "post_id": None,
            "handler_id": None,
            "policy_version_id": policy.version_id,
            "reply_text": "",
            "replied_at": None,
            "satisfaction": "",
            "resolved": None,
            "rated_at": None,
            "reopen_count": 0,
            "return_count": 0,
            "registered_at": registered_at,
            "updated_at": registered_at,
            "closed_at": None,
        }
        life = Life(case=case)
        run = _Run(self, life, policy, registered_at)
        with contextlib.suppress(_Now):
            run.play()
        run.finish()
        return life


class _Run:
    """The steps of one life; ``t`` moves forward and stops the life at the present."""

    def __init__(self, sim: Simulation, life: Life, policy: Policy, start: datetime) -> None:
        self.sim, self.rng, self.world = sim, sim.rng, sim.world
        self.life, self.case, self.policy, self.t = life, life.case, policy, start
        self.open_clocks: dict[str, dict[str, Any]] = {}
        self.dept: Dept | None = None

    def step(self, hours: float) -> None:
        moment = self.t + hours * HOUR
        if moment > self.sim.now:
            raise _Now
        self.t = moment

    def event(self, action: str, to: str, actor: tuple[int, str] | None, **data: Any) -> None:
        public = action not in {"request_return", "reply_drafted", "request_extension"}
        note = data.pop("note", "")
        self.life.events.append((self.t, actor, action, self.case["state"], to, note, data, public))
        self.case["state"] = to
        self.case["updated_at"] = self.t

    def start_clock(self, stage: str, extra: int = 0) -> None:
        limit = self.policy.stages.get(stage)
        if limit is None:
            return
        unit_id = self.case["unit_id"]
        due_at, provisional = self.world.due(self.policy, stage, unit_id, self.t, extra)
        clock = {
            "stage": stage,
            "policy_version_id": self.policy.version_id,
            "unit_id": unit_id,
            "counting": limit.counting,
            "limit": limit.amount,
            "count_start": limit.count_start,
            "closing_time": self.policy.closing_time,
            "started_at": self.t,
            "state": "running",
            "stopped_at": None,
            "due_at": due_at,
            "provisional": provisional,
            "next_check_at": None,
            "extension": None,
        }
        self.life.clocks.append(clock)
        self.open_clocks[stage] = clock

    def stop_clock(self, stage: str) -> None:
        clock = self.open_clocks.pop(stage, None)
        if clock is not None:
            clock["state"], clock["stopped_at"] = "stopped", self.t

    def play(self) -> None:
        rng, case = self.rng, self.case
        self.event("register", "registered", None, channel=case["channel"], kind=case["kind"])
        self.start_clock("reply")
        if rng.random() < 0.02:
            self.step(rng.uniform(1, 48))
            case["closed_at"], case["final_reason"] = self.t, WITHDRAW_REASON
            self.event("withdraw", "withdrawn", None, note=WITHDRAW_REASON)
            for stage in list(self.open_clocks):  # A withdrawn case's clocks stop with it.
                self.stop_clock(stage)
            return
        intake = self.world.intake[1:]
        quick = case["kind"] in {Kind.INQUIRY, Kind.PRAISE} and case["first_contact_id"]
        if quick and rng.random() < 0.5:
            self.step(0.5)
            case["reply_text"], case["replied_at"] = "已当场答复相关政策。", self.t
            self.event("answer_directly", "replied", intake, grade="")
            self.stop_clock("reply")
            self.rate_or_close()
            return
        self.step(rng.uniform(0.3, 8))
        usual = self.world.by_category.get(case["category_id"]) or self.world.departments
        self.dispatch(rng.choice(usual))
        if rng.random() < 0.04:
            self.return_round()
        self.sign_for()
        self.handle()
        self.rate_or_close()

    def dispatch(self, dept: Dept, *, action: str = "dispatch", **data: Any) -> None:
        self.dept = dept
        case = self.case
        case["lead_department_id"], case["unit_id"] = dept.id, dept.unit_id
        case["post_id"] = dept.post_id
        self.event(action, "dispatched", self.world.dispatcher, lead=dept.id, **data)
        self.start_clock("sign_for")

    def return_round(self) -> None:
        rng, dept = self.rng, self.dept
        self.step(rng.uniform(1, 20))
        request = {
            "case_id": self.case["id"],
            "department_id": dept.id,
            "requested_by_id": dept.handlers[0][0],
            "requested_at": self.t,
            "decision": "pending",
            "decided_by_id": None,
            "decided_at": None,
            "previous_state": "dispatched",
        }
        self.life.returns.append(request)
        self.case["return_count"] += 1
        self.stop_clock("sign_for")
        self.event("request_return", "return_requested", dept.handlers[0][1:], note="非本科室职责")
        self.step(rng.uniform(2, 24))
        request.update(decision="approved", decided_by_id=self.world.intake[0], decided_at=self.t)
        request["decided_by_id"] = self.world.intake[0]
        if rng.random() < 0.65:
            request["decision"] = "approved"
            others = [d for d in self.world.departments if d.id != dept.id]
            self.dispatch(rng.choice(others), action="accept_return", note="经研究同意退回")
        else:
            request["decision"] = "rejected"
            self.event("reject_return", "dispatched", self.world.dispatcher, note="属该科室职责")
            self.start_clock("sign_for")

    def sign_for(self) -> None:
        late = self.rng.random() < 0.05
        self.step(self.rng.uniform(26, 60) if late else self.rng.lognormvariate(1.0, 0.8))
        staff_id, user_id, username = self.rng.choice(self.dept.handlers)
        self.case["handler_id"] = staff_id
        self.stop_clock("sign_for")
        self.event("sign_for", "in_progress", (user_id, username), capacity="a", late=late)

    def handle(self) -> None:
        rng, case = self.rng, self.case
        reply = self.open_clocks.get("reply")
        span = (reply["due_at"] - reply["started_at"]) if reply else timedelta(days=7)
        fraction = rng.lognormvariate(-0.8, 0.55)  # about 1 in 12 replies come late
        handler = next(h for h in self.dept.handlers if h[0] == case["handler_id"])[1:]
        if reply and self.policy.extension_allowed and rng.random() < 0.05:
            self.step(span.total_seconds() / 3600 * min(fraction, 0.6))
            self.extend(reply, handler)
            span = reply["due_at"] - reply["started_at"]
        started = reply["started_at"] if reply else self.t
        target = started + span * fraction
        self.step(max(1.0, (target - self.t).total_seconds() / 3600))
        if rng.random() < 0.3:
            self.event("reply_drafted", "in_progress", handler, grade="")
            self.step(rng.uniform(1, 20))
        case["reply_text"], case["replied_at"] = "经核实，已按规定处理，特此答复。", self.t
        self.event("reply", "replied", handler, grade="")
        self.stop_clock("reply")

    def extend(self, clock: dict[str, Any], handler: tuple[int, str]) -> None:
        units = self.policy.extension_units
        request = {
            "case_id": self.case["id"],
            "extra_units": units,
            "requested_by_id": self.case["handler_id"],
            "requested_at": self.t,
            # Pending until decided: a life that reaches "now" before the decision leaves it so.
            "decision": "pending",
            "decided_by_id": None,
            "decided_at": None,
        }
        self.life.extensions.append(request)
        note = "需多部门联合核查"
        self.event("request_extension", "in_progress", handler, extra=units, note=note)
        self.step(self.rng.uniform(2, 20))
        request.update(decision="approved", decided_by_id=self.world.intake[0], decided_at=self.t)
        previous = clock["due_at"]
        clock["due_at"], clock["provisional"] = self.world.due(
            self.policy, "reply", clock["unit_id"], clock["started_at"], units
        )
        clock["extension"] = {"units": units, "previous_due_at": previous, "at": self.t}
        self.event("approve_extension", "in_progress", self.world.dispatcher, extra=units)

    def rate_or_close(self) -> None:
        rng, case = self.rng, self.case
        self.start_clock("rating")
        if rng.random() < 0.22:
            self.step(7 * 24 + rng.uniform(0, 20))
            self.stop_clock("rating")
            case["closed_at"], case["satisfaction"] = self.t, Satisfaction.UNRATED.value
            self.event("close_unrated", "closed", None)
            return
        self.step(rng.uniform(2, 140))
        roll = rng.random()
        if roll < 0.82:
            satisfaction, resolved = Satisfaction.SATISFIED.value, True
        elif roll < 0.94:
            satisfaction, resolved = Satisfaction.BASICALLY.value, rng.random() < 0.7
        else:
            satisfaction, resolved = Satisfaction.UNSATISFIED.value, False
        case.update(satisfaction=satisfaction, resolved=resolved, rated_at=self.t)
        self.stop_clock("rating")
        to = "reopen_review" if satisfaction == Satisfaction.UNSATISFIED.value else "closed"
        self.event("rate", to, None, satisfaction=satisfaction, resolved=resolved, callback=False)
        if to == "closed":
            case["closed_at"] = self.t
            return
        self.step(rng.uniform(4, 48))
        if rng.random() < 0.4 or self.dept is None or case["reopen_count"]:
            case["closed_at"] = self.t
            self.event("close", "closed", self.world.dispatcher, note="答复符合政策，予以办结")
            return
        case["reopen_count"] += 1
        self.event("reopen", "in_progress", self.world.dispatcher, round=1, note="请重办")
        self.start_clock("reply")
        self.handle()
        self.rate_or_close()

    def finish(self) -> None:
        """Clocks still running at the present get their next sweep check."""
        for clock in self.open_clocks.values():
            clock["next_check_at"] = self.world.next_check(clock)
