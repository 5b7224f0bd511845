"""Repeat complaints (重复投诉): a complaint, report or request for help that comes back after
an earlier one was replied to, by the same person or about the same matter at the same school,
raises an alert to the efficiency office and the unit's heads (a hotspot from the third in a
chain). Checked when a case arrives (``services.cases_arrived``) and by the repeats sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, Kind
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.cases.services.events import case_event_record
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.roles import Role
from xiaoneng.triage.models import RepeatAlert
from xiaoneng.triage.similarity import DUPLICATE, Probe, compare

DEFAULT_REPEAT_DAYS = 30
HOTSPOT_COUNT = 3
HOTSPOT_DAYS = 30
REPEAT_KINDS = (Kind.COMPLAINT, Kind.REPORT, Kind.HELP)


def repeat_days() -> int:
    return int(getattr(settings, "TRIAGE_REPEAT_DAYS", DEFAULT_REPEAT_DAYS))


def _probe(case: Case) -> Probe:
    return Probe.of(
        f"{case.title} {case.content}",
        school_id=case.unit_concerned_id,
        phones=frozenset({case.requester_phone_index or ""}),
        ids=frozenset({case.requester_id_index or ""}),
    )


def earlier_replied(case: Case) -> tuple[Case, str, float] | None:
    """The replied case this one repeats: the same person, or the same matter at the same
    school, replied to within ``repeat_days`` before this one arrived."""
    since = case.registered_at - timedelta(days=repeat_days())
    earlier = (
        Case.objects.filter(replied_at__gte=since, replied_at__lte=case.registered_at)
        .exclude(pk=case.pk)
        .order_by("-replied_at")
    )
    person = (
        earlier.filter(requester_phone_index=case.requester_phone_index).exclude(
            requester_phone_index=""
        )
        if case.requester_phone_index
        else earlier.none()
    )
    matter = (
        earlier.filter(unit_concerned_id=case.unit_concerned_id)[:MATTER_CANDIDATES]
        if case.unit_concerned_id is not None
        else []
    )
    return _repeat_of(case, list(person[:PERSON_CANDIDATES]), matter)


# How many of the newest replied cases of the same person, and about the same school, a new
# case is compared with.
PERSON_CANDIDATES = 20
MATTER_CANDIDATES = 500


def _repeat_of(
    case: Case,
    person: Iterable[Case],
    matter: Iterable[Case],
    probes: dict[int, Probe] | None = None,
) -> tuple[Case, str, float] | None:
    """The first of ``person`` (the same phone, newest reply first) it repeats, else the best
    of ``matter`` (the same school) from ``DUPLICATE`` on. ``probes``: the earlier cases'
    probes already read (a set of arrivals compared with the same replied cases reads each
    replied case's text once)."""
    probes = {} if probes is None else probes

    def probe_of(old: Case) -> Probe:
        found = probes.get(old.pk)
        if found is None:
            found = probes[old.pk] = _probe(old)
        return found

    probe: Probe | None = None
    for old in person:
        probe = probe or _probe(case)
        match = compare(probe, probe_of(old))
        if match.text >= 0.18 or old.category_id == case.category_id:
            return old, RepeatAlert.Reason.PERSON, match.score
    best = None
    if case.unit_concerned_id is not None:
        for old in matter:
            probe = probe or _probe(case)
            match = compare(probe, probe_of(old))
            if match.score >= DUPLICATE and (best is None or match.score > best[2]):
                best = (old, RepeatAlert.Reason.MATTER, match.score)
    return best


# Past this many replied cases of the people and schools of one set of arrivals, each case is
# checked with its own queries instead (``earlier_replied``).
REPLIED_READ_AT_ONCE = 5000


def replied_near(cases: list[Case]) -> list[Case] | None:
    """The replied cases ``cases`` might repeat, newest reply first, for all of them in one
    query (the same phones or schools, replied within ``repeat_days`` before the earliest and
    up to the latest arrival); None when there are too many to read at once."""
    phones = {case.requester_phone_index for case in cases if case.requester_phone_index}
    schools = {case.unit_concerned_id for case in cases if case.unit_concerned_id is not None}
    if not phones and not schools:
        return []
    scope = Q(requester_phone_index__in=phones) if phones else Q()
    if schools:
        scope = (
            (scope | Q(unit_concerned_id__in=schools))
            if phones
            else Q(unit_concerned_id__in=schools)
        )
    since = min(case.registered_at for case in cases) - timedelta(days=repeat_days())
    until = max(case.registered_at for case in cases)
    rows = list(
        Case.objects.filter(scope, replied_at__gte=since, replied_at__lte=until)
        .only(*_REPEAT_COLUMNS)
        .order_by("-replied_at")[: REPLIED_READ_AT_ONCE + 1]
    )
    return None if len(rows) > REPLIED_READ_AT_ONCE else rows


# What the repeat check reads of an earlier case (not the encrypted personal data).
_REPEAT_COLUMNS = (
    "pk",
    "number",
    "title",
    "content",
    "unit_id",
    "unit_concerned_id",
    "category_id",
    "requester_phone_index",
    "requester_id_index",
    "replied_at",
)


def repeat_among(
    case: Case, replied: list[Case], probes: dict[int, Probe]
) -> tuple[Case, str, float] | None:
    """``earlier_replied`` over rows read for many cases at once (``replied_near``), each
    replied case's probe made once for all of them (``probes``)."""
    since = case.registered_at - timedelta(days=repeat_days())
    window = [
        old
        for old in replied
        if old.pk != case.pk
        and old.replied_at is not None
        and since <= old.replied_at <= case.registered_at
    ]
    if not window:
        return None
    phone = case.requester_phone_index
    person = [old for old in window if phone and old.requester_phone_index == phone]
    school = case.unit_concerned_id
    matter = [old for old in window if school is not None and old.unit_concerned_id == school]
    return _repeat_of(case, person[:PERSON_CANDIDATES], matter[:MATTER_CANDIDATES], probes)


def _unit_heads(unit_id: int) -> list[Staff]:
    """The unit's leaders, else the head of its first department (办公室, 校长办公室)."""
    leaders = list(
        Staff.objects.filter(unit_id=unit_id, user__groups__name=Role.LEADER).select_related("user")
    )
    if leaders:
        return leaders
    first = (
        Department.objects.filter(unit_id=unit_id).exclude(head=None).order_by("sort_order", "pk")
    )
    department = first.select_related("head__user").first()
    return [department.head] if department is not None and department.head is not None else []


def repeat_check(*, case: Case, now: datetime | None = None) -> RepeatAlert | None:
    """Raise the repeat-complaint alert of ``case`` if it repeats an earlier, replied case;
    one alert per case however often it is checked."""
    if case.kind not in REPEAT_KINDS or RepeatAlert.objects.filter(case=case).exists():
        return None
    found = earlier_replied(case)
    if found is None:
        return None
    return raise_repeat(case, found, now=now)


def raise_repeat(
    case: Case, found: tuple[Case, str, float], *, now: datetime | None
) -> RepeatAlert | None:
    earlier, reason, score = found
    root_id = (
        RepeatAlert.objects.filter(case=earlier).values_list("root_id", flat=True).first()
        or earlier.pk
    )
    at = now or timezone.now()
    try:
        with transaction.atomic():
            alert = RepeatAlert.objects.create(
                case=case,
                earlier=earlier,
                root_id=root_id,
                unit_id=case.unit_id,
                reason=reason,
                score=score,
                raised_at=at,
            )
            chain = RepeatAlert.objects.filter(
                root_id=root_id, raised_at__gte=at - timedelta(days=HOTSPOT_DAYS)
            ).count()
            if chain + 1 >= HOTSPOT_COUNT:
                alert.hotspot = True
                alert.save(update_fields=["hotspot"])
            log_action(
                action="triage.repeat.alert",
                obj=case,
                actor=None,
                summary={"earlier": earlier.number, "reason": reason, "hotspot": alert.hotspot},
            )
            # On the case's timeline; the event also brings the case back to the rollups,
            # which count the alert in the repeat-complaint metric (assessment/contributions.py).
            case_event_record(
                case,
                action="repeat_alert",
                user=None,
                data={"earlier": earlier.number, "reason": str(reason)},
                public=False,
                at=at,
            )
            _tell(alert, case, earlier)
    except IntegrityError:
        return None  # Raised by a concurrent check.
    return alert


def _tell(alert: RepeatAlert, case: Case, earlier: Case) -> None:
    subject = (
        gettext("Hotspot: the same matter complained about again")
        if alert.hotspot
        else gettext("Repeat complaint after a reply")
    )
    body = gettext("%(number)s repeats %(earlier)s (%(reason)s).") % {
        "number": case.number,
        "earlier": earlier.number,
        "reason": alert.get_reason_display(),
    }
    people: list[Staff | None] = [*efficiency_office_staff(), *_unit_heads(case.unit_id)]
    notify_people(people, kind="triage.repeat", subject=subject, body=body, obj=case)
