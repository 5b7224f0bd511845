"""Bulletin pages: office list, draft, approve, publish, files; the public list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xiaoneng.assessment import bulletins as service
from xiaoneng.assessment.bulletin_text import bulletin_blocks, numbered_sentences
from xiaoneng.assessment.forms import BulletinForm, default_period
from xiaoneng.assessment.links import LinkedPart, cards_url, counted_url, linked_sentence
from xiaoneng.assessment.models import Bulletin
from xiaoneng.assessment.selectors import Period, card_counts, scorecard
from xiaoneng.audit.services import log_action
from xiaoneng.documents.content import chinese_date
from xiaoneng.errors import DomainError
from xiaoneng.web.permissions import role_required

BOARD_ROLES = ("leader", "efficiency_office")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@role_required(*BOARD_ROLES)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    period = default_period()
    form = BulletinForm(initial={"date_from": period.start, "date_to": period.end})
    rows = Bulletin.objects.order_by("-period_to", "-id")[:100]
    return render(request, "assessment/bulletin_list.html", {"rows": rows, "form": form})


@require_POST
@role_required("efficiency_office")
def bulletin_create(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST)
    if form.is_valid():
        try:
            bulletin = service.bulletin_create(
                by=request.user,
                period_from=form.cleaned_data["date_from"],
                period_to=form.cleaned_data["date_to"],
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("assessment:bulletin_detail", pk=bulletin.pk)
    rows = Bulletin.objects.order_by("-period_to", "-id")[:100]
    return render(
        request, "assessment/bulletin_list.html", {"rows": rows, "form": form}, status=400
    )


DRAFT_COUNTS = [
    ("received", _("Received")),
    ("dispatched", _("Dispatched")),
    ("signed_on_time", _("Signed for on time")),
    ("replied", _("Replied")),
    ("replied_on_time", _("Replied on time")),
    ("rated", _("Rated")),
    ("satisfied_or_basically", _("Satisfied or basically satisfied")),
    ("resolved", _("Resolved")),
    ("unrated", _("Closed without a rating")),
    ("returned", _("Return requested")),
    ("reopened", _("Reopened")),
    ("repeat", _("Repeat complaint")),
]


def draft_counts(bulletin: Bulletin) -> tuple[list[tuple[Any, int, str]], bool]:
    """The draft's frozen counts, each linked to the cases it counts now, and whether the
    figures changed since the draft was made (then the draft should be recomputed)."""
    period = Period(bulletin.period_from, bulletin.period_to)
    frozen = bulletin.content.get("figures", {})
    rows = []
    for name, label in DRAFT_COUNTS:
        n = frozen.get("satisfied", 0) + frozen.get("basically", 0)
        n = n if name == "satisfied_or_basically" else frozen.get(name, 0)
        rows.append((label, n, counted_url(period, name)))
    cards = bulletin.content.get("cards", {})
    rows.append((_("Yellow cards"), cards.get("yellow", 0), cards_url(period, level="yellow")))
    rows.append((_("Red cards"), cards.get("red", 0), cards_url(period, level="red")))
    live_cards = card_counts(period)
    changed = scorecard(period).figures.as_dict() != frozen or any(
        live_cards[level] != cards.get(level, 0) for level in ("yellow", "red")
    )
    targets = bulletin.content.get("targets")
    if targets:  # the task list shows today's tasks: a changed count cannot be linked
        changed = changed or targets != service.programme_targets()
    internal = bulletin.content.get("internal")
    if internal:  # the matters' lists are today's: a changed count cannot be linked
        changed = changed or internal != service.internal_content(period)
    return rows, changed


def bulletin_lines(bulletin: Bulletin, *, live: bool) -> list[list[LinkedPart]]:
    """The bulletin as its files print it, each count of the body linked to its cases."""
    document = service.bulletin_document(bulletin)
    period = Period(bulletin.period_from, bulletin.period_to)
    blocks = bulletin_blocks(
        bulletin.content, period_from=bulletin.period_from, period_to=bulletin.period_to
    )
    head = [document.title, document.number] + (
        [f"{document.addressee}："] if document.addressee else []
    )
    foot = [document.issuer, chinese_date(document.issued_on), *document.footer]
    body = [linked_sentence(s, period, live=live) for s in numbered_sentences(blocks)]
    return [[(line, None, None)] for line in head] + body + [[(line, None, None)] for line in foot]


@role_required(*BOARD_ROLES)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, pk=pk)
    counts, changed = draft_counts(bulletin)
    return render(
        request,
        "assessment/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "lines": bulletin_lines(bulletin, live=not changed),
            "c": bulletin.content,
            "counts": counts,
            "changed": changed,
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, pk=pk)
    actions = {
        "approve": service.bulletin_approve,
        "publish": service.bulletin_publish,
        "refresh": service.bulletin_refresh,
    }
    try:
        actions[action](bulletin=bulletin, by=request.user)
    except DomainError as error:
        messages.warning(request, error.message)
    return redirect("assessment:bulletin_detail", pk=pk)


@require_POST
@role_required("leader")
def bulletin_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@require_POST
@role_required(*BOARD_ROLES)
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "publish")


@require_POST
@role_required("efficiency_office")
def bulletin_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "refresh")


def _file_response(bulletin: Bulletin, fmt: str) -> HttpResponse:
    content = service.bulletin_file(bulletin=bulletin, fmt=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"bulletin-{bulletin.period_from.isoformat()}-{bulletin.period_to.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*BOARD_ROLES)
def bulletin_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    bulletin = get_object_or_404(Bulletin, pk=pk)
    with transaction.atomic():
        log_action(
            action="assessment.bulletin_download",
            obj=bulletin,
            actor=request.user,
            summary={"format": fmt, "number": bulletin.number},
        )
    return _file_response(bulletin, fmt)


# -- public -------------------------------------------------------------------------------------


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    rows = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by("-period_to", "-id")
    return render(request, "assessment/public_list.html", {"rows": rows[:100]})


@login_not_required
def public_file(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, pk=pk, state=Bulletin.State.PUBLISHED)
    return _file_response(bulletin, "pdf")
