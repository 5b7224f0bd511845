"""web.files: an attachment from bytes or from an open file."""

from __future__ import annotations

import io

from xiaoneng.web.files import file_download


def test_bytes_are_sent_whole_with_their_name() -> None:
    response = file_download(b"abc", filename="report 1.pdf", content_type="application/pdf")
    assert response.content == b"abc"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report 1.pdf"'


def test_an_open_file_is_streamed() -> None:
    response = file_download(io.BytesIO(b"xyz"), filename="数据.csv", content_type="text/csv")
    assert b"".join(response.streaming_content) == b"xyz"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%95%B0%E6%8D%AE.csv"
