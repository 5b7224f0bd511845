"""What the application services share: the locked application, who may act on it, its
acceptance clock and the materials still awaited. Private to this package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.applications.models import Application, MaterialCheck
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case
from xiaoneng.cases.services.steps import in_department, is_head_of, require_staff
from xiaoneng.catalog.guides import GuideMaterial
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Staff
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.selectors import clock_open_for
from xiaoneng.workdays.services.clocks import clock_start, clock_stop

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

ACCEPTANCE = Clock.Stage.ACCEPTANCE.value
DEFAULT_ACCEPTANCE_WORKDAYS = 5
OPEN_STAGES = {
    Application.Stage.CHECKING,
    Application.Stage.AWAITING_SUPPLEMENT,
    Application.Stage.COMPLETE,
    Application.Stage.ACCEPTED,
}


def locked_application(case: Case) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("service_item_version__item")
        .filter(case=case)
        .first()
    )
    if application is None:
        raise DomainError(_("This case is not an application under a service guide."))
    return application


def require_officer(by: User, case: Case) -> Staff:
    """The lead department or the first-contact officer at the window. Supervisors decide on
    filings; they do not handle an application on a department's behalf."""
    staff = require_staff(by)
    if in_department(staff, case.lead_department_id) or is_head_of(staff, case.lead_department_id):
        return staff
    if case.first_contact_id == staff.pk:
        return staff
    raise PermissionDenied(_("Only the department responsible for this item may do this."))


def require_open(application: Application) -> None:
    if application.stage not in OPEN_STAGES:
        raise DomainError(_("This application has already been decided."))


def start_acceptance_clock(case: Case, *, at: Any, by: Actor) -> None:
    limit = case.policy_version.stage_limit(Clock.Stage.ONE_TIME_NOTICE.value)
    clock_start(
        owner_type=clocks.CASE_OWNER,
        owner_id=case.pk,
        stage=ACCEPTANCE,
        started_at=at,
        counting=Counting.WORKDAYS,
        limit=limit.amount if limit is not None else DEFAULT_ACCEPTANCE_WORKDAYS,
        unit_id=case.unit_id,
        by=by,
    )


def stop_acceptance_clock(case: Case, *, at: Any, by: Actor) -> None:
    clock = clock_open_for(owner_type=clocks.CASE_OWNER, owner_id=case.pk, stage=ACCEPTANCE)
    if clock is not None:
        clock_stop(clock=clock, at=at, by=by)


def awaited_materials(application: Application) -> list[GuideMaterial]:
    checks = application.material_checks.filter(status=MaterialCheck.Status.MISSING)
    return [check.material for check in checks.select_related("material")]
