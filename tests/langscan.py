"""Finding text that is not in the reader's language on a rendered page (issue 26, item 6).

Shared by the office scan with the test client (tests/office/test_page_languages.py) and the
browser tests (tests/browser/test_a11y.py):

* ``untranslated`` (Chinese pages): an English catalog string, a raw code (``demo:overdue``,
  ``sign_for``, ``case.sign_for.done``) or a run of Latin letters that is not an allowed word;
  (English pages) a Chinese catalog string.
* ``stray_chinese`` (English pages, stricter): any Chinese characters that are not part of
  what a person typed (titles, contents, names of people, places): each run of Chinese
  characters must occur in the free texts stored in the database, and must not be a Chinese
  data label (a unit's, department's, category's or post's Chinese name, a catalog
  translation), alone or as a stretch of an English sentence ("… at 第一中学: 食堂起火").
  What the system wrote in the language of the moment (messages, the audit log, a sweeper's
  violation descriptions) is not what a person typed and excuses nothing.
* ``page_texts``: the texts a reader sees in an HTML page (text and the placeholder,
  aria-label, title and alt attributes), without scripts, styles and ``[data-lang-free]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
from django.conf import settings

LOCALE = Path(settings.PACKAGE_DIR) / "locale"

# Words that are the same in both languages: codes, formats and names the catalogs keep as
# they are (checked in Chinese pages, where any other run of Latin letters is a missed string).
ALLOWED_LATIN = {
    "A", "B", "AB", "PDF", "DOCX", "Excel", "xlsx", "csv", "SMS", "English", "Open311", "GeoReport",
    "API", "ID", "QR", "OTP", "Email", "email", "HTTP", "https", "http", "www", "Xiaoneng",
    "JSON", "MB", "KB", "PNG", "JPEG", "Word", "XLSX", "CSV", "IP", "Ctrl", "II", "III", "IV",
    "docx", "doc", "pdf", "jpg", "jpeg", "png", "txt", "zip",  # file names' extensions
}  # fmt: skip
# Commands and product names quoted inside Chinese sentences; callers add the codes of the
# time-limit policies, which the pages cite beside the policy's name.
ALLOWED_PHRASES = ["xiaoneng calendar load", "Webhook"]
CODE = re.compile(r"\b[a-z]+(?:[_:][a-z]+)+\b|\b[a-z]+\.[a-z_]+\.[a-z_]+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
NUMBER = re.compile(r"\b[A-Z]{1,4}-?\d[\w-]*|\bv\d+\b")  # case and document numbers, versions
DATA_CODE = re.compile(r"^[A-Z0-9]{6,}$")  # tracking codes
# A run of Chinese characters (CJK ideographs; punctuation separates runs, so that a list of
# names "吴刚、黄丽" or a name with a job title "何芳（校办主任）" is looked at name by name).
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
PUNCTUATION = " ·、，。：:()（）."
# Where an English sentence around Chinese data breaks (Latin words, its punctuation): the
# stretches between are looked at one by one, so that a label inside a sentence that also
# holds a typed title ("Grade II fire at 第一中学: 食堂起火") is found.
ENGLISH_BREAK = re.compile(r"[A-Za-z]+|[:;,!?()\"“”]|\.(?:\s|$)")
# An official document number (效督〔2026〕3号): an identifier, the same in both languages.
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
# The stored one-token values that are identifiers a person chose or the system numbered, by
# the field's name (a stage or a state code stored without choices is not one of them).
CODE_FIELDS = re.compile(r"username|code|number|_ref$|reference|_name$|^file")
# A token that may be a stored code: a username, a policy's or a guide's code, a file name.
TOKEN = re.compile(r"[A-Za-z0-9_][\w.\-]*")


@cache
def catalogs() -> tuple[frozenset[str], frozenset[str]]:
    """(English msgids that Chinese translates, Chinese msgstrs of those): what must not show
    in the other language."""
    english: set[str] = set()
    chinese: set[str] = set()
    for entry in polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")):
        text = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
        if text and text != entry.msgid and "%" not in entry.msgid and "{" not in entry.msgid:
            english.add(entry.msgid.strip())
            chinese.add(text.strip())
    # A string that is also a Chinese msgstr of another entry is ambiguous: leave it out.
    return frozenset(english - chinese), frozenset(chinese - english)


@cache
def english_catalog_chinese() -> frozenset[str]:
    """The Chinese the English catalog keeps on purpose: the column names of the Chinese
    spreadsheets an import reads, the values such a file holds (紧急, 省教育厅)."""
    runs: set[str] = set()
    for entry in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po")):
        runs.update(CHINESE.findall(entry.msgstr or ""))
    return frozenset(runs)


def untranslated(
    texts: list[str], language: str, *, pending: frozenset[str] = frozenset()
) -> list[str]:
    english, chinese = catalogs()
    found = []
    for text in texts:
        for phrase in ALLOWED_PHRASES:
            text = text.replace(phrase, "")
        text = NUMBER.sub("", text).strip()
        if not text:
            continue
        if language == "zh-hans":
            if text in english or CODE.search(text):
                found.append(text)
            elif any(
                word not in ALLOWED_LATIN and not DATA_CODE.match(word)
                for word in LATIN_WORD.findall(text)
            ) and not re.search(r"\S+@\S+", text):
                # Latin letters in a Chinese page: a missed string or a raw code, unless
                # they are data (an email address, a case number, a tracking code).
                found.append(text)
        elif text in chinese and text not in pending:
            found.append(text)
    return found


class _Texts(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip
    ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language[:2]
        self.texts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content skipped

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        lang = (names.get("lang") or "")[:2].lower()
        skipped = (
            self._skipping()
            or tag in self.SKIP
            or "data-lang-free" in names
            # Declared in the other language: the language switcher's "简体中文" / "English".
            or (tag != "html" and bool(lang) and lang != self.language)
        )
        if not skipped:
            for name in self.ATTRIBUTES:
                value = names.get(name)
                if value and value.strip() and (name != "alt" or tag == "img"):
                    self.texts.append(value.strip())
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipping():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str, language: str) -> list[str]:
    """What a reader of a page in ``language`` sees: texts and the attributes read aloud or
    shown (scripts, styles, the contents of text areas being edited, and elements declared in
    another language left out)."""
    parser = _Texts(language)
    parser.feed(html)
    parser.close()
    return parser.texts


@dataclass(frozen=True)
class Stored:
    """What the database holds that a page may show as it was typed."""

    corpus: str  # every free text holding Chinese, joined
    whole: frozenset[str]  # each free text (and each item of a stored list) as a whole
    labels: frozenset[str]  # Chinese names of the data labels that have an English name
    codes: frozenset[str]  # stored values that are one token: usernames, codes, file names


# Codes that pages must never show as text, as they name something that has a name of its own
# (a service guide goes by its name: ``diploma-proof`` may stay in a URL or in a form's value).
NAMED_CODES = {("ServiceItem", "code")}
# Content with an English column beside it (``<field>_en``): on an English page its Chinese is a
# data label, never typed text. Named here as well, so that the scan would still catch the
# Chinese if the English columns were ever dropped (issue 26, item 6).
TRANSLATED_CONTENT = {
    ("ServiceItemVersion", name)
    for name in (
        "name", "legal_basis", "conditions", "process_steps", "fees", "fee_basis",
        "window_address", "window_hours",
    )
} | {("GuideMaterial", name) for name in ("name", "file_format", "notes")}  # fmt: skip

# Apps whose stored texts the system wrote (notifications, the audit log): not what a person
# typed, so they never excuse Chinese on an English page.
MACHINE_WRITTEN = {"admin", "sessions", "notify", "audit"}
# Fields holding a copy of a data label, written by the code, not typed: (model, field).
COPIED_LABELS = {("RoundUnit", "name"), ("TypicalCase", "unit_named")}
# Fields that hold what a person typed in some rows and what the system wrote in others (in
# the language active when it ran): (model, field) -> the rows a person typed. A violation's
# description is typed for an inspection or a conduct finding; a sweeper writes the others.
TYPED_ROWS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("Violation", "description"): lambda rows: rows.filter(kind__in=("inspection", "conduct")),
}


# Data labels besides those with an English field beside them: a unit's short name, a post's
# name (岗位, shown on the staff, case and intake pages).
LABEL_FIELDS = {("Unit", "short_name"), ("Post", "name")}


def _label_field(model: type, name: str, names: set[str]) -> bool:
    """A data label with both languages: ``name`` beside ``name_en`` (or ``name_zh``), and the
    fields of ``LABEL_FIELDS``."""
    base = name.removesuffix("_zh")
    return (
        f"{base}_en" in names
        or (model.__name__, name) in TRANSLATED_CONTENT
        or (model.__name__, name) in LABEL_FIELDS
    )


def _strings(value: object) -> list[str]:
    """The strings inside a stored JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def stored_texts() -> Stored:
    from django.apps import apps
    from django.db import models

    free: list[str] = []
    labels: set[str] = set()
    codes: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.app_label in MACHINE_WRITTEN:
            continue
        kinds = models.CharField | models.TextField | models.JSONField | models.FileField
        fields = [f for f in meta.concrete_fields if isinstance(f, kinds)]
        names = {f.name for f in fields}
        for field in fields:
            if (
                field.name.endswith("_en")
                or getattr(field, "choices", None)
                or (model.__name__, field.name) in COPIED_LABELS
            ):
                continue
            rows = model._default_manager.all()
            typed_rows = TYPED_ROWS.get((model.__name__, field.name))
            if typed_rows is not None:
                rows = typed_rows(rows)
            values = [s for v in rows.values_list(field.name, flat=True) for s in _strings(v) if s]
            if _label_field(model, field.name, names):
                # Line by line too: steps and legal bases show one line at a time.
                labels.update(line.strip() for v in values for line in [v, *v.splitlines()])
                continue
            for value in values:
                if CHINESE.search(value):
                    free.append(value)
                elif (
                    TOKEN.fullmatch(value.strip())
                    and CODE_FIELDS.search(field.name)
                    and (model.__name__, field.name) not in NAMED_CODES
                ):
                    codes.add(value.strip())
                if isinstance(field, models.FileField):
                    codes.add(value.rsplit("/", 1)[-1])
                    free.append(value.rsplit("/", 1)[-1])
    whole = {part.strip() for value in free for part in re.split(r"[\n、]", value)}
    return Stored("\n".join(free), frozenset(whole), frozenset(labels), frozenset(codes))


