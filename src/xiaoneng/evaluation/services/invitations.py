"""Invitations: service recipients sampled from closed cases, named panels, by SMS with a
one-time link (through the notification outbox, the link sealed until sent).

Sampling (docs/evaluation.md): for each unit, the closed cases of the round's period with a
requester phone (not anonymous), stratified by channel in proportion to the cases of each
channel; one invitation per phone, and nobody asked twice in a calendar year (``Contacted``
holds the keyed blind index of every phone asked). The text messages are written to the outbox
in a shuffled order, so that no stored order ties a phone to its invitation either.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case
from xiaoneng.cases.states import State as CaseState
from xiaoneng.errors import DomainError
from xiaoneng.evaluation.models import Contacted, Invitation, Panel, PanelCount, Round, RoundUnit
from xiaoneng.evaluation.services._common import require_role
from xiaoneng.fieldcrypt.datakeys import normalise_phone
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.org.roles import Role
from xiaoneng.sealing import Secret

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

_rng = random.SystemRandom()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    return reverse("evaluation_public:invitation", args=[token])


def _cases_of(round_unit: RoundUnit, round_: Round) -> QuerySet[Case]:
    start, end = round_.period_from, round_.period_to
    cases = Case.objects.filter(
        state=CaseState.CLOSED,
        closed_at__date__gte=start,
        closed_at__date__lte=end,
        is_anonymous=False,
    ).exclude(requester_phone_index="")
    if round_unit.department_id is not None:
        return cases.filter(lead_department_id=round_unit.department_id)
    return cases.filter(
        Q(unit_concerned_id=round_unit.unit_id) | Q(lead_department__unit_id=round_unit.unit_id)
    )


def _allocate(sizes: dict[str, int], wanted: int) -> dict[str, int]:
    """Proportional allocation with the largest remainders (each stratum capped at its size)."""
    total = sum(sizes.values())
    if total <= wanted:
        return dict(sizes)
    exact = {k: wanted * n / total for k, n in sizes.items()}
    shares = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (exact[k] - shares[k], sizes[k]), reverse=True):
        if sum(shares.values()) >= wanted:
            break
        shares[k] += 1
    return shares


def sample_recipients(
    round_unit: RoundUnit, round_: Round, *, year: int, taken: set[str]
) -> list[tuple[str, str]]:
    """(phone, blind index) of the people to ask for one unit, stratified by channel."""
    asked = set(Contacted.objects.filter(year=year).values_list("phone_index", flat=True))
    strata: dict[str, dict[str, str]] = defaultdict(dict)
    for case in _cases_of(round_unit, round_).only(
        "channel", "requester_phone", "requester_phone_index"
    ):
        index = case.requester_phone_index
        if index in asked or index in taken or not normalise_phone(case.requester_phone):
            continue
        if any(index in people for people in strata.values()):
            continue
        strata[case.channel][index] = case.requester_phone
    shares = _allocate({k: len(v) for k, v in strata.items()}, round_.sample_size)
    chosen: list[tuple[str, str]] = []
    for channel, people in sorted(strata.items()):
        picked = _rng.sample(sorted(people), shares.get(channel, 0))
        chosen += [(people[index], index) for index in picked]
    return chosen


def _send(round_: Round, pairs: list[tuple[str, RoundUnit, Panel]], *, base_url: str) -> None:
    """One invitation per (phone, unit, panel), then the messages in a shuffled order."""
    expires = timezone.now() + timedelta(days=round_.link_days)
    messages: list[tuple[str, str, str]] = []
    invitations = []
    for phone, round_unit, panel in pairs:
        token = secrets.token_urlsafe(18)
        invitations.append(
            Invitation(
                round=round_,
                round_unit=round_unit,
                panel=panel,
                token_hash=token_hash(token),
                expires_at=expires,
            )
        )
        messages.append((phone, round_unit.name, token))
    Invitation.objects.bulk_create(invitations)
    _rng.shuffle(messages)
    with override("zh-hans"):
        template = gettext(
            "%(round)s: please tell us what you think of the service of %(unit)s (anonymous, "
            "about 3 minutes): %(link)s The link works once, for %(days)s days."
        )
    for phone, unit_name, token in messages:
        notification_enqueue(
            channel="sms",
            kind="evaluation.invitation",
            subject=round_.title,
            body=template,
            params={
                "round": round_.title,
                "unit": unit_name,
                "link": Secret(base_url.rstrip("/") + invitation_path(token)),
                "days": round_.link_days,
            },
            address=phone,
        )


def _count_invited(panel: Panel, counts: dict[int, int]) -> None:
    for unit_id, n in counts.items():
        PanelCount.objects.filter(panel=panel, round_unit_id=unit_id).update(
            invited=F("invited") + n
        )


def _open_round(round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != Round.State.OPEN:
        raise DomainError(_("Invitations go out only while the round is open."))
    return round_


def recipients_invite(*, by: User, round_: Round, base_url: str) -> int:
    """Sample the service recipients of every unit of the round and text them their links;
    returns how many were invited."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        round_ = _open_round(round_)
        panel = round_.panels.get(kind=Panel.Kind.RECIPIENTS)
        year = timezone.localdate().year
        taken: set[str] = set()
        pairs: list[tuple[str, RoundUnit, Panel]] = []
        counts: dict[int, int] = {}
        for round_unit in round_.units.order_by("id"):
            chosen = sample_recipients(round_unit, round_, year=year, taken=taken)
            taken |= {index for _phone, index in chosen}
            pairs += [(phone, round_unit, panel) for phone, _index in chosen]
            counts[round_unit.pk] = len(chosen)
        Contacted.objects.bulk_create([Contacted(year=year, phone_index=i) for i in sorted(taken)])
        _send(round_, pairs, base_url=base_url)
        _count_invited(panel, counts)
        log_action(
            action="evaluation.recipients_invite",
            obj=round_,
            actor=by,
            summary={"invited": len(pairs), "per_unit": {str(k): v for k, v in counts.items()}},
        )
    return len(pairs)


