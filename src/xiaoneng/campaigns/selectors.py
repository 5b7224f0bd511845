"""Read models of campaigns: completion per person and per department, who is missing, and
study hours per department and per person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from xiaoneng.campaigns.models import (
    Attendance,
    Campaign,
    Participant,
    Requirement,
    StudySession,
    Submission,
)
from xiaoneng.campaigns.permissions import campaigns_visible_to
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.selectors import staff_for

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

S = Submission.State
# A returned submission no longer counts as handed in until it is resubmitted.
LIVE = (S.SUBMITTED, S.RESUBMITTED, S.ACCEPTED)


@dataclass
class Owed:
    requirement: Requirement
    handed_in: int = 0  # submitted, resubmitted or accepted
    accepted: int = 0

    @property
    def met(self) -> bool:
        return self.accepted >= self.requirement.min_count

    @property
    def handed_in_enough(self) -> bool:
        return self.handed_in >= self.requirement.min_count

    @property
    def missing(self) -> int:
        return max(0, self.requirement.min_count - self.handed_in)


@dataclass
class PersonCompletion:
    participant: Participant
    owed: list[Owed]

    @property
    def complete(self) -> bool:
        """Every required submission accepted."""
        return all(item.met for item in self.owed if item.requirement.required)


@dataclass
class DepartmentCompletion:
    department: Department | None
    people: list[PersonCompletion] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return len(self.people)

    @property
    def complete(self) -> int:
        return sum(person.complete for person in self.people)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.participants) if self.participants else 0


@dataclass
class CampaignCompletion:
    campaign: Campaign
    requirements: list[Requirement]
    people: list[PersonCompletion]
    departments: list[DepartmentCompletion]
    missing_reflection: list[PersonCompletion]

    @property
    def participants(self) -> int:
        return len(self.people)

    @property
    def complete(self) -> int:
        return sum(person.complete for person in self.people)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.participants) if self.participants else 0


def _counts(campaign_ids: list[int]) -> dict[tuple[int, int], dict[str, int]]:
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    rows = (
        Submission.objects.filter(campaign_id__in=campaign_ids)
        .values("participant_id", "requirement_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[(row["participant_id"], row["requirement_id"])][row["state"]] = row["n"]
    return counts


def _owed(requirement: Requirement, by_state: dict[str, int]) -> Owed:
    return Owed(
        requirement=requirement,
        handed_in=sum(by_state.get(state, 0) for state in LIVE),
        accepted=by_state.get(S.ACCEPTED, 0),
    )


def campaign_completion(
    campaign: Campaign, *, unit_ids: list[int] | None = None
) -> CampaignCompletion:
    """Who owes what, per person and per department (in a fixed order)."""
    requirements = list(campaign.requirements.order_by("kind"))
    participants = Participant.objects.filter(campaign=campaign).select_related(
        "staff__user", "staff__unit", "department__unit"
    )
    if unit_ids is not None:
        participants = participants.filter(staff__unit_id__in=unit_ids)
    counts = _counts([campaign.pk])
    people = [
        PersonCompletion(
            participant=participant,
            owed=[
                _owed(requirement, counts.get((participant.pk, requirement.pk), {}))
                for requirement in requirements
            ],
        )
        for participant in participants.order_by(
            "department__unit__sort_order",
            "department__unit_id",
            "department__sort_order",
            "department_id",
            "staff_id",
        )
    ]
    departments: dict[int | None, DepartmentCompletion] = {}
    for person in people:
        key = person.participant.department_id
        if key not in departments:
            departments[key] = DepartmentCompletion(department=person.participant.department)
        departments[key].people.append(person)
    reflection = next(
        (r for r in requirements if r.kind == Requirement.Kind.REFLECTION and r.required), None
    )
    missing = [
        person
        for person in people
        if reflection is not None
        and not next(o for o in person.owed if o.requirement.pk == reflection.pk).handed_in_enough
    ]
    return CampaignCompletion(
        campaign=campaign,
        requirements=requirements,
        people=people,
        departments=list(departments.values()),
        missing_reflection=missing,
    )


def person_completion(campaign: Campaign, staff: Staff) -> PersonCompletion | None:
    participant = Participant.objects.filter(campaign=campaign, staff=staff).first()
    if participant is None:
        return None
    counts = _counts([campaign.pk])
    return PersonCompletion(
        participant=participant,
        owed=[
            _owed(requirement, counts.get((participant.pk, requirement.pk), {}))
            for requirement in campaign.requirements.order_by("kind")
        ],
    )


def campaigns_for_list(user: User) -> QuerySet[Campaign]:
    return (
        campaigns_visible_to(user)
        .select_related("organiser__unit")
        .annotate(people=Count("participants", distinct=True))
        .order_by("-start", "-id")
    )


def my_campaigns(user: User) -> list[tuple[Campaign, PersonCompletion]]:
    """The open and closed campaigns a person takes part in, with what they owe."""
    staff = staff_for(user)
    if staff is None:
        return []
    participants = (
        Participant.objects.filter(staff=staff)
        .exclude(campaign__state=Campaign.State.DRAFT)
        .select_related("campaign__organiser")
        .order_by("-campaign__start", "-campaign_id")
    )
    participants = list(participants)  # type: ignore[assignment]
    campaign_ids = [participant.campaign_id for participant in participants]
    counts = _counts(campaign_ids)
    requirements: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.filter(campaign_id__in=campaign_ids).order_by("kind"):
        requirements[requirement.campaign_id].append(requirement)
    return [
        (
            participant.campaign,
            PersonCompletion(
                participant=participant,
                owed=[
                    _owed(requirement, counts.get((participant.pk, requirement.pk), {}))
                    for requirement in requirements[participant.campaign_id]
                ],
            ),
        )
        for participant in participants
    ]


def my_submissions(user: User) -> QuerySet[Submission]:
    staff = staff_for(user)
    return (
        Submission.objects.filter(participant__staff=staff)
        .select_related("campaign", "requirement")
        .order_by("-submitted_at", "-id")
    )


def review_queue(campaign: Campaign, *, state: str = "") -> QuerySet[Submission]:
    submissions = Submission.objects.filter(campaign=campaign).select_related(
        "requirement", "participant__staff__user", "participant__department"
    )
    if state in S.values:
        submissions = submissions.filter(state=state)
    return submissions.order_by("-submitted_at", "-id")


def selected_reflections(campaign: Campaign) -> list[Submission]:
    return list(
        Submission.objects.filter(
            campaign=campaign,
            selected=True,
            state=S.ACCEPTED,
            requirement__kind=Requirement.Kind.REFLECTION,
        )
        .select_related("participant__staff__user", "participant__department")
        .order_by("participant__department_id", "submitted_at", "id")
    )


# -- learning records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentHours:
    department: Department
    sessions: int
    attendances: int
    hours: Decimal


def department_hours(
    *, year: int, department_ids: list[int] | None = None, unit_ids: list[int] | None = None
) -> list[DepartmentHours]:
    """Per department (of the attendee): person-hours of study in ``year``, by attendance."""
    rows = Attendance.objects.filter(session__date__year=year, department__isnull=False)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    if unit_ids is not None:
        rows = rows.filter(department__unit_id__in=unit_ids)
    totals = (
        rows.values("department_id")
        .annotate(
            hours=Sum("session__hours"),
            attendances=Count("id"),
            sessions=Count("session_id", distinct=True),
        )
        .order_by()
    )
    by_id = {row["department_id"]: row for row in totals}
    departments = Department.objects.filter(pk__in=by_id).select_related("unit")
    return [
        DepartmentHours(
            department=department,
            sessions=by_id[department.pk]["sessions"],
            attendances=by_id[department.pk]["attendances"],
            hours=by_id[department.pk]["hours"] or Decimal("0"),
        )
        for department in departments.order_by("unit__sort_order", "unit_id", "sort_order", "id")
    ]


def person_record(staff: Staff, *, year: int | None = None) -> list[StudySession]:
    sessions = StudySession.objects.filter(attendance__staff=staff).select_related("department")
    if year is not None:
        sessions = sessions.filter(date__year=year)
    return list(sessions.order_by("-date", "-id"))


def person_hours(sessions: list[StudySession]) -> Decimal:
    return sum((session.hours for session in sessions), Decimal("0"))


def sessions_for_list(queryset: QuerySet[StudySession], *, year: int) -> QuerySet[StudySession]:
    return (
        queryset.filter(date__year=year)
        .select_related("department__unit")
        .annotate(attendees=Count("attendance"))
        .order_by("-date", "-id")
    )


def default_year() -> int:
    return timezone.localdate().year