def stray_chinese(texts: list[str], stored: Stored) -> list[str]:
    """The texts of an English page holding Chinese that nobody typed: Chinese that is only
    data labels (a unit's, department's, category's Chinese name), a catalog translation
    standing alone (unless a person typed exactly that), or Chinese found in no stored text."""
    _english, chinese = catalogs()
    deliberate = english_catalog_chinese()
    labels = sorted((label for label in stored.labels if label), key=len, reverse=True)
    found = []
    for original in texts:
        text = DOCUMENT_NUMBER.sub("", original)
        runs = CHINESE.findall(text)
        if not runs:
            continue
        rest = text
        for label in labels:
            rest = rest.replace(label, "")
        bare = text.strip(PUNCTUATION)
        typed = bare in stored.whole
        only_labels = rest != text and not CHINESE.search(rest)
        if not only_labels and not typed:
            # A stretch of the sentence that is only labels, beside words a person typed.
            only_labels = any(
                _only_labels(stretch, labels) and stretch.strip(PUNCTUATION) not in stored.whole
                for stretch in ENGLISH_BREAK.split(text)
                if CHINESE.search(stretch)
            )
        catalog_word = bare in chinese
        nobody_typed = any(run not in stored.corpus and run not in deliberate for run in runs)
        if ((only_labels or catalog_word) and not typed) or nobody_typed:
            found.append(original)
    return found


def _only_labels(text: str, labels: list[str]) -> bool:
    rest = text
    for label in labels:
        rest = rest.replace(label, "")
    return rest != text and not CHINESE.search(rest)


def raw_codes(texts: list[str], stored: Stored) -> list[str]:
    """The texts of a Chinese page holding English or a raw code (``untranslated``), once the
    stored one-token values (usernames, codes, file names) are set aside."""
    kept = []
    for text in texts:
        for phrase in ALLOWED_PHRASES:
            text = text.replace(phrase, "")
        kept.append(TOKEN.sub(lambda m: "" if m.group() in stored.codes else m.group(), text))
    return [texts[i] for i, text in enumerate(kept) if untranslated([text], "zh-hans")]
