"""Audit rows as sentences: "张三 将 工单 XN20261125-00005 转办给 基础教育科".

The words come from ``audit/labels.py``; this module fills them in. The object of a row reads
as its kind (the model's translated name) and a reference that is never case content: the
number the row's summary names (a case's, a matter's, an order's), the name of an
organisation record (unit, department, post, person), else its id. Whether the object and
the actor are links is for the page to say: it passes ``object_url`` and ``actor_url``, which
return the address the viewer may open, or ``None`` (no link). Nothing here decides a
permission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from xiaoneng.audit.labels import NOBODY, OBJECT_NOUNS, action_sentence, family_label
from xiaoneng.audit.models import AuditEntry

# Organisation records whose name is what the auditor needs to read, and is no case content.
NAMED_TYPES = frozenset({"org.unit", "org.department", "org.post", "org.staff", "org.user"})
DEPARTMENT = "org.department"
# What a named record's name reads through, fetched with it.
NAME_RELATED = {"org.staff": ("user",)}
# Summary keys that name the department a case or matter was sent to.
TARGET_KEYS = ("lead",)

ObjectUrl = Callable[[str, str], "str | None"]
ActorUrl = Callable[[int], "str | None"]


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    sentence: SafeString
    family: str


class _Values(dict[str, Any]):
    """The values of one sentence: a placeholder the row cannot fill reads as a dash."""

    def __missing__(self, key: str) -> str:
        return "—"


def object_noun(object_type: str) -> str:
    if object_type in OBJECT_NOUNS:
        return str(OBJECT_NOUNS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name)


def _names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """The names of the organisation records the rows mention, one query per kind."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.object_type in NAMED_TYPES and entry.object_id:
            wanted[entry.object_type].add(entry.object_id)
        for key in TARGET_KEYS:
            value = (entry.summary or {}).get(key)
            if isinstance(value, int):
                wanted[DEPARTMENT].add(str(value))
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = apps.get_model(object_type)
        numeric = [int(one) for one in ids if one.isdigit()]
        rows = model._default_manager.select_related(*NAME_RELATED.get(object_type, ()))
        for pk, obj in rows.in_bulk(numeric).items():
            names[(object_type, str(pk))] = str(obj)
    return names


def _reference(entry: AuditEntry, names: dict[tuple[str, str], str]) -> str:
    number = (entry.summary or {}).get("number")
    if isinstance(number, str) and number:
        return number
    name = names.get((entry.object_type, entry.object_id))
    return name or f"#{entry.object_id}"


def _object(entry: AuditEntry, names: dict[tuple[str, str], str], url: ObjectUrl | None) -> str:
    if not entry.object_id:
        return ""
    parts = (object_noun(entry.object_type), _reference(entry, names))
    text = " ".join(part for part in parts if part)
    href = url(entry.object_type, entry.object_id) if url else None
    if href:
        return format_html('<a href="{}">{}</a>', href, text)
    return format_html("<span>{}</span>", text)


def _actor(entry: AuditEntry, url: ActorUrl | None) -> str:
    label = entry.actor_label or str(NOBODY)
    href = url(entry.actor_id) if url and entry.actor_id else None
    if href:
        return format_html('<a href="{}">{}</a>', href, label)
    return format_html("<span>{}</span>", label)


def _values(
    entry: AuditEntry,
    names: dict[tuple[str, str], str],
    *,
    object_url: ObjectUrl | None,
    actor_url: ActorUrl | None,
) -> _Values:
    summary = entry.summary or {}
    values = _Values(
        actor=_actor(entry, actor_url),
        object=_object(entry, names, object_url),
        family=conditional_escape(family_label(entry.action)),
    )
    for key in TARGET_KEYS:
        lead = summary.get(key)
        if isinstance(lead, int) and (DEPARTMENT, str(lead)) in names:
            values["target"] = conditional_escape(names[(DEPARTMENT, str(lead))])
    for key in ("into", "rows", "username"):
        if summary.get(key) not in (None, ""):
            values[key] = conditional_escape(str(summary[key]))
    return values


def audit_sentence(
    entry: AuditEntry,
    names: dict[tuple[str, str], str],
    *,
    object_url: ObjectUrl | None = None,
    actor_url: ActorUrl | None = None,
) -> SafeString:
    values = _values(entry, names, object_url=object_url, actor_url=actor_url)
    template = str(action_sentence(entry.action, has_object=bool(entry.object_id)))
    try:
        text = conditional_escape(template) % values
    except (TypeError, ValueError):  # A broken translation: say it plainly, never the code.
        template = str(action_sentence("", has_object=bool(entry.object_id)))
        text = conditional_escape(template) % values
    # The template is escaped and every value is escaped or built by format_html.
    return mark_safe(text)


def audit_lines(
    entries: Iterable[AuditEntry],
    *,
    object_url: ObjectUrl | None = None,
    actor_url: ActorUrl | None = None,
) -> list[AuditLine]:
    """Each row with its sentence in the active language (a query per kind of named record)."""
    rows = list(entries)
    names = _names(rows)
    return [
        AuditLine(
            entry=entry,
            sentence=audit_sentence(entry, names, object_url=object_url, actor_url=actor_url),
            family=str(family_label(entry.action)),
        )
        for entry in rows
    ]
