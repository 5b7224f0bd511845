"""Reading with triage: the suggested departments of a text, the near-duplicates of a request,
what a case was suggested, and the figures the dashboard shows (computed by assessment)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.cases.models import Case
from xiaoneng.cases.states import OPEN_STATES, State
from xiaoneng.fieldcrypt.datakeys import blind_index_candidates
from xiaoneng.org.models import Department, Unit
from xiaoneng.triage.models import RepeatAlert, RoutingModel, Suggestion
from xiaoneng.triage.similarity import SHOWN, Match, Probe, compare
from xiaoneng.triage.text import school_aliases
from xiaoneng.workdays.calendar import config_cached

if TYPE_CHECKING:
    from xiaoneng.triage.classifier import Example, Router

DEFAULT_THRESHOLD = 0.4
DEFAULT_WINDOW_DAYS = 90
# Training reads at most this many of a unit's newest closed cases.
HISTORY_LIMIT = 200_000
CANDIDATE_LIMIT = 3000


def threshold() -> float:
    return float(getattr(settings, "TRIAGE_CONFIDENCE_THRESHOLD", DEFAULT_THRESHOLD))


def window_days() -> int:
    return int(getattr(settings, "TRIAGE_DUPLICATE_DAYS", DEFAULT_WINDOW_DAYS))


def bureau() -> Unit | None:
    return Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()


# ---------------------------------------------------------------- the model in use
# The classifier (numpy, and scikit-learn when training) is imported by the functions that use
# it: this module is imported when the application starts, and numpy with jieba added about
# 0.3 s of CPU to every process's start-up (each command, each web and task worker).


def remit_examples(unit: Unit) -> list[Example]:
    """Each active department's written remit (职能), whole and clause by clause."""
    from xiaoneng.triage.classifier import remit_examples_of

    found = []
    for department in Department.objects.filter(unit=unit, is_active=True):
        found += remit_examples_of(department.code, department.name, department.duties or "")
    return found


def history_examples(unit: Unit, *, now: datetime | None = None) -> list[Example]:
    """The unit's closed cases, oldest first, labelled by the department that finally led
    them (after any return was settled), newer cases weighing more (half-weight at 180 days),
    so a matter moved to another department is learnt after the next retraining."""
    from xiaoneng.triage.classifier import Example

    now = now or timezone.now()
    rows = (
        Case.objects.filter(
            state=State.CLOSED, lead_department__unit=unit, lead_department__is_active=True
        )
        .order_by("-closed_at", "-pk")
        .values_list("pk", "number", "title", "content", "lead_department__code", "closed_at")[
            :HISTORY_LIMIT
        ]
    )
    examples = []
    for pk, number, title, content, code, closed_at in reversed(list(rows)):
        age = max((now - (closed_at or now)).days, 0)
        examples.append(
            Example(
                text=f"{title} {content}",
                label=code,
                weight=0.5 ** (age / 180),
                case_id=pk,
                number=number,
            )
        )
    return examples


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    routers: dict[tuple[int, str], Router] = field(default_factory=dict)


_cache = _Cache()


def _remit_key(unit: Unit) -> str:
    rows = Department.objects.filter(unit=unit, is_active=True).values_list("code", "duties")
    return "remit:" + hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]


def _model_in_use(unit: Unit) -> tuple[tuple[int, str], Any]:
    latest = (
        RoutingModel.objects.filter(unit=unit).order_by("-version").values("pk", "version").first()
    )
    return (unit.pk, f"v{latest['version']}" if latest else _remit_key(unit)), latest


def router_for(unit: Unit) -> tuple[Router | None, int | None]:
    """The unit's newest trained model, or (day one) one learnt from the remits alone. Which
    model is in use is kept per process under the configuration token (a new model version and
    a department's change both bump it: ``triage/apps.py``, ``cases/config_cache.py``)."""
    key, latest = config_cached(("triage.model", unit.pk), lambda: _model_in_use(unit))
    router = _cache.routers.get(key)
    if router is None:
        from xiaoneng.triage.classifier import loads, train

        if latest is not None:
            blob = RoutingModel.objects.values_list("blob", flat=True).get(pk=latest["pk"])
            router = loads(bytes(blob))
        else:
            examples = remit_examples(unit)
            if len({example.label for example in examples}) < 2:
                return None, None
            router = train(examples)
        with _cache.lock:
            _cache.routers = {k: v for k, v in _cache.routers.items() if k[0] != unit.pk}
            _cache.routers[key] = router
    return router, latest["version"] if latest else None


@dataclass(frozen=True)
class Suggested:
    department: Department
    confidence: float
    words: list[str]
    similar: list[tuple[int, str, str]]  # (case id, number, department name)

    @property
    def reasons(self) -> list[str]:
        return reason_texts(self.words, [(number, name) for _pk, number, name in self.similar])


