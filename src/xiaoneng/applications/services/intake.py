"""Applications (申请) under a service guide, up to the decisions: registration at the window,
the material check and one-time notice, the second notice and the supplement.

The case runs on the administrative-licence policy; its reply clock counts the item's committed
limit (≤ the statutory one). An acceptance clock runs while the materials are checked (行政许可法
art. 32: the one-time notice on the spot or within five days). A one-time notice pauses the reply
clock until the supplement; a second notice asking for something the first did not list needs a
reason, records a violation and does not pause the clock again (the unit's own fault must not buy
it time).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import Described
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.applications.models import Application, MaterialCheck, OneTimeNotice
from xiaoneng.applications.services._common import (
    awaited_materials,
    locked_application,
    require_officer,
    require_open,
    start_acceptance_clock,
    stop_acceptance_clock,
)
from xiaoneng.audit.services import log_action
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.notifications import efficiency_office_staff, notify_requester, notify_staff
from xiaoneng.cases.services.intake import case_register
from xiaoneng.cases.services.steps import lock, now, record, require_staff, require_text
from xiaoneng.cases.states import State
from xiaoneng.catalog.guide_selectors import guide_published_version
from xiaoneng.catalog.guides import GuideMaterial, ServiceItem
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Staff
from xiaoneng.workdays.deadlines import clock_period
from xiaoneng.workdays.selectors import clock_open_for
from xiaoneng.workdays.services.clocks import apply_period, clock_check_save

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

# -- helpers ------------------------------------------------------------------------------------


def _commit_reply_limit(case: Case, *, committed: int, by: Actor) -> None:
    """Count the reply clock by the item's committed limit (never above the policy's)."""
    stage = case.policy_version.stage_limit(clocks.REPLY)
    if stage is None or committed > stage.amount:
        raise DomainError(
            _("The item's committed limit exceeds the time-limit policy's limit of %(max)s.")
            % {"max": stage.amount if stage else 0}
        )
    clock = clock_open_for(owner_type=clocks.CASE_OWNER, owner_id=case.pk, stage=clocks.REPLY)
    if clock is None or clock.limit == committed:
        return
    previous = clock.limit
    clock.limit = committed
    apply_period(clock, clock_period(clock), now=timezone.now(), old=None)
    clock.save(update_fields=["limit", "due_at", "provisional", "updated_at"])
    clock_check_save(clock)
    log_action(
        action="workdays.clock.commit_limit",
        obj=clock,
        actor=by,
        summary={"stage": clock.stage, "previous_limit": previous, "limit": committed},
    )


def _issue_notice(
    application: Application,
    *,
    materials: list[GuideMaterial],
    staff: Staff,
    sequence: int = 1,
    reason: str = "",
    at: Any,
) -> OneTimeNotice:
    notice = OneTimeNotice.objects.create(
        application=application,
        sequence=sequence,
        items=[material.describe() for material in materials],
        reason=reason,
        issued_at=at,
        issued_by=staff,
    )
    notice.materials.set(materials)
    return notice


# -- services -----------------------------------------------------------------------------------


def application_register(
    *,
    by: User,
    item: ServiceItem,
    requester_name: str,
    requester_phone: str = "",
    requester_email: str = "",
    requester_id_number: str = "",
    content: str = "",
    channel: str = Channel.VISIT,
) -> Application:
    """File an application at the window, under the item's published guide version."""
    staff = require_staff(by)
    requester_name = require_text(requester_name, _("Please give the applicant's name."))
    with transaction.atomic():
        version = guide_published_version(item=item)
        if version is None or not item.is_active:
            raise DomainError(_("This service item has no published guide."))
        category = (
            Category.objects.filter(code=item.category_code).first()
            or Category.objects.filter(code="other").first()
            or Category.objects.order_by("pk").first()
        )
        if category is None:
            raise DomainError(_("No case categories are set up."))
        registered = case_register(
            by=by,
            channel=channel,
            kind=Kind.APPLICATION,
            category=category,
            title=f"{version.name}申请"[:120],
            content=(content or "").strip() or f"申请办理“{version.name}”。",
            unit=item.unit,
            requester_name=requester_name,
            requester_phone=requester_phone,
            requester_email=requester_email,
            requester_id_number=requester_id_number,
        )
        case = lock(registered.case)
        at = case.registered_at
        if item.department is not None:
            case.lead_department = item.department
            case.post = item.department.posts.order_by("pk").first()
            if staff.department_id == item.department_id:
                case.handler = staff
            case.save()
        _commit_reply_limit(case, committed=version.committed_limit, by=by)
        application = Application.objects.create(case=case, service_item_version=version)
        start_acceptance_clock(case, at=at, by=by)
        record(
            case,
            action="application",
            user=by,
            from_state=case.state,
            data={"item": item.code, "version": version.number},
            at=at,
        )
    return application


