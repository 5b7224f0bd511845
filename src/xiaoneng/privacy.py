"""Masking of personal data for lists, exports, notifications and logs (138****1234, 张*)."""

from __future__ import annotations


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
