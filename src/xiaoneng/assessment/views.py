"""Office pages: dashboard, scorecard, hotspots, weights, Excel export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xiaoneng.assessment import selectors
from xiaoneng.assessment.bulletin_text import speech_content, speech_sentence
from xiaoneng.assessment.concerned import concerned_ranking
from xiaoneng.assessment.exports import dashboard_workbook
from xiaoneng.assessment.forms import PeriodForm, WeightsForm
from xiaoneng.assessment.internal_figures import internal_figures, internal_ranking
from xiaoneng.assessment.links import (
    cards_url,
    cases_url,
    count_links,
    counted_url,
    linked_sentence,
)
from xiaoneng.assessment.models import AssessmentSettings
from xiaoneng.assessment.records import (
    KINDS_COMPLAINTS,
    counted_rows,
    counted_total,
)
from xiaoneng.assessment.routing_figures import routing_figures
from xiaoneng.assessment.safety import safety_summary
from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.assessment import campaigns_summary
from xiaoneng.org.models import Unit
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.targets.assessment import targets_summary
from xiaoneng.web.charts import bar_chart
from xiaoneng.web.excel import xlsx_download
from xiaoneng.web.permissions import role_required

BOARD_ROLES = ("leader", "efficiency_office")
DASHBOARD_ROLES = (*BOARD_ROLES, "dept_head")


def _units() -> list[tuple[int, str]]:
    return [
        (unit.pk, unit.short_label)
        for unit in Unit.objects.filter(is_active=True)
        .order_by("sort_order", "id")
        .only("name", "short_name", "name_en")
    ]


def _head_department(request: HttpRequest) -> Any:
    """The department a head (without a bureau-wide role) is limited to."""
    staff = staff_for(request.user)
    department = staff.headed_departments.order_by("pk").first() if staff else None
    if department is None:
        raise PermissionDenied
    return department


def _charts(points: list[selectors.TrendPoint]) -> list[Any]:
    labels = [p.label for p in points]
    received = [(label, float(p.figures.received)) for label, p in zip(labels, points, strict=True)]
    month = _("Month")
    return [
        bar_chart(
            _("Cases received"),
            "",
            received,
            max([v for _l, v in received] + [1.0]),
            x_label=month,
            y_label=_("Number of cases"),
        ),
        bar_chart(
            _("On-time completion rate (%)"),
            "%",
            [
                (label, p.metrics.on_time_completion_rate)
                for label, p in zip(labels, points, strict=True)
            ],
            100.0,
            x_label=month,
        ),
        bar_chart(
            _("Satisfaction rate (%)"),
            "%",
            [(label, p.metrics.satisfaction_rate) for label, p in zip(labels, points, strict=True)],
            100.0,
            x_label=month,
        ),
        bar_chart(
            _("Composite score"),
            "",
            [(label, p.metrics.composite_score) for label, p in zip(labels, points, strict=True)],
            100.0,
            x_label=month,
            y_label=_("Points"),
        ),
    ]


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    roles = user_roles(request.user)
    board = bool(roles & set(BOARD_ROLES))
    form = PeriodForm(request.GET or None, units=_units() if board else [])
    period = form.period()
    department = None if board else _head_department(request)
    unit_id = form.unit_id() if board else None
    department_id = department.pk if department else None
    card = selectors.scorecard(period, unit_id=unit_id, department_id=department_id)
    scope = {"unit": unit_id, "department": department_id}
    context: dict[str, Any] = {
        "form": form,
        "period": period,
        "board": board,
        "department": department,
        "card": card,
        "overdue": selectors.open_overdue(unit_id=unit_id, department_id=department_id),
        "links": {
            **count_links(period, **scope),
            "overdue": cases_url(None, overdue="on", **scope),
            "yellow": cards_url(period, level="yellow", unit=unit_id),
            "red": cards_url(period, level="red", unit=unit_id),
        },
        "charts": _charts(
            selectors.trend(end=period.end, unit_id=unit_id, department_id=department_id)
        ),
    }
    if board:
        departments = selectors.ranking(period, by="department", unit_id=unit_id)
        units = selectors.ranking(period, by="unit", unit_id=unit_id)
        cards = selectors.card_counts(period, unit_id=unit_id)
        for row in cards["rows"]:
            row["links"] = {
                level: cards_url(period, level=level, unit=row["unit_id"])
                for level in ("yellow", "red")
            }
        context.update(
            departments=[(row, count_links(period, department=row.id)) for row in departments],
            units=[(row, count_links(period, unit=row.id)) for row in units],
            cards=cards,
            hotspots=[
                (h, selectors.unit_name(h.unit_id), *hotspot_link(h))
                for h in selectors.hotspots(period, unit_id=unit_id)
            ],
            schools=[
                (row, concerned_links(period, row))
                for row in concerned_ranking(period, unit_id=unit_id)
            ],
        )
    return context


def concerned_links(period: selectors.Period, row: Any) -> dict[str, Any]:
    """The links of a unit-concerned row: its counts, its complaints and each category."""
    return {
        **count_links(period, concerned=row.id),
        "complaints": counted_url(period, "received", concerned=row.id, kind="complaint"),
        "categories": [
            (
                name,
                n,
                counted_url(period, "received", concerned=row.id, category=category_id)
                if category_id
                else None,  # requests without a category: the list has no filter for them
            )
            for category_id, name, n in row.categories
        ],
    }


def hotspot_link(alert: Any) -> tuple[str, int]:
    """The complaints and reports received in the alert's 7 days at its unit and category, as
    the detector counted them, and how many that is now (a late registration can add one)."""
    window = selectors.Period(alert.window_end - timedelta(days=6), alert.window_end)
    scope = {"unit": alert.unit_id, "category": alert.category_id, "complaints": "on"}
    rows = counted_rows(
        "received",
        start=window.start,
        end=window.end,
        unit_id=alert.unit_id,
        kinds=KINDS_COMPLAINTS,
    ).filter(category_id=alert.category_id)
    return counted_url(window, "received", **scope), counted_total(rows, "received")


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request)
    context.update(programme_context(context))
    return render(request, "assessment/dashboard.html", context)


def internal_context(context: dict[str, Any]) -> dict[str, Any]:
    """The figures of internal matters: the head's department, or the whole bureau with the
    ranking of departments."""
    department = context["department"]
    figures = internal_figures(
        context["period"], department_id=department.pk if department else None
    )
    ranking = internal_ranking(context["period"]) if context["board"] else []
    return {"internal": figures, "internal_ranking": ranking}


def programme_context(context: dict[str, Any]) -> dict[str, Any]:
    """Target completion, campaign participation and study hours of the dashboard's scope:
    the chosen unit, the head's unit, or everything."""
    unit_id = context["form"].unit_id() if context["board"] else None
    if context["department"] is not None:
        unit_id = context["department"].unit_id
    unit_ids = [unit_id] if unit_id else None
    return {
        "campaigns_summary": campaigns_summary(unit_ids=unit_ids),
        "targets_summary": targets_summary(year=context["period"].end.year, unit_ids=unit_ids),
        **internal_context(context),
        # The suggested lead department: for the bureau-wide readers, who dispatch and judge it.
        "routing": (
            routing_figures(context["period"], unit_id=unit_id) if context["board"] else None
        ),
        # Campus safety: for the bureau-wide readers (the leaders and the efficiency office).
        "safety_summary": (
            safety_summary(today=timezone.localdate(), unit_ids=unit_ids)
            if context["board"]
            else None
        ),
    }