def application_check_materials(
    *, case: Case, provided: Iterable[int], by: User, not_applicable: Iterable[int] = ()
) -> OneTimeNotice | None:
    """Tick what was brought; whatever is missing goes into one notice and the clock stops."""
    provided, not_applicable = set(provided), set(not_applicable)
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        staff = require_officer(by, case)
        if application.checked_at is not None:
            raise DomainError(
                _(
                    "The materials have already been checked; asking for more now is a second "
                    "notice."
                )
            )
        materials = list(application.service_item_version.materials.order_by("position", "id"))
        known = {material.pk: material for material in materials}
        if (provided | not_applicable) - set(known):
            raise DomainError(_("That material is not in this item's guide."))
        for pk in not_applicable:
            if not known[pk].conditional:
                raise DomainError(_("「%(name)s」 is always required.") % {"name": known[pk].name})
        checks, missing = [], []
        for material in materials:
            if material.pk in provided:
                status = MaterialCheck.Status.PROVIDED
            elif material.pk in not_applicable:
                status = MaterialCheck.Status.NOT_APPLICABLE
            else:
                status = MaterialCheck.Status.MISSING
                missing.append(material)
            checks.append(MaterialCheck(application=application, material=material, status=status))
        MaterialCheck.objects.bulk_create(checks)
        at = now()
        application.checked_at = at
        if not missing:
            application.stage = Application.Stage.COMPLETE
            application.save()
            record(case, action="materials_checked", user=by, from_state=case.state, at=at)
            return None
        notice = _issue_notice(application, materials=missing, staff=staff, at=at)
        application.stage = Application.Stage.AWAITING_SUPPLEMENT
        application.save()
        stop_acceptance_clock(case, at=at, by=by)
        from_state = case.state
        reason = gettext("One-time notice: materials missing")
        clocks.pause(case=case, at=at, by=by, reason=reason)
        case.state = State.SUSPENDED
        case.save()
        record(
            case,
            action="suspend",
            user=by,
            from_state=from_state,
            note=reason,
            data={"supplement": True, "notice": notice.pk, "resume_to": from_state},
            at=at,
        )
        with override("zh-hans"):
            message = gettext(
                "Your application %(number)s lacks %(count)d material(s); please see the "
                "one-time notice and supply them. The time limit stops until you do."
            ) % {"number": case.number, "count": len(missing)}
        notify_requester(case, kind="application.notice", message=message)
    return notice


