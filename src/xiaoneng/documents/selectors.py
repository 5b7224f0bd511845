"""The documents a case has, as links for the case page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xiaoneng.accountability.filings import DenialFiling
from xiaoneng.cases.applications import OneTimeNotice
from xiaoneng.cases.models import Case, Signal
from xiaoneng.documents.content import TITLES, Kind


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    title: str
    pdf_url: str
    docx_url: str


def _link(kind: str, name: str, pk: int, title: str = "") -> DocumentLink:
    return DocumentLink(
        kind=kind,
        title=title or TITLES[kind],
        pdf_url=reverse(f"documents:{name}", args=[pk, "pdf"]),
        docx_url=reverse(f"documents:{name}", args=[pk, "docx"]),
    )


def case_page_documents(*, case: Case) -> list[DocumentLink]:
    """The documents the case page links: the receipt and one per yellow or red card, in one
    query. Notices and refusal decisions of an application are on the application's page."""
    links = [_link(Kind.RECEIPT, "case_receipt", case.pk)]
    signals = Signal.objects.filter(
        case=case, revoked=False, level__in=[Signal.Level.YELLOW, Signal.Level.RED]
    ).order_by("raised_at", "id")
    for pk, level in signals.values_list("pk", "level"):
        if level == Signal.Level.YELLOW:
            links.append(_link(Kind.REMINDER, "signal_reminder", pk))
        else:
            links.append(_link(Kind.RECTIFICATION, "signal_rectification", pk))
    return links


def case_documents(*, case: Case) -> list[DocumentLink]:
    """Receipt, one-time notices, refusal decisions, reminders and rectification notices."""
    links = [_link(Kind.RECEIPT, "case_receipt", case.pk)]
    notices = OneTimeNotice.objects.filter(application__case=case).order_by("sequence")
    for notice in notices:
        title = TITLES[Kind.ONE_TIME_NOTICE] if notice.sequence == 1 else "补正材料告知书（补充）"
        links.append(_link(Kind.ONE_TIME_NOTICE, "notice", notice.pk, title))
    filings = DenialFiling.objects.filter(case=case).exclude(kind=DenialFiling.Kind.OVERDUE)
    for filing in filings.order_by("filed_at", "id"):
        kind = (
            Kind.NOT_ACCEPTED
            if filing.kind == DenialFiling.Kind.NOT_ACCEPTED
            else Kind.NOT_APPROVED
        )
        links.append(_link(kind, "denial_decision", filing.pk))
    signals = Signal.objects.filter(case=case, revoked=False).order_by("raised_at", "id")
    for signal in signals:
        if signal.level == Signal.Level.YELLOW:
            links.append(_link(Kind.REMINDER, "signal_reminder", signal.pk))
        elif signal.level == Signal.Level.RED:
            links.append(_link(Kind.RECTIFICATION, "signal_rectification", signal.pk))
    return links
