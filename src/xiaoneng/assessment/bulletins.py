"""Bulletins (通报): a period's figures frozen as a draft, approved by a leader, published.

The text of the bulletin is Chinese by design, like every official document; it carries no
personal data (figures, units, departments, kinds of violation and measures only), because the
published PDF is public on the portal.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.bulletin_text import bulletin_blocks, plain_body, speech_content
from xiaoneng.assessment.concerned import concerned_ranking
from xiaoneng.assessment.internal_figures import internal_content
from xiaoneng.assessment.models import Bulletin
from xiaoneng.assessment.safety import safety_bulletin_line
from xiaoneng.assessment.selectors import (
    Period,
    card_counts,
    confirmed_violations,
    decided_sanctions,
    hotspots,
    ranking,
    scorecard,
    speech_scorecard,
    unit_name,
)
from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.assessment import campaigns_bulletin_line
from xiaoneng.documents.content import OfficialDocument, chinese_date
from xiaoneng.documents.files import document_file
from xiaoneng.documents.numbering import _locked_counter
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.evaluation.selectors import approved_rounds, published_typical, round_ranking
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.targets.assessment import targets_bulletin_line

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

KIND = "bulletin"
PREFIX = "效通"
ISSUER = "市教育局机关效能建设领导小组办公室"
ADDRESSEE = "局机关各科室、各直属学校"


def bulletin_content(period: Period) -> dict[str, Any]:
    """The figures of the period, as frozen into a bulletin (JSON-serialisable), with the
    names of units, departments and categories in Chinese whoever drafts it: the bulletin is
    an official Chinese document (the office page marks its text as Chinese)."""
    with translation.override("zh-hans"):
        return _content(period)


def _content(period: Period) -> dict[str, Any]:
    card = scorecard(period)
    speech = speech_scorecard(period)
    cards = card_counts(period)

    def rank_rows(by: str) -> list[dict[str, Any]]:
        return [
            {
                "rank": row.rank,
                "id": row.id,
                "name": row.name,
                "received": row.figures.received,
                "replied": row.figures.replied,
                "on_time_completion_rate": row.metrics.on_time_completion_rate,
                "satisfaction_rate": row.metrics.satisfaction_rate,
                "composite_score": row.metrics.composite_score,
            }
            for row in ranking(period, by=by)
        ]

    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": card.figures.as_dict(),
        "metrics": card.metrics.__dict__,
        "speech": speech_content(speech),
        "units": rank_rows("unit"),
        "schools": concerned_rows(period),
        "departments": rank_rows("department"),
        "cards": {"yellow": cards["yellow"], "red": cards["red"], "rows": cards["rows"]},
        "violations": [
            {
                "kind": str(v.get_kind_display()),
                "department": v.department.name if v.department else unit_name(v.unit_id),
                "date": timezone.localtime(v.created_at).date().isoformat(),
            }
            for v in confirmed_violations(period)
        ],
        "sanctions": [
            {
                "measure": str(s.get_measure_display()),
                "department": s.staff.department.name if s.staff.department else "",
                "violation": str(s.violation.get_kind_display()),
            }
            for s in decided_sanctions(period)
        ],
        "hotspots": [
            {
                "unit": unit_name(h.unit_id),
                "unit_id": h.unit_id,
                "category": h.category.name,
                "category_id": h.category_id,
                "count": h.count,
                "window_end": h.window_end.isoformat(),
            }
            for h in hotspots(period)
        ],
        "programme": programme_lines(),
        "targets": programme_targets(),
        "evaluation": evaluation_rows(period),
        "typical_cases": typical_rows(period),
        "internal": internal_content(period),
        "safety": [safety_bulletin_line(today=min(period.end, timezone.localdate()))],
    }


def evaluation_rows(period: Period) -> list[dict[str, Any]]:
    """The rounds approved in the period, each unit with its composite (evaluation app)."""
    return [
        {
            "title": round_.title,
            "units": [
                {
                    "rank": r.rank,
                    "name": r.result.round_unit.name,
                    "score": r.result.composite,
                    "responses": r.result.responses,
                }
                for r in round_ranking(round_)
            ],
        }
        for round_ in approved_rounds(period.start, period.end)
    ]


def typical_rows(period: Period) -> list[dict[str, Any]]:
    """The typical cases and good practices published on the portal in the period (their
    published text: personal data already removed, the unit only where it is named)."""
    return [
        {
            "kind": t.kind,
            "title": t.title,
            "unit": t.unit_named,
            "facts": t.facts,
            "handling": t.handling,
            "lesson": t.lesson,
        }
        for t in published_typical(period.start, period.end)
    ]


def concerned_rows(period: Period) -> list[dict[str, Any]]:
    """The requests about each unit (涉及单位), most complaints first (concerned.py)."""
    return [
        {
            "rank": row.rank,
            "id": row.id,
            "name": row.name,
            "received": row.figures.received,
            "complaints": row.complaints,
            "per_thousand": row.per_thousand,
            "repeat": row.figures.repeat,
            "categories": [[name, n, category_id] for category_id, name, n in row.categories],
            "on_time_completion_rate": row.metrics.on_time_completion_rate,
            "satisfaction_rate": row.metrics.satisfaction_rate,
        }
        for row in concerned_ranking(period)
    ]


def programme_targets() -> dict[str, Any]:
    """This year's target tasks as the bulletin counts them (linked to the task list)."""
    from xiaoneng.targets.assessment import targets_summary  # feature beside feature, one way

    return targets_summary(year=timezone.localdate().year, unit_ids=None)


def programme_lines() -> list[str]:
    """The efficiency programme beyond cases: this year's targets, campaigns and study."""
    return [targets_bulletin_line(year=timezone.localdate().year), campaigns_bulletin_line()]


def _require(user: User, *roles: Role) -> None:
    if not user_roles(user) & set(roles):
        raise PermissionDenied(_("Your role does not allow this action."))


def bulletin_create(*, by: User, period_from: date, period_to: date, title: str = "") -> Bulletin:
    _require(by, Role.EFFICIENCY_OFFICE)
    if period_to < period_from:
        raise DomainError(_("The end of the period is before its start."))
    period = Period(period_from, period_to)
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            title=title.strip()
            or f"效能建设情况通报（{chinese_date(period_from)}至{chinese_date(period_to)}）",
            period_from=period_from,
            period_to=period_to,
            content=bulletin_content(period),
            created_by=staff_for(by),
            created_at=timezone.now(),
        )
        log_action(
            action="assessment.bulletin_create",
            obj=bulletin,
            actor=by,
            summary={"from": period_from.isoformat(), "to": period_to.isoformat()},
        )
    return bulletin


def bulletin_refresh(*, bulletin: Bulletin, by: User) -> Bulletin:
    """Recompute a draft's figures (a draft only: what a leader approved stays as approved)."""
    _require(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.state != Bulletin.State.DRAFT:
            raise DomainError(_("Only a draft bulletin can be recomputed."))
        bulletin.content = bulletin_content(Period(bulletin.period_from, bulletin.period_to))
        bulletin.save(update_fields=["content"])
        log_action(action="assessment.bulletin_refresh", obj=bulletin, actor=by, summary={})
    return bulletin


def bulletin_approve(*, bulletin: Bulletin, by: User) -> Bulletin:
    _require(by, Role.LEADER)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.state == Bulletin.State.APPROVED:
            return bulletin
        if bulletin.state != Bulletin.State.DRAFT:
            raise DomainError(_("Only a draft bulletin can be approved."))
        now = timezone.now()
        year = timezone.localtime(now).year
        counter = _locked_counter(KIND, year)
        counter.value += 1
        counter.save(update_fields=["value"])
        bulletin.number = f"{PREFIX}〔{year}〕{counter.value}号"
        bulletin.state = Bulletin.State.APPROVED
        bulletin.approved_by, bulletin.approved_at = staff_for(by), now
        bulletin.save()
        log_action(
            action="assessment.bulletin_approve",
            obj=bulletin,
            actor=by,
            summary={"number": bulletin.number},
        )
    return bulletin


def bulletin_publish(*, bulletin: Bulletin, by: User) -> Bulletin:
    _require(by, Role.EFFICIENCY_OFFICE, Role.LEADER)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.state == Bulletin.State.PUBLISHED:
            return bulletin
        if bulletin.state != Bulletin.State.APPROVED:
            raise DomainError(_("A bulletin must be approved by a leader before it is published."))
        bulletin.state, bulletin.published_at = Bulletin.State.PUBLISHED, timezone.now()
        bulletin.save()
        log_action(
            action="assessment.bulletin_publish",
            obj=bulletin,
            actor=by,
            summary={"number": bulletin.number},
        )
    return bulletin


def bulletin_document(bulletin: Bulletin) -> OfficialDocument:
    blocks = bulletin_blocks(
        bulletin.content, period_from=bulletin.period_from, period_to=bulletin.period_to
    )
    return OfficialDocument(
        kind=KIND,
        title="效能建设情况通报",
        number=bulletin.number or "（草稿）",
        addressee=ADDRESSEE,
        body=plain_body(blocks),
        issuer=ISSUER,
        issued_on=timezone.localtime(bulletin.approved_at).date()
        if bulletin.approved_at
        else timezone.localdate(),
    )


def bulletin_file(*, bulletin: Bulletin, fmt: str) -> bytes:
    document = bulletin_document(bulletin)
    return document_file(document, fmt="pdf" if fmt == "pdf" else "docx")
