"""Evaluation rounds: created by the efficiency office, opened, closed, approved by a leader."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.evaluation.models import Panel, PanelCount, QuestionnaireVersion, Round, RoundUnit
from xiaoneng.evaluation.services._common import require_role
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.roles import Role

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def round_create(
    *,
    by: User,
    title: str,
    version: QuestionnaireVersion,
    period_from: date,
    period_to: date,
    departments: list[Department],
    schools: list[Unit],
    named_panels: list[str] | None = None,
    sample_size: int = 10,
    min_answers: int = 5,
    public_open: bool = True,
    link_days: int = 14,
) -> Round:
    """A round over the departments and schools named, with the service-recipient panel, the
    named panels and (when ``public_open``) the public."""
    staff = require_role(by, Role.EFFICIENCY_OFFICE)
    if not title.strip():
        raise DomainError(_("The round needs a title."))
    if period_to < period_from:
        raise DomainError(_("The end of the period is before its start."))
    if not departments and not schools:
        raise DomainError(_("Name at least one department or school to evaluate."))
    if not 1 <= sample_size <= 500 or not 2 <= min_answers <= 1000 or not 1 <= link_days <= 90:
        raise DomainError(_("The sample size, threshold or link validity is out of range."))
    if any(s.kind != Unit.Kind.SCHOOL for s in schools):
        raise DomainError(_("Only schools can be evaluated as units."))
    with transaction.atomic():
        round_ = Round.objects.create(
            title=title.strip(),
            version=version,
            period_from=period_from,
            period_to=period_to,
            sample_size=sample_size,
            min_answers=min_answers,
            public_open=public_open,
            link_days=link_days,
            created_by=staff,
            created_at=timezone.now(),
        )
        units = [RoundUnit(round=round_, department=d, name=d.name) for d in departments]
        units += [RoundUnit(round=round_, unit=s, name=s.name) for s in schools]
        RoundUnit.objects.bulk_create(units)
        panels = [
            Panel(round=round_, kind=Panel.Kind.RECIPIENTS, name=str(_("Service recipients")))
        ]
        panels += [
            Panel(round=round_, kind=Panel.Kind.NAMED, name=name.strip()[:80])
            for name in dict.fromkeys(named_panels or [])
            if name.strip()
        ]
        if public_open:
            panels.append(Panel(round=round_, kind=Panel.Kind.PUBLIC, name=str(_("The public"))))
        Panel.objects.bulk_create(panels)
        saved_units = list(round_.units.all())
        PanelCount.objects.bulk_create(
            PanelCount(panel=p, round_unit=u) for p in round_.panels.all() for u in saved_units
        )
        log_action(
            action="evaluation.round_create",
            obj=round_,
            actor=by,
            summary={"units": [u.name for u in saved_units], "panels": [p.name for p in panels]},
        )
    return round_


def _locked(round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk)


def round_open(*, by: User, round_: Round) -> Round:
    require_role(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        round_ = _locked(round_)
        if round_.state == Round.State.OPEN:
            return round_
        if round_.state != Round.State.DRAFT:
            raise DomainError(_("Only a draft round can be opened."))
        round_.state, round_.opened_at = Round.State.OPEN, timezone.now()
        round_.save(update_fields=["state", "opened_at"])
        log_action(action="evaluation.round_open", obj=round_, actor=by, summary={})
    return round_


def round_close(*, by: User, round_: Round) -> Round:
    require_role(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        round_ = _locked(round_)
        if round_.state == Round.State.CLOSED:
            return round_
        if round_.state != Round.State.OPEN:
            raise DomainError(_("Only an open round can be closed."))
        round_.state, round_.closed_at = Round.State.CLOSED, timezone.now()
        round_.save(update_fields=["state", "closed_at"])
        log_action(action="evaluation.round_close", obj=round_, actor=by, summary={})
    return round_


def round_approve(*, by: User, round_: Round) -> Round:
    """A leader approves the closed round's results: they count in the assessment composite
    and are published on the portal."""
    staff = require_role(by, Role.LEADER)
    with transaction.atomic():
        round_ = _locked(round_)
        if round_.state == Round.State.APPROVED:
            return round_
        if round_.state != Round.State.CLOSED:
            raise DomainError(_("Only a closed round's results can be approved."))
        round_.state = Round.State.APPROVED
        round_.approved_by, round_.approved_at = staff, timezone.now()
        round_.save(update_fields=["state", "approved_by", "approved_at"])
        log_action(action="evaluation.round_approve", obj=round_, actor=by, summary={})
    return round_
