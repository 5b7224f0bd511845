"""Producing a document file: number it (once), lay it out, and audit the download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Model

from xiaoneng.audit.services import log_action
from xiaoneng.documents.content import TITLES, OfficialDocument
from xiaoneng.documents.files import FORMATS, document_file
from xiaoneng.documents.numbering import document_number

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    content_type: str
    filename: str
    number: str


def document_render(
    *,
    kind: str,
    obj: Model,
    build: Callable[..., OfficialDocument],
    fmt: str,
    by: Actor,
    case_number: str = "",
    unit_id: int | None = None,
) -> RenderedDocument:
    """Number the document about ``obj`` (the first time), build and lay it out, and write the
    audit row of the download, all in one transaction."""
    content_type = FORMATS[fmt]
    with transaction.atomic():
        issued = document_number(kind=kind, obj=obj)
        document = build(obj, number=issued.number)
        content = document_file(document, fmt=fmt)
        log_action(
            action="documents.download",
            obj=obj,
            actor=by,
            unit_id=unit_id,
            summary={
                "document": kind,
                "number": issued.number,
                "format": fmt,
                "case": case_number,
            },
        )
    name = f"{case_number or issued.number}-{TITLES.get(document.kind, kind)}.{fmt}"
    return RenderedDocument(
        content=content, content_type=content_type, filename=name, number=issued.number
    )
