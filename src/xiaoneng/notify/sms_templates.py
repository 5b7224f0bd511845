"""What the SMS providers share: approved templates per message kind, numbers, endpoints.

A provider sends only templates it has approved, under an approved sign name. Each kind of
message is mapped to one template code and the names of its variables, configured per provider
as one line (``XIAONENG_SMS_ALIYUN_TEMPLATES``, ``XIAONENG_SMS_TENCENT_TEMPLATES``)::

    case.registered=SMS_460765012:number,code,secret; *=SMS_460765099:subject

``*`` is the template for every kind not listed. A variable is filled from the message's
parameters (its secrets included), else from ``subject``, ``case_number`` or ``text`` (the
whole message as it reads). Alibaba receives the variables by name, Tencent in the listed order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from xiaoneng.notify.sms import OutgoingText, SmsError

DEFAULT_KIND = "*"


@dataclass(frozen=True)
class SmsTemplate:
    code: str
    variables: tuple[str, ...] = ()


def parse_templates(spec: str | Mapping[str, str]) -> dict[str, SmsTemplate]:
    """``kind=CODE:var1,var2; …`` (or a mapping kind → ``CODE:var1,var2``) → kind → template."""
    if isinstance(spec, Mapping):
        entries = [f"{kind}={value}" for kind, value in spec.items()]
    else:
        entries = [entry for entry in re.split(r"[;\n]", spec or "") if entry.strip()]
    templates: dict[str, SmsTemplate] = {}
    for entry in entries:
        kind, sep, rest = entry.partition("=")
        code, _colon, names = rest.partition(":")
        if not sep or not kind.strip() or not code.strip():
            raise ValueError(f"an SMS template is written kind=CODE:var1,var2, not {entry!r}")
        variables = tuple(name.strip() for name in names.split(",") if name.strip())
        templates[kind.strip()] = SmsTemplate(code=code.strip(), variables=variables)
    return templates


def template_for(templates: Mapping[str, SmsTemplate], kind: str) -> SmsTemplate:
    template = templates.get(kind) or templates.get(DEFAULT_KIND)
    if template is None:
        raise SmsError(
            f"no approved template is configured for messages of kind {kind!r}",
            code="template-missing",
            permanent=True,
        )
    return template


def template_values(template: SmsTemplate, text: OutgoingText | str) -> list[tuple[str, str]]:
    """The template's variables with their values, in the template's order."""
    params = {"text": str.__str__(text), **getattr(text, "params", {})}
    missing = [name for name in template.variables if name not in params]
    if missing:
        raise SmsError(
            f"the message has no value for the template variables {', '.join(missing)}",
            code="template-parameters",
            permanent=True,
        )
    return [(name, str(params[name])) for name in template.variables]


def mainland_number(phone: str) -> str:
    """``13800000000`` for ``+86 138 0000 0000``, ``8613800000000`` or ``13800000000``."""
    digits = re.sub(r"[\s-]", "", phone)
    if digits.startswith("+86"):
        return digits[3:]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def e164_number(phone: str) -> str:
    """``+8613800000000``: a mainland number gets +86; one with a ``+`` is kept."""
    digits = re.sub(r"[\s-]", "", phone)
    return digits if digits.startswith("+") else f"+86{mainland_number(digits)}"


def split_endpoint(endpoint: str, default_host: str) -> tuple[str, str]:
    """(scheme, host[:port]) of ``https://host`` or a bare ``host`` (https)."""
    endpoint = (endpoint or default_host).strip()
    if "://" not in endpoint:
        return "https", endpoint
    parts = urlsplit(endpoint)
    return parts.scheme or "https", parts.netloc


def network_error(provider: str, exc: BaseException, timeout: float) -> SmsError:
    """A failure to reach the provider, told by its kind only: an SDK's message may quote the
    request, and with it the text."""
    name = type(exc).__name__
    described = f"{name} {getattr(exc, 'code', '')} {exc}".lower()
    if "timeout" in described or "timed out" in described:
        return SmsError(f"{provider} did not answer within {timeout:g} s", code="timeout")
    return SmsError(f"{provider} could not be reached ({name})", code="unreachable")
