"""Document downloads, PDF or DOCX: ``document_download`` numbers, renders and audits one for
the view of the app that owns the document (cases, applications, supervision, …). The owning
view fetches the object and checks the reader's scope first."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from xiaoneng.documents.content import OfficialDocument
from xiaoneng.documents.services import FORMATS, RenderedDocument, document_render


def _respond(rendered: RenderedDocument) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_download(
    request: HttpRequest,
    *,
    kind: str,
    obj: Model,
    build: Callable[..., OfficialDocument],
    fmt: str,
    case_number: str = "",
    unit_id: int | None = None,
) -> HttpResponse:
    """The file of the document ``build`` makes from ``obj``, numbered once and its download
    audited (``documents.services.document_render``); 404 for a format other than PDF or DOCX."""
    if fmt not in FORMATS:
        raise Http404
    return _respond(
        document_render(
            kind=kind,
            obj=obj,
            build=build,
            fmt=fmt,
            by=request.user,
            case_number=case_number,
            unit_id=unit_id,
        )
    )