@role_required(*DASHBOARD_ROLES)
def dashboard_export(request: HttpRequest) -> HttpResponse:
    return export_with_reason(
        request,
        kind="assessment",
        roles=DASHBOARD_ROLES,
        title=gettext("Export the assessment to Excel"),
        back="assessment:dashboard",
        produce=lambda reason: _dashboard_file(request, reason),
    )


def _dashboard_file(request: HttpRequest, reason: str) -> HttpResponse:
    context = dashboard_context(request)
    content = dashboard_workbook(context, user=request.user, at=timezone.now())
    period = context["period"]
    return xlsx_download(
        request,
        content=content,
        kind="assessment",
        reason=reason,
        rows=len(context.get("departments", ())) + len(context.get("units", ())),
        filters={"from": period.start.isoformat(), "to": period.end.isoformat()},
        filename=f"assessment-{period.start.isoformat()}-{period.end.isoformat()}.xlsx",
    )


@role_required(*BOARD_ROLES)
def scorecard(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, units=_units())
    period = form.period()
    unit_id = form.unit_id()
    speech = selectors.speech_scorecard(period, unit_id=unit_id)
    line = linked_sentence(speech_sentence(speech_content(speech), unit=unit_id), period)
    links = {
        "hotline": count_links(period, channel="hotline", unit=unit_id),
        "office": count_links(period, channel="efficiency_office", unit=unit_id),
    }
    return render(
        request,
        "assessment/scorecard.html",
        {"form": form, "period": period, "speech": speech, "line": line, "links": links},
    )


@role_required(*BOARD_ROLES)
def hotspots(request: HttpRequest) -> HttpResponse:
    from xiaoneng.assessment.models import HotspotAlert

    alerts = HotspotAlert.objects.select_related("category").order_by("-created_at", "-id")[:200]
    names = dict(_units())
    rows = [(alert, names.get(alert.unit_id, ""), *hotspot_link(alert)) for alert in alerts]
    return render(request, "assessment/hotspots.html", {"rows": rows})


@role_required("efficiency_office")
def weights(request: HttpRequest) -> HttpResponse:
    instance, _created = AssessmentSettings.objects.get_or_create(pk=1)
    form = WeightsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            log_action(
                action="assessment.weights",
                obj=saved,
                actor=request.user,
                summary={
                    "response": saved.weight_response,
                    "resolution": saved.weight_resolution,
                    "satisfaction": saved.weight_satisfaction,
                    "evaluation": saved.weight_evaluation,
                },
            )
        messages.success(request, _("Weights saved."))
        return redirect("assessment:weights")
    return render(request, "assessment/weights.html", {"form": form})