def named_panel_invite(
    *,
    by: User,
    round_: Round,
    panel: Panel,
    phones: list[str],
    units: list[RoundUnit],
    base_url: str,
) -> int:
    """Text every member of a named panel a link for each unit named (a list entered by the
    efficiency office: deputies, parent committees, school heads, businesses). The once-a-year
    rule is for sampled service recipients; a panel is chosen by name."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    if panel.round_id != round_.pk or panel.kind != Panel.Kind.NAMED:
        raise DomainError(_("Choose a named panel of this round."))
    if not units or any(u.round_id != round_.pk for u in units):
        raise DomainError(_("Choose the units this panel evaluates."))
    clean = {normalise_phone(p): p.strip() for p in phones if p.strip()}
    bad = [p for n, p in clean.items() if len(n) != 11 or not n.startswith("1")]
    if bad:
        raise DomainError(_("Not a mobile number: %(p)s") % {"p": "、".join(bad[:5])})
    if not clean:
        raise DomainError(_("Enter at least one mobile number."))
    with transaction.atomic():
        round_ = _open_round(round_)
        pairs = [(n, u, panel) for n in sorted(clean) for u in units]
        _send(round_, pairs, base_url=base_url)
        _count_invited(panel, {u.pk: len(clean) for u in units})
        log_action(
            action="evaluation.panel_invite",
            obj=round_,
            actor=by,
            summary={"panel": panel.name, "invited": len(clean), "units": len(units)},
        )
    return len(clean)


def paper_invitations_issue(
    *, by: User, round_: Round, round_unit: RoundUnit, panel: Panel, count: int
) -> list[str]:
    """One-time links to print and hand out (at a meeting of a named panel, say): the tokens
    are returned once, for the printout, and stored as hashes only."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    if panel.round_id != round_.pk or round_unit.round_id != round_.pk:
        raise DomainError(_("Choose a panel and a unit of this round."))
    if not 1 <= count <= 500:
        raise DomainError(_("Between 1 and 500 links at a time."))
    with transaction.atomic():
        round_ = _open_round(round_)
        expires = timezone.now() + timedelta(days=round_.link_days)
        tokens = [secrets.token_urlsafe(18) for _n in range(count)]
        Invitation.objects.bulk_create(
            Invitation(
                round=round_,
                round_unit=round_unit,
                panel=panel,
                channel=Invitation.Channel.PAPER,
                token_hash=token_hash(token),
                expires_at=expires,
            )
            for token in tokens
        )
        _count_invited(panel, {round_unit.pk: count})
        log_action(
            action="evaluation.paper_invite",
            obj=round_,
            actor=by,
            summary={"panel": panel.name, "unit": round_unit.name, "invited": count},
        )
    return tokens
