"""The one way a page hands out a file: an attachment with its name, bytes or a stream."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def file_download(content: bytes | IO[bytes], *, filename: str, content_type: str) -> HttpResponse:
    """An attachment named ``filename``. Bytes already in memory are sent as they are; an open
    file is streamed and closed by the response when it is done."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(  # type: ignore[assignment]
            as_attachment=True, filename=filename
        )
        return response
    return FileResponse(  # type: ignore[return-value]  # streams: not an HttpResponse subclass
        content, as_attachment=True, filename=filename, content_type=content_type
    )