def reason_texts(words: list[str], similar: list[tuple[str, str]]) -> list[str]:
    """Why a department was suggested, in the active language: the words that weighed most,
    similar past cases (number, department) and where they went, or else the remit."""
    reasons = []
    if words:
        reasons.append(gettext("words: %(words)s") % {"words": "、".join(words)})
    for number, name in similar:
        reasons.append(
            gettext("similar case %(number)s went to %(department)s")
            % {"number": number, "department": name}
        )
    if not reasons:
        reasons.append(gettext("the department's remit"))
    return reasons


def _departments_of(unit_id: int) -> tuple[dict[str, Department], dict[str, str]]:
    found = list(Department.objects.filter(unit_id=unit_id))
    return {d.code: d for d in found}, {d.code: d.name for d in found}


def unit_departments(unit: Unit) -> tuple[dict[str, Department], dict[str, str]]:
    """The unit's departments by code and their names by code (kept per process under the
    configuration token, which a department's change bumps). Shared: read, never change."""
    return config_cached(("triage.departments", unit.pk), lambda: _departments_of(unit.pk))


def suggest(text: str, *, unit: Unit, limit: int = 3) -> tuple[list[Suggested], int | None]:
    """Up to ``limit`` departments of ``unit`` for ``text``, best first, and the model version;
    no department at all ("don't know") when the best is below the confidence threshold."""
    found, version = suggest_many([text], unit=unit, limit=limit)
    return found[0], version


def suggest_many(
    texts: list[str], *, unit: Unit, limit: int = 3
) -> tuple[list[list[Suggested]], int | None]:
    """``suggest`` for many texts of one unit at once (a registration's batch, an import's
    chunk): the model is run on all of them together; each text gets what it gets alone."""
    router, version = router_for(unit)
    found: list[list[Suggested]] = [[] for _text in texts]
    if router is None:
        return found, version
    readable = [index for index, text in enumerate(texts) if text.strip()]
    guessed = router.suggest_many([texts[index] for index in readable], limit=limit)
    departments, names = unit_departments(unit)
    cut = threshold()
    for index, guesses in zip(readable, guessed, strict=True):
        if not guesses or guesses[0].confidence < cut:
            continue
        for guess in guesses:
            department = departments.get(guess.department)
            if department is None:
                continue
            similar = [
                (s.case_id, s.number, names.get(s.department, s.department)) for s in guess.similar
            ]
            found[index].append(
                Suggested(department, round(guess.confidence, 2), guess.words, similar)
            )
    return found, version


def suggestion_of(case: Case) -> Suggestion | None:
    return Suggestion.objects.select_related("top", "chosen").filter(case=case).first()


# ---------------------------------------------------------------- near-duplicates


@dataclass(frozen=True)
class Similar:
    case: Case
    match: Match

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def reasons(self) -> list[str]:
        return self.match.reasons


def _indexes(value: str, kind: str) -> frozenset[str]:
    return frozenset(blind_index_candidates(value, kind=kind)) if value.strip() else frozenset()


def school_names() -> list[tuple[str, int]]:
    """(name, unit id) of every school, full and short names, longest first."""
    names = []
    for pk, name, short in Unit.objects.exclude(kind=Unit.Kind.BUREAU).values_list(
        "pk", "name", "short_name"
    ):
        names.append((name, pk))
        names += [(alias, pk) for alias in school_aliases(short)] if short else []
    return sorted(names, key=lambda item: -len(item[0]))


def school_in(text: str, names: list[tuple[str, int]]) -> int | None:
    """The school a text names (a hotline row names it only in its words)."""
    return next((pk for name, pk in names if name in text), None)


def _probe_of(case: Case, names: list[tuple[str, int]] | None = None) -> Probe:
    text = f"{case.title} {case.content}"
    school = case.unit_concerned_id
    if school is None and names:
        school = school_in(text, names)
    return Probe.of(
        text,
        school_id=school,
        phones=frozenset({case.requester_phone_index or ""}),
        ids=frozenset({case.requester_id_index or ""}),
    )


def _candidates(
    *,
    units: set[int],
    schools: set[int],
    phones: set[str],
    ids: set[str],
    now: datetime | None = None,
    everywhere: bool = False,
) -> list[Case]:
    """Open cases of the last ``window_days`` of those units, about those schools or from
    those people, newest first (one query)."""
    since = (now or timezone.now()) - timedelta(days=window_days())
    recent = Case.objects.filter(registered_at__gte=since, state__in=OPEN_STATES)
    if not everywhere:
        family = _families(units)
        scope = Q(unit_id__in=family) | Q(unit_concerned_id__in=schools)
        scope |= Q(requester_phone_index__in=phones) | Q(requester_id_index__in=ids)
        recent = recent.filter(scope)
    return list(
        recent.only(
            "pk",
            "number",
            "title",
            "content",
            "state",
            "unit_id",
            "unit_concerned_id",
            "requester_phone_index",
            "requester_id_index",
            "registered_at",
        ).order_by("-registered_at")[:CANDIDATE_LIMIT]
    )