def application_second_notice(
    *, case: Case, items: Iterable[int], reason: str, by: User
) -> OneTimeNotice:
    """Ask for materials the one-time notice did not list: a recorded violation (二次告知)."""
    reason = require_text(reason, _("A second notice needs a reason."))
    wanted = set(items)
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        staff = require_officer(by, case)
        require_open(application)
        if application.checked_at is None:
            raise DomainError(
                _("Check the materials first: the one-time notice lists everything missing.")
            )
        known = {m.pk: m for m in application.service_item_version.materials.all()}
        if not wanted or wanted - set(known):
            raise DomainError(_("Choose the materials to ask for from this item's guide."))
        first = application.notices.filter(sequence=1).first()
        listed = set(first.materials.values_list("pk", flat=True)) if first else set()
        new = [known[pk] for pk in sorted(wanted - listed, key=lambda pk: known[pk].position)]
        if not new:
            raise DomainError(
                _(
                    "These materials are already in the one-time notice; remind the applicant "
                    "instead of issuing another notice."
                )
            )
        at = now()
        asked = [known[pk] for pk in sorted(wanted, key=lambda pk: known[pk].position)]
        last = application.notices.order_by("-sequence").values_list("sequence", flat=True).first()
        notice = _issue_notice(
            application,
            materials=asked,
            staff=staff,
            sequence=max(last or 0, 1) + 1,
            reason=reason,
            at=at,
        )
        application.material_checks.filter(material__in=asked).update(
            status=MaterialCheck.Status.MISSING
        )
        if application.stage == Application.Stage.COMPLETE:
            application.stage = Application.Stage.AWAITING_SUPPLEMENT
            application.save()
        violation_record_automatic(
            kind=Violation.Kind.SECOND_NOTICE,
            source_key=f"second_notice:{notice.pk}",
            description=Described(
                gettext_noop(
                    "Second notice asking for materials not in the one-time notice: %(names)s"
                ),
                {"names": [material.name for material in new]},
            ),
            case=case,
            department=case.lead_department,
            staff=staff,
            unit_id=case.unit_id,
        )
        record(
            case,
            action="second_notice",
            user=by,
            from_state=case.state,
            note=reason,
            data={"notice": notice.pk, "new_items": [m.pk for m in new]},
            at=at,
        )
        notify_staff(
            case,
            efficiency_office_staff(),
            kind="application.second_notice",
            subject=gettext("Second notice for missing materials (二次告知)"),
        )
    return notice


def application_supplement(
    *, case: Case, by: User, supplied: Iterable[int] | None = None, note: str = ""
) -> Application:
    """Record supplied materials; when nothing is missing any more the clock runs again,
    resuming the remaining time or restarting the whole period as the policy says."""
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        require_officer(by, case)
        require_open(application)
        outstanding = {material.pk for material in awaited_materials(application)}
        if not outstanding:
            raise DomainError(_("No materials are awaited for this application."))
        chosen = outstanding if supplied is None else set(supplied)
        if not chosen or chosen - outstanding:
            raise DomainError(_("Choose among the materials still awaited."))
        at = now()
        application.material_checks.filter(material_id__in=chosen).update(
            status=MaterialCheck.Status.SUPPLIED
        )
        still = outstanding - chosen
        data: dict[str, Any] = {"supplied": sorted(chosen), "still_missing": sorted(still)}
        if still:
            record(case, action="supplement", user=by, from_state=case.state, data=data, at=at)
            return application
        application.notices.filter(supplied_at=None).update(supplied_at=at)
        if application.stage == Application.Stage.AWAITING_SUPPLEMENT:
            application.stage = Application.Stage.COMPLETE
            application.save()
            start_acceptance_clock(case, at=at, by=by)
        record(case, action="supplement", user=by, from_state=case.state, data=data, at=at)
        if case.state == State.SUSPENDED:
            suspended = case.events.filter(action="suspend").order_by("-at", "-id").first()
            resume_to = (suspended.data.get("resume_to") if suspended else "") or State.IN_PROGRESS
            restart = clocks.restarts_after_supplement(case=case)
            clocks.resume(case=case, at=at, by=by, restart=restart)
            case.state = resume_to
            case.save()
            record(
                case,
                action="resume",
                user=by,
                from_state=State.SUSPENDED,
                note=note,
                data={"restart": restart, "supplement": True},
                at=at,
            )
    return application
