"""Masking of personal data for lists, exports, notifications and logs (138****1234, 张*), and
redaction of free text before it is published or made into a title (``redact``)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 2:
        return f"{'*' * (len(digits) - 2)}{digits[-2:]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(number: str) -> str:
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_email(address: str) -> str:
    local, _at, domain = address.partition("@")
    if not domain:
        return mask_name(address)
    return f"{local[:1]}***@{domain}"


# The personal-data patterns of the whole project: ID numbers, phone numbers (mobile, landline
# with area code), e-mail addresses, and runs of digits that may be either.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8})(?!\d)"
)
LONG_DIGITS = re.compile(r"\d{7,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A number written with spaces or hyphens (+86 139 1234 5678, 0571-8765 4321): 7 characters or
# more anywhere, or, standing alone, 8 or more not touching a letter or digit.
# A phone number as a person types it into a form or a spreadsheet cell (the whole value).
PHONE_ENTRY = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")
NUMBER_RUN = re.compile(r"\+?\d[\d -]{5,}\d")
STANDALONE_NUMBER_RUN = re.compile(r"(?<![\w])\+?\d[\d -]{6,}\d(?![\w])")

REDACTED = "***"


def redact(text: str, names: Iterable[str] = (), *, patterns: bool = True) -> str:
    """The text with the given names (or other known values) masked and, with ``patterns``,
    every ID number, phone number and e-mail address as well."""
    if not text:
        return ""
    if patterns:
        text = ID_NUMBER.sub(REDACTED, text)
        text = EMAIL.sub(REDACTED, text)
        text = PHONE.sub(REDACTED, text)
        text = LONG_DIGITS.sub(REDACTED, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, REDACTED)
        # A Chinese name is also written as surname + title (张老师, 王校长): mask the given name.
        if len(name) >= 2 and not name.isascii():
            text = text.replace(name[1:], REDACTED) if len(name) >= 3 else text
    return text


def mask_contacts(text: str, *, standalone: bool = False) -> str:
    """The text with e-mail addresses masked as ``c***@domain`` and numbers that may be phone or
    ID numbers as ``139****5678``, the rest kept readable (error texts, log lines). With
    ``standalone`` (log lines, full of identifiers) only runs of 8 or more characters standing
    apart from letters and digits count as numbers."""
    text = EMAIL.sub(lambda m: mask_email(m.group()), text)
    numbers = STANDALONE_NUMBER_RUN if standalone else NUMBER_RUN
    return numbers.sub(lambda m: mask_phone(m.group()), text)


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


# A reply's opening salutation: "张三您好：", "尊敬的***家长，您好！", "***：", "Dear Mr Zhang,".
_HELLO = re.compile(r"(?P<head>[^\n。！!？?：:]{0,24}?)[\s，,]*(?:您好|你好)[\s，,：:！!。]*")
_ADDRESSED = re.compile(r"(?P<head>[^\n。！!？?：:，,]{1,24})[：:，,]\s*")
_DEAR = re.compile(r"(?:dear|hello|hi)\b(?P<head>[^\n,:]{0,40})[,:]\s*", re.IGNORECASE)
_HONORIFIC = re.compile(r"(先生|女士|小姐|家长|同学|老师|同志)")
NEUTRAL_SALUTATION = "您好："


def _names_someone(head: str, names: Iterable[str]) -> bool:
    """Whether a salutation's addressee part holds personal data: a masked value, a known
    name, or a known name's surname with a title (刘女士 for 刘芳)."""
    if "*" in head:
        return True
    for name in (n.strip() for n in names if n and n.strip()):
        if name in head:
            return True
        if not name.isascii() and _HONORIFIC.search(head) and head.find(name[0]) != -1:
            return True
    return False


def neutral_salutation(text: str, names: Iterable[str] = ()) -> str:
    """The text with an opening salutation that names (or masks) the person replaced by a
    plain "您好：", so a public reply never starts "***您好". A salutation without personal
    data ("尊敬的家长：您好！") is kept as written."""
    names = list(names)
    body = text.lstrip()
    hello = _HELLO.match(body)
    if hello and hello["head"].strip() and _names_someone(hello["head"], names):
        return NEUTRAL_SALUTATION + body[hello.end() :]
    dear = _DEAR.match(body)
    if dear and _names_someone(dear["head"], names):
        return "Hello, " + body[dear.end() :]
    addressed = _ADDRESSED.match(body)
    if addressed and _names_someone(addressed["head"], names):
        rest = body[addressed.end() :]
        again = _HELLO.match(rest)
        if again and not again["head"].strip():
            rest = rest[again.end() :]
        return NEUTRAL_SALUTATION + rest
    return text


def public_reply(text: str, names: Iterable[str] = (), *, patterns: bool = True) -> str:
    """A reply as the public sees it (portal, Open311, published results): personal data
    redacted and the salutation addressing nobody by name."""
    names = list(names)
    return neutral_salutation(redact(text, names, patterns=patterns), names)