def _families(units: set[int]) -> set[int]:
    """The units and their parents and children: a request to a school's pool and a referral
    in the bureau's pool about that school are compared."""
    parents = set(
        Unit.objects.filter(pk__in=units).exclude(parent=None).values_list("parent_id", flat=True)
    )
    near = units | parents
    return near | set(Unit.objects.filter(parent_id__in=near).values_list("pk", flat=True))


def _matches(
    probe: Probe,
    candidates: list[tuple[Case, Probe]],
    *,
    unit_id: int | None,
    exclude: int | None,
    limit: int,
    families: dict[int, set[int]],
) -> list[Similar]:
    family = families.get(unit_id, set()) if unit_id is not None else set()
    found = []
    for case, old in candidates:
        if case.pk == exclude:
            continue
        same_scope = unit_id is None or case.unit_id in family
        same_scope = same_scope or (
            probe.school_id is not None and old.school_id == probe.school_id
        )
        match = compare(probe, old)
        if (same_scope and match.score >= SHOWN) or match.person:
            found.append(Similar(case=case, match=match))
    found.sort(key=lambda s: (-s.score, -s.case.pk))
    return found[:limit]


def similar_to(
    probe: Probe,
    *,
    unit: Unit | None,
    exclude: int | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> list[Similar]:
    """Open cases of the last ``window_days`` about the same matter as ``probe``: the unit's own
    and those concerning the same school (any unit's when ``unit`` is None), or from the same
    person; best first."""
    candidates = _candidates(
        units={unit.pk} if unit is not None else set(),
        schools={probe.school_id} if probe.school_id is not None else set(),
        phones=set(probe.phones),
        ids=set(probe.ids),
        now=now,
        everywhere=unit is None,
    )
    names = school_names()
    pairs = [(case, _probe_of(case, names)) for case in candidates]
    families = {unit.pk: _families({unit.pk})} if unit is not None else {}
    return _matches(
        probe,
        pairs,
        unit_id=unit.pk if unit else None,
        exclude=exclude,
        limit=limit,
        families=families,
    )


def similar_cases(case: Case, *, limit: int = 10) -> list[Similar]:
    """The near-duplicates of ``case`` among the open, recent cases."""
    return similar_to(_probe_of(case, school_names()), unit=case.unit, exclude=case.pk, limit=limit)


def similar_for_many(cases: list[Case], *, limit: int = 3) -> dict[int, list[Similar]]:
    """The near-duplicates of each of ``cases`` (a page of the intake pool), in one query."""
    if not cases:
        return {}
    names = school_names()
    probes = {case.pk: _probe_of(case, names) for case in cases}
    candidates = _candidates(
        units={case.unit_id for case in cases},
        schools={case.unit_concerned_id for case in cases if case.unit_concerned_id},
        phones={case.requester_phone_index for case in cases if case.requester_phone_index},
        ids={case.requester_id_index for case in cases if case.requester_id_index},
    )
    pairs = [(candidate, _probe_of(candidate, names)) for candidate in candidates]
    families = {unit_id: _families({unit_id}) for unit_id in {case.unit_id for case in cases}}
    return {
        case.pk: _matches(
            probes[case.pk],
            pairs,
            unit_id=case.unit_id,
            exclude=case.pk,
            limit=limit,
            families=families,
        )
        for case in cases
    }


def similar_to_request(
    *,
    text: str,
    unit: Unit | None,
    school_id: int | None = None,
    phone: str = "",
    id_number: str = "",
    limit: int = 10,
) -> list[Similar]:
    """The near-duplicates of a request not yet registered (the office intake form)."""
    probe = Probe.of(
        text,
        school_id=school_id if school_id is not None else school_in(text, school_names()),
        phones=_indexes(phone, "phone"),
        ids=_indexes(id_number, "id_number"),
    )
    return similar_to(probe, unit=unit, limit=limit)


# ---------------------------------------------------------------- figures for assessment


def repeat_links(case_ids: list[int]) -> dict[int, int]:
    """case id → the earlier case its repeat alert links it to (the repeat metric's rows)."""
    return dict(
        RepeatAlert.objects.filter(case_id__in=case_ids).values_list("case_id", "earlier_id")
    )


def settled_suggestions(
    *, unit_ids: list[int] | None, start: datetime, end: datetime
) -> list[tuple[int, int | None, int | None, int | None, str, int]]:
    """(case id, suggested top, chosen at dispatch, final lead, case state, times returned) of
    the cases dispatched in [start, end) that had a suggestion."""
    rows = Suggestion.objects.filter(chosen_at__gte=start, chosen_at__lt=end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return list(
        rows.values_list(
            "case_id",
            "top_id",
            "chosen_id",
            "case__lead_department_id",
            "case__state",
            "case__return_count",
        )
    )


def suggested_department_id(case: Case) -> int | None:
    """The department triage put first for ``case`` (None when it did not know)."""
    return Suggestion.objects.filter(case=case).values_list("top_id", flat=True).first()
