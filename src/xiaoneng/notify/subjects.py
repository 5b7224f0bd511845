"""Notification subjects in the reader's language.

A subject is stored as it was sent: rendered through the catalogs in the language active when
the event happened (Chinese, the office's default). To show it on a page in another language,
the stored text is looked up among the catalogs' translations, their ``%(name)s`` patterns
included: when it is the rendering of a known message, that message is rendered again in the
active language with the same parameters. A parameter that is itself a catalog message (a
measure, a kind) is translated too; one named ``unit`` or ``department`` holds that unit's or
department's Chinese name, and shows its English name on English pages. Any other text (a case
number, a round's title typed by a person) is shown as stored. The subject itself, and what
the API returns, never change.
"""

from __future__ import annotations

import re
from functools import cache

from django.db.models import Q
from django.utils.translation import get_language, gettext, trans_real

from xiaoneng.org.models import Department, Unit

# The languages subjects may have been stored in.
LANGUAGES = ("zh-hans", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
# A pattern must say something besides its parameters to be trusted ("%(a)s：%(b)s" is not).
LITERAL = re.compile(r"\w")
MIN_LITERAL = 2
# Parameters that hold a unit's or a department's Chinese name (shown in English on English
# pages when it has an English name).
NAMED = frozenset({"unit", "department"})

Pattern = tuple[re.Pattern[str], str, frozenset[str]]


def _pattern(text: str) -> tuple[re.Pattern[str], frozenset[str]] | None:
    """A regular expression matching the renderings of a message with parameters."""
    parts, seen, numbers, literal, last = [], set(), set(), "", 0
    for match in PLACEHOLDER.finditer(text):
        chunk = text[last : match.start()]
        literal += chunk
        parts.append(re.escape(chunk))
        name, kind = match.groups()
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)")
            if kind == "d":
                numbers.add(name)
        last = match.end()
    literal += text[last:]
    parts.append(re.escape(text[last:]))
    if "%" in literal.replace("%%", "") or len(LITERAL.findall(literal)) < MIN_LITERAL:
        return None
    return re.compile("^" + "".join(parts).replace("%%", "%") + "$", re.S), frozenset(numbers)


@cache
def _index() -> tuple[dict[str, str], list[Pattern]]:
    """(rendered text -> message id, patterns of messages with parameters), longest first."""
    exact: dict[str, str] = {}
    patterns: list[tuple[int, Pattern]] = []
    for language in LANGUAGES:
        # Django's JavaScript catalog view reads the merged catalog the same way.
        catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
        for key, text in catalog.items():
            if not isinstance(key, str) or not key or "\x04" in key or not text:
                continue  # plural forms, contexts and the header
            if PLACEHOLDER.search(key):
                built = _pattern(text)
                if built is not None:
                    patterns.append((len(text), (built[0], key, built[1])))
            elif "%" not in key:
                exact.setdefault(text.strip(), key)
    patterns.sort(key=lambda row: -row[0])
    return exact, [pattern for _length, pattern in patterns]


def _exact_label(value: str, exact: dict[str, str]) -> str:
    """A parameter that is itself a catalog message (a measure, a kind) in the active
    language; anything else (a number, a title someone typed) as it is."""
    msgid = exact.get(value.strip())
    return gettext(msgid) if msgid is not None else value


def _name_label(name: str, value: str) -> str | None:
    """A parameter naming a unit or a department by its Chinese name: its English name on
    English pages (None: not such a parameter, or no English name to show)."""
    if name not in NAMED or not (get_language() or "").startswith("en"):
        return None
    if name == "unit":
        unit = Unit.objects.filter(Q(short_name=value) | Q(name=value)).exclude(name_en="")
        names = set(unit.values_list("name_en", flat=True)[:2])
    else:
        departments = Department.objects.filter(name=value).exclude(name_en="")
        names = set(departments.values_list("name_en", flat=True).distinct()[:2])
    return names.pop() if len(names) == 1 else None


def _param_label(name: str, value: str, exact: dict[str, str]) -> str:
    named = _name_label(name, value.strip())
    return named if named is not None else _exact_label(value, exact)


def subject_label(subject: str) -> str:
    """``subject`` in the active language when it is a known message, else as stored."""
    exact, patterns = _index()
    msgid = exact.get(subject.strip())
    if msgid is not None:
        return gettext(msgid)
    for regex, key, numbers in patterns:
        match = regex.match(subject)
        if match is None:
            continue
        params: dict[str, object] = {
            name: int(value) if name in numbers else _param_label(name, value, exact)
            for name, value in match.groupdict().items()
        }
        try:
            return gettext(key) % params
        except (KeyError, TypeError, ValueError):
            return subject
    return subject
