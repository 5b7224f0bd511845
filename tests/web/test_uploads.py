"""web.uploads: every uploaded file is checked by size and by the type its bytes prove."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from xiaoneng.errors import DomainError
from xiaoneng.web.uploads import (
    MAX_ATTACHMENT_BYTES,
    PICTURE_OR_PDF,
    STAFF_CONTENT_TYPES,
    check_upload,
    safe_file_name,
    sniff_content_type,
    sniff_file_kind,
)


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


WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 "


def test_one_sniffer_knows_every_kind_with_its_extension() -> None:
    assert sniff_file_kind(SimpleUploadedFile("a", b"%PDF-1.7")) == ("application/pdf", "pdf")
    assert sniff_file_kind(SimpleUploadedFile("a", b"\xff\xd8\xff\xe0")) == ("image/jpeg", "jpg")
    assert sniff_file_kind(SimpleUploadedFile("a", WEBP)) == ("image/webp", "webp")
    assert sniff_file_kind(SimpleUploadedFile("a", b"PK\x03\x04 not a zip")) is None
    assert sniff_file_kind(SimpleUploadedFile("a", b"GIF89a")) is None


def test_staff_uploads_do_not_take_webp_and_the_portal_does_not_take_office_files() -> None:
    assert sniff_content_type(SimpleUploadedFile("photo.webp", WEBP)) is None
    assert "image/webp" in PICTURE_OR_PDF
    assert not PICTURE_OR_PDF & {t for t in STAFF_CONTENT_TYPES if "officedocument" in t}


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("C:\\Users\\张三\\证明.pdf", "证明.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a<b>:"c|?*.png', "abc.png"),
        ("\x00\x1f", "file"),
        ("长" * 300 + ".pdf", "长" * 100),
    ],
)
def test_file_names_keep_only_their_last_printable_part(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe
