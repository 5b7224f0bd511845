"""What the application pages read."""

from __future__ import annotations

from django.utils.translation import gettext

from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications.models import OneTimeNotice
from xiaoneng.cases.documents import case_page_documents
from xiaoneng.cases.models import Case
from xiaoneng.documents.content import Kind
from xiaoneng.documents.selectors import DocumentLink, document_link


def case_documents(*, case: Case) -> list[DocumentLink]:
    """Receipt, one-time notices, refusal decisions, reminders and rectification notices."""
    receipt, *signals = case_page_documents(case=case)
    links = [receipt]
    notices = OneTimeNotice.objects.filter(application__case=case).order_by("sequence")
    for notice in notices:
        title = "" if notice.sequence == 1 else gettext("Further notice of missing materials")
        links.append(document_link(Kind.ONE_TIME_NOTICE, "notice", notice.pk, title))
    filings = DenialFiling.objects.filter(case=case).exclude(kind=DenialFiling.Kind.OVERDUE)
    for filing in filings.order_by("filed_at", "id"):
        kind = (
            Kind.NOT_ACCEPTED
            if filing.kind == DenialFiling.Kind.NOT_ACCEPTED
            else Kind.NOT_APPROVED
        )
        links.append(document_link(kind, "denial_decision", filing.pk))
    return [*links, *signals]
