"""web.uploads: every uploaded file is checked by size and by the type its bytes prove."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import MAX_ATTACHMENT_BYTES, check_upload, sniff_content_type


def test_a_pdf_passes_with_its_name_type_and_size() -> None:
    file = SimpleUploadedFile("报告.pdf", b"%PDF-1.7 body")
    assert check_upload(file) == ("报告.pdf", "application/pdf", 13)
    assert sniff_content_type(SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n..")) == "image/png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"%PDF" + b"0" * MAX_ATTACHMENT_BYTES, "larger than 10 MB"),
        (b"MZ\x90\x00 an executable", "is not a PDF, PNG, JPEG"),
    ],
)
def test_empty_large_and_unknown_files_are_refused(content: bytes, message: str) -> None:
    with translation.override("en"), pytest.raises(DomainError, match=message):
        check_upload(SimpleUploadedFile("file.pdf", content))
