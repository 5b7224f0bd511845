"""Campaigns: create with requirements, open (fixing the participants), close; party groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.models import Campaign, Participant, PartyGroup, Requirement
from xiaoneng.campaigns.permissions import OFFICE
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.org.scope import has_any_role

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


@dataclass(frozen=True)
class RequirementSpec:
    kind: str
    min_count: int
    min_length: int
    deadline: date


def _require_office(user: User) -> None:
    if not has_any_role(user, OFFICE):
        raise PermissionDenied(_("Only the efficiency office manages campaigns."))


def party_group_create(
    *, by: User, name: str, unit: Unit, members: Iterable[Staff] = ()
) -> PartyGroup:
    _require_office(by)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the party group a name."))
    members = list(members)
    if any(member.unit_id != unit.pk for member in members):
        raise DomainError(_("Every member of a party group must belong to its unit."))
    with transaction.atomic():
        if PartyGroup.objects.filter(unit=unit, name=name).exists():
            raise DomainError(_("This unit already has a party group of that name."))
        group = PartyGroup.objects.create(name=name, unit=unit)
        group.members.set(members)
        log_action(
            action="campaigns.party_group.create",
            obj=group,
            actor=by,
            unit_id=unit.pk,
            summary={"name": name, "members": [member.pk for member in members]},
        )
    return group


def _check_requirements(specs: list[RequirementSpec], *, start: date, end: date) -> None:
    kinds = [spec.kind for spec in specs]
    if not specs:
        raise DomainError(_("A campaign needs at least one kind of submission."))
    if len(set(kinds)) != len(kinds) or not set(kinds) <= set(Requirement.Kind.values):
        raise DomainError(_("Each kind of submission may be required once."))
    for spec in specs:
        if spec.min_count < 0 or spec.min_length < 0:
            raise DomainError(_("Counts and lengths cannot be negative."))
        if not start <= spec.deadline <= end:
            raise DomainError(
                lazy_format(
                    _("The deadline of %(kind)s must fall within the campaign's period."),
                    {"kind": Requirement.Kind(spec.kind).label},
                )
            )


def campaign_create(
    *,
    by: User,
    title: str,
    description: str = "",
    start: date,
    end: date,
    organiser: Department,
    units: Iterable[Unit] = (),
    party_groups: Iterable[PartyGroup] = (),
    requirements: list[RequirementSpec],
    remind_days: int = 2,
) -> Campaign:
    """A draft campaign with its requirements; participants are fixed when it opens."""
    _require_office(by)
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Give the campaign a title."))
    if end < start:
        raise DomainError(_("The campaign cannot end before it starts."))
    if not 0 <= int(remind_days) <= 30:
        raise DomainError(_("Reminders go out between 0 and 30 working days before a deadline."))
    units, party_groups = list(units), list(party_groups)
    if not units and not party_groups:
        raise DomainError(_("Choose the participating units or party groups."))
    _check_requirements(requirements, start=start, end=end)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            description=(description or "").strip(),
            start=start,
            end=end,
            organiser=organiser,
            remind_days=int(remind_days),
            created_by=by,
            created_at=timezone.now(),
        )
        campaign.units.set(units)
        campaign.party_groups.set(party_groups)
        Requirement.objects.bulk_create(
            Requirement(
                campaign=campaign,
                kind=spec.kind,
                min_count=spec.min_count,
                min_length=spec.min_length,
                deadline=spec.deadline,
            )
            for spec in requirements
        )
        log_action(
            action="campaigns.campaign.create",
            obj=campaign,
            actor=by,
            unit_id=organiser.unit_id,
            summary={
                "title": title,
                "units": [unit.pk for unit in units],
                "party_groups": [group.pk for group in party_groups],
                "requirements": {spec.kind: spec.min_count for spec in requirements},
            },
        )
    return campaign


def campaign_participant_staff(campaign: Campaign) -> list[Staff]:
    """The active staff of the participating units and the members of the party groups."""
    unit_ids = list(campaign.units.values_list("pk", flat=True))
    group_ids = list(campaign.party_groups.values_list("pk", flat=True))
    found = Staff.objects.filter(user__is_active=True).filter(
        unit_id__in=unit_ids
    ) | Staff.objects.filter(user__is_active=True, party_groups__in=group_ids)
    return list(found.distinct().order_by("pk"))


def campaign_open(*, campaign: Campaign, by: User) -> Campaign:
    _require_office(by)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state != Campaign.State.DRAFT:
            raise DomainError(_("Only a draft campaign can be opened."), code="illegal_transition")
        people = campaign_participant_staff(campaign)
        if not people:
            raise DomainError(_("The chosen units and party groups have no staff."))
        Participant.objects.bulk_create(
            Participant(campaign=campaign, staff=member, department_id=member.department_id)
            for member in people
        )
        campaign.state = Campaign.State.OPEN
        campaign.opened_at = timezone.now()
        campaign.save(update_fields=["state", "opened_at"])
        log_action(
            action="campaigns.campaign.open",
            obj=campaign,
            actor=by,
            unit_id=campaign.organiser.unit_id,
            summary={"title": campaign.title, "participants": len(people)},
        )
    return campaign


def campaign_close(*, campaign: Campaign, by: User) -> Campaign:
    _require_office(by)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state != Campaign.State.OPEN:
            raise DomainError(_("Only an open campaign can be closed."), code="illegal_transition")
        campaign.state = Campaign.State.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        log_action(
            action="campaigns.campaign.close",
            obj=campaign,
            actor=by,
            unit_id=campaign.organiser.unit_id,
            summary={"title": campaign.title},
        )
    return campaign
