"""Sanction documents: 效能告诫书 (warning) and 通报批评 (criticism), built from a sanction with the
generators of ``documents.content``. Nothing of a conduct complaint's complainant goes in: the
facts are the violation's description (for a conduct complaint, the finding text only)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation

from xiaoneng.accountability.models import Sanction
from xiaoneng.documents.content import (
    CriticismData,
    EfficiencyWarningData,
    Kind,
    OfficialDocument,
    criticism_document,
    efficiency_warning_document,
)
from xiaoneng.org.models import Unit

BASIS = "《机关效能建设若干规定》"


def _issuer() -> str:
    bureau = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    return f"{bureau.name if bureau else ''}机关效能建设办公室"


def _facts(sanction: Sanction) -> str:
    # A 公文 is in Chinese: a description the system wrote is rendered in the office's language.
    with translation.override(settings.LANGUAGE_CODE):
        text = sanction.violation.description_label.strip()
    return text if text.endswith(("。", ".")) else f"{text}。"


def _requirement(sanction: Sanction) -> str:
    return "严格遵守效能建设各项制度，限期整改，并将整改情况书面报告效能办。"


def warning_document(sanction: Sanction, *, number: str) -> OfficialDocument:
    return efficiency_warning_document(
        EfficiencyWarningData(
            number=number,
            person=sanction.staff.name,
            unit=sanction.staff.unit.name,
            facts=_facts(sanction),
            basis=BASIS,
            requirement=_requirement(sanction),
            issuer=_issuer(),
            issued_on=timezone.localdate(sanction.decided_at),
        )
    )


def criticism_doc(sanction: Sanction, *, number: str) -> OfficialDocument:
    return criticism_document(
        CriticismData(
            number=number,
            person=sanction.staff.name,
            unit=sanction.staff.unit.name,
            facts=_facts(sanction),
            basis=BASIS,
            requirement=_requirement(sanction),
            issuer=_issuer(),
            issued_on=timezone.localdate(sanction.decided_at),
        )
    )


# The measures that come with a document, and how each is built.
SANCTION_DOCUMENTS: dict[str, tuple[str, Callable[..., OfficialDocument]]] = {
    Sanction.Measure.WARNING: (Kind.WARNING, warning_document),
    Sanction.Measure.CRITICISM: (Kind.CRITICISM, criticism_doc),
}
