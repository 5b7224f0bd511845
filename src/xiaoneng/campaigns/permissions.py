"""Who may see and act on campaigns, submissions and study sessions. Deny by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.campaigns.models import Campaign, StudySession, Submission
from xiaoneng.org.roles import Role
from xiaoneng.org.scope import has_any_role, headed_department_ids
from xiaoneng.org.selectors import staff_for

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

OFFICE = (Role.EFFICIENCY_OFFICE,)
READERS_ALL = frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER})
# Every staff member takes part in campaigns and keeps a study record, whatever the role.
ANY_STAFF = tuple(Role)
REVIEW_ROLES = (Role.EFFICIENCY_OFFICE, Role.DEPT_HEAD)
STUDY_ROLES = (Role.EFFICIENCY_OFFICE, Role.LEADER, Role.DEPT_HEAD)
STUDY_WRITERS = (Role.EFFICIENCY_OFFICE, Role.DEPT_HEAD)


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """All for the efficiency office and leaders; otherwise the campaigns a person takes part
    in (once open) and those their department organises."""
    if has_any_role(user, READERS_ALL):
        return Campaign.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Campaign.objects.none()
    scope = Q(participants__staff=staff) & ~Q(state=Campaign.State.DRAFT)
    headed = headed_department_ids(staff)
    if headed:
        scope |= Q(organiser_id__in=headed)
    return Campaign.objects.filter(scope).distinct()


def campaign_for_user(user: User, pk: int) -> Campaign:
    campaign = (
        campaigns_visible_to(user)
        .select_related("organiser__unit", "organiser__head")
        .filter(pk=pk)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def may_review(user: User, campaign: Campaign) -> bool:
    """The efficiency office, or the head of the organising department."""
    if has_any_role(user, OFFICE):
        return True
    staff = staff_for(user)
    return (
        staff is not None
        and has_any_role(user, (Role.DEPT_HEAD,))
        and campaign.organiser.head_id == staff.pk
    )


def submission_for_user(user: User, pk: int) -> Submission:
    """The author, the reviewers of its campaign and leaders see a submission; else 404."""
    submission = (
        Submission.objects.select_related(
            "campaign__organiser__unit",
            "requirement",
            "participant__staff__user",
            "participant__department",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    staff = staff_for(user)
    if staff is not None and submission.participant.staff_id == staff.pk:
        return submission
    if has_any_role(user, READERS_ALL) or may_review(user, submission.campaign):
        return submission
    raise Http404


def sessions_visible_to(user: User) -> QuerySet[StudySession]:
    if has_any_role(user, READERS_ALL):
        return StudySession.objects.all()
    staff = staff_for(user)
    if staff is None or not has_any_role(user, (Role.DEPT_HEAD,)):
        return StudySession.objects.none()
    return StudySession.objects.filter(department_id__in=headed_department_ids(staff))


def session_for_user(user: User, pk: int) -> StudySession:
    session = (
        sessions_visible_to(user).select_related("department__unit", "created_by").filter(pk=pk)
    ).first()
    if session is None:
        raise Http404
    return session


def may_manage_department(user: User, department_id: int) -> bool:
    """The efficiency office for any department, a head for the departments they head."""
    if has_any_role(user, OFFICE):
        return True
    if not has_any_role(user, (Role.DEPT_HEAD,)):
        return False
    return department_id in headed_department_ids(staff_for(user))
