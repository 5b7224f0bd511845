"""Removing personal data from free text before it is published."""

from __future__ import annotations

import re
from collections.abc import Iterable

# ID numbers, phone numbers (mobile, landline with area code), e-mail addresses.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8})(?!\d)"
)
_LONG_DIGITS = re.compile(r"\d{7,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

MASK = "***"


def redact(text: str, names: Iterable[str] = (), *, patterns: bool = True) -> str:
    """The text with the given names (or other known values) masked and, with ``patterns``,
    every ID number, phone number and e-mail address as well."""
    if not text:
        return ""
    if patterns:
        text = _ID_NUMBER.sub(MASK, text)
        text = _EMAIL.sub(MASK, text)
        text = _PHONE.sub(MASK, text)
        text = _LONG_DIGITS.sub(MASK, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, MASK)
        # A Chinese name is also written as surname + title (张老师, 王校长): mask the given name.
        if len(name) >= 2 and not name.isascii():
            text = text.replace(name[1:], MASK) if len(name) >= 3 else text
    return text


def case_names(case: object) -> list[str]:
    """The names a case's published text must not show: requester and person concerned."""
    return [
        getattr(case, "requester_name", "") or "",
        getattr(case, "person_concerned", "") or "",
    ]


def case_personal_values(case: object) -> list[str]:
    """Every personal value a case holds, for masking text shown back to the requester."""
    fields = ("requester_phone", "requester_email", "requester_id_number")
    return [*case_names(case), *(getattr(case, field, "") or "" for field in fields)]
