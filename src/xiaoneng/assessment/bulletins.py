"""Bulletins (通报): a period's figures frozen as a draft, approved by a leader, published.

The text of the bulletin is Chinese by design, like every official document; it carries no
personal data (figures, units, departments, kinds of violation and measures only), because the
published PDF is public on the portal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.concerned import concerned_ranking
from xiaoneng.assessment.models import Bulletin
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
from xiaoneng.cases.permissions import staff_for
from xiaoneng.documents.content import OfficialDocument, chinese_date
from xiaoneng.documents.docx import render_docx
from xiaoneng.documents.numbering import _locked_counter
from xiaoneng.documents.pdf import render_pdf
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.targets.assessment import targets_bulletin_line

KIND = "bulletin"
PREFIX = "效通"
ISSUER = "市教育局机关效能建设领导小组办公室"
ADDRESSEE = "局机关各科室、各直属学校"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def bulletin_content(period: Period) -> dict[str, Any]:
    """The figures of the period, as frozen into a bulletin (JSON-serialisable)."""
    card = scorecard(period)
    speech = speech_scorecard(period)
    cards = card_counts(period)

    def rank_rows(by: str) -> list[dict[str, Any]]:
        return [
            {
                "rank": row.rank,
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
        "speech": {
            "hotline_received": speech.hotline.received,
            "hotline_handled": speech.hotline.handled,
            "office_received": speech.efficiency_office.received,
            "office_handled": speech.efficiency_office.handled,
            "on_time_share": speech.on_time_share,
            "satisfaction_rate": speech.satisfaction_rate,
        },
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
                "category": h.category.name,
                "count": h.count,
                "window_end": h.window_end.isoformat(),
            }
            for h in hotspots(period)
        ],
        "programme": programme_lines(),
    }


def concerned_rows(period: Period) -> list[dict[str, Any]]:
    """The requests about each unit (涉及单位), most complaints first (concerned.py)."""
    return [
        {
            "rank": row.rank,
            "name": row.name,
            "received": row.figures.received,
            "complaints": row.complaints,
            "per_thousand": row.per_thousand,
            "repeat": row.figures.repeat,
            "categories": [[name, n] for _id, name, n in row.categories],
            "on_time_completion_rate": row.metrics.on_time_completion_rate,
            "satisfaction_rate": row.metrics.satisfaction_rate,
        }
        for row in concerned_ranking(period)
    ]


def _concerned_line(r: dict[str, Any]) -> str:
    per = "" if r["per_thousand"] is None else f"（每千名学生{r['per_thousand']:g}件）"
    categories = "、".join(f"{name}{n}件" for name, n in r["categories"])
    return (
        f"{r['name']}：被反映{r['received']}件，其中投诉{r['complaints']}件{per}，"
        f"重复投诉{r['repeat']}件；{categories or '—'}；"
        f"按时办结率{_pct(r['on_time_completion_rate'])}，满意率{_pct(r['satisfaction_rate'])}"
    )


def programme_lines() -> list[str]:
    """The efficiency programme beyond cases: this year's targets, campaigns and study."""
    return [targets_bulletin_line(year=timezone.localdate().year), campaigns_bulletin_line()]


def speech_line(content: dict[str, Any]) -> str:
    s = content["speech"]
    return (
        f"本期共办理市长热线交办事项{s['hotline_received']}件（办结{s['hotline_handled']}件）、"
        f"市效能办交办事项{s['office_received']}件（办结{s['office_handled']}件），"
        f"规定时限内办结率{_pct(s['on_time_share'])}，满意率{_pct(s['satisfaction_rate'])}。"
    )


def _require(user: Any, *roles: Role) -> None:
    if not user_roles(user) & set(roles):
        raise PermissionDenied(_("Your role does not allow this action."))


def bulletin_create(*, by: Any, period_from: date, period_to: date, title: str = "") -> Bulletin:
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


def bulletin_refresh(*, bulletin: Bulletin, by: Any) -> Bulletin:
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


def bulletin_approve(*, bulletin: Bulletin, by: Any) -> Bulletin:
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


def bulletin_publish(*, bulletin: Bulletin, by: Any) -> Bulletin:
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
    c = bulletin.content
    f, m = c["figures"], c["metrics"]
    body: list[str | list[str]] = [
        f"现将{chinese_date(bulletin.period_from)}至{chinese_date(bulletin.period_to)}"
        "全市教育系统行政效能情况通报如下。",
        "一、总体情况",
        speech_line(c),
        (
            f"本期受理{f['received']}件，交办{f['dispatched']}件，办结{f['replied']}件；"
            f"按时签收率{_pct(m['on_time_sign_for_rate'])}，"
            f"按时办结率{_pct(m['on_time_completion_rate'])}，"
            f"满意率{_pct(m['satisfaction_rate'])}（未评价{f['unrated']}件），"
            f"解决率{_pct(m['resolution_rate'])}，退单率{_pct(m['return_rate'])}，"
            f"重办率{_pct(m['reopen_rate'])}，重复投诉率{_pct(m['repeat_complaint_rate'])}，"
            f"综合得分{_score(m['composite_score'])}。"
        ),
        "二、单位排名（按综合得分）",
        [
            f"{r['name']}：综合得分{_score(r['composite_score'])}，"
            f"受理{r['received']}件，按时办结率{_pct(r['on_time_completion_rate'])}，"
            f"满意率{_pct(r['satisfaction_rate'])}"
            for r in c["units"]
        ]
        or "本期无数据。",
    ]
    if "schools" in c:  # Bulletins frozen before the figures by unit concerned have none.
        body += [
            "按涉及单位（诉求所反映的学校和单位）：",
            [_concerned_line(r) for r in c["schools"]] or "本期无涉及单位的诉求。",
        ]
    body += [
        "三、科室排名（按综合得分）",
        [
            f"{r['name']}：综合得分{_score(r['composite_score'])}，"
            f"办结{r['replied']}件，按时办结率{_pct(r['on_time_completion_rate'])}"
            for r in c["departments"]
        ]
        or "本期无数据。",
        "四、黄牌、红牌",
        f"本期亮黄牌{c['cards']['yellow']}张、红牌{c['cards']['red']}张（已撤销的不计）。",
        "五、效能问题及处理",
        [f"{v['department']}：{v['kind']}（{v['date']}）" for v in c["violations"]]
        or "本期无经确认的效能问题。",
        [f"{s['department']}：{s['measure']}（{s['violation']}）" for s in c["sanctions"]]
        or "本期无作出的处理决定。",
        "六、热点、难点、急点",
        [f"{h['unit']}：{h['category']}，7日内{h['count']}件" for h in c["hotspots"]]
        or "本期无热点预警。",
    ]
    if c.get("programme"):  # Bulletins frozen before this section existed have none.
        body += ["七、目标任务与学习讨论", list(c["programme"])]
    return OfficialDocument(
        kind=KIND,
        title="效能建设情况通报",
        number=bulletin.number or "（草稿）",
        addressee=ADDRESSEE,
        body=body,
        issuer=ISSUER,
        issued_on=timezone.localtime(bulletin.approved_at).date()
        if bulletin.approved_at
        else timezone.localdate(),
    )


def bulletin_file(*, bulletin: Bulletin, fmt: str) -> bytes:
    document = bulletin_document(bulletin)
    return render_pdf(document) if fmt == "pdf" else render_docx(document)
