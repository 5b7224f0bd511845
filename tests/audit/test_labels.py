"""The audit log reads as sentences in the reader's language: every action code the source
writes has a sentence in both catalogs, unknown codes read as their family's phrase, and the
audit administrator's page shows the sentences with links to the trail, never the codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from xiaoneng.audit.labels import ACTION_SENTENCES, NO_NOUN_NEEDED
from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.sentences import audit_lines, object_noun
from xiaoneng.audit.services import log_action

SRC = Path(__file__).resolve().parents[2] / "src" / "xiaoneng"
LOCALE = SRC / "locale" / "{}" / "LC_MESSAGES" / "django.po"

# Calls that write an audit row, with the prefix they put before the action they are given.
PREFIXES = {
    "log_action": "",
    "record": "case.",
    "case_event_record": "case.",
    "issue_reply": "case.",
    "_end": "case.",
    "_withdraw_request": "case.",
    "Decision": "case.",
    "audit": "internal.",  # internal/services/common.py
    "AuditEntry": "",  # the key rotation row
}
EXPORTS = {"xlsx_response", "xlsx_download", "export_record"}
LEVELS = ("prewarn", "yellow", "red")
ADMIN_MODELS = ("org.unit", "org.department", "org.post", "org.staff")
# Actions the source builds at run time: each expression, in its file, and what it becomes.
# ``None``: the expression only passes on an action its callers name (they are scanned).
EXPANSIONS: dict[tuple[str, str], list[str] | None] = {
    ("cases/services/events.py", "f'case.{action}'"): None,
    # The sweeper's bulk events: its signals.
    ("cases/services/events.py", "f'case.{row.action}'"): [
        "case.signal_prewarn",
        "case.signal_yellow",
        "case.signal_red",
    ],
    ("cases/services/events.py", "action"): None,
    ("cases/services/intake.py", "action"): None,
    ("cases/services/pending.py", "action"): None,
    ("cases/services/closing.py", "action"): None,
    ("applications/services/decisions.py", "action"): None,
    ("applications/services/decisions.py", "decision.action"): None,
    ("cases/sweeps.py", "f'signal_{level}'"): [f"case.signal_{level}" for level in LEVELS],
    ("internal/services/common.py", "f'internal.{action}'"): None,
    ("internal/sweeps.py", "f'card.{level}'"): [f"internal.card.{level}" for level in LEVELS],
    ("targets/sweeps.py", "f'targets.milestone.{level}'"): [
        f"targets.milestone.{level}" for level in LEVELS
    ],
    ("org/admin.py", "f'{obj._meta.label_lower}.{verb}'"): [
        f"{model}.{verb}" for model in ADMIN_MODELS for verb in ("create", "update")
    ],
    ("org/admin.py", "f'{obj._meta.label_lower}.delete'"): [
        f"{model}.delete" for model in ADMIN_MODELS
    ],
    ("web/excel.py", "f'{kind}{EXPORT_ACTION_SUFFIX}'"): None,
    ("web/excel.py", "kind"): None,
    ("audit/services.py", "action"): None,
}


def _constants(node: ast.expr, names: dict[str, str]) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body, names), _constants(node.orelse, names)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name) and node.id in names:
        return [names[node.id]]
    return None


def _module_strings(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def action_codes_in_source() -> tuple[set[str], list[str]]:
    """Every action code the source writes to the audit log, and the expressions it could not
    resolve (a new one must be added to EXPANSIONS)."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(SRC).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _module_strings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            for keyword in node.keywords:
                if name in PREFIXES and keyword.arg == "action":
                    if name == "audit" and not relative.startswith("internal/"):
                        continue
                    prefix, suffix = PREFIXES[name], ""
                elif name in EXPORTS and keyword.arg == "kind":
                    prefix, suffix = "", ".export"
                else:
                    continue
                values = _constants(keyword.value, names)
                if values is not None:
                    codes.update(f"{prefix}{value}{suffix}" for value in values)
                    continue
                key = (relative, ast.unparse(keyword.value))
                if key not in EXPANSIONS:
                    unknown.append(f"{relative}:{node.lineno} {key[1]}")
                else:
                    codes.update(EXPANSIONS[key] or [])
    return codes, unknown


def _catalog(locale: str) -> dict[tuple[str | None, str], str]:
    entries = polib.pofile(str(LOCALE).format(locale))
    return {(entry.msgctxt, entry.msgid): entry.msgstr for entry in entries}


def _sentences_in_tables() -> dict[str, str]:
    """Each code's English sentence as the tables write it: ``pgettext_lazy(code, sentence)``."""
    found: dict[str, str] = {}
    for name in ("labels_work.py", "labels_admin.py"):
        tree = ast.parse((SRC / "audit" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "pgettext_lazy":
                context, sentence = (arg.value for arg in node.args)  # type: ignore[attr-defined]
                found[context] = sentence
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)s", text))


def test_the_scan_finds_the_codes_and_resolves_every_expression() -> None:
    codes, unknown = action_codes_in_source()
    assert not unknown, f"add these to EXPANSIONS: {unknown}"
    # The scan sees the wrappers, the constants, the conditionals and the expansions.
    assert {"case.dispatch", "case.signal_red", "internal.card.yellow", "security.signin"} <= codes
    assert {"case.export", "org.staff.create", "org.unit.update", "audit.key.rotated"} <= codes
    assert {"targets.progress.returned", "case.reject_extension", "case.deny"} <= codes
    assert len(codes) > 200


def test_every_action_code_in_the_source_has_a_sentence_in_both_languages() -> None:
    codes, _unknown = action_codes_in_source()
    missing = sorted(codes - set(ACTION_SENTENCES))
    assert not missing, f"no sentence in audit/labels*.py for {missing}"
    zh, en = _catalog("zh_Hans"), _catalog("en")
    sentences = _sentences_in_tables()
    assert set(sentences) == set(ACTION_SENTENCES)
    for code in sorted(codes):
        msgid = sentences[code]
        chinese, english = zh.get((code, msgid), ""), en.get((code, msgid), "")
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese sentence for {code}"
        assert english, f"no English sentence for {code}"
        assert _placeholders(chinese) == _placeholders(msgid) == _placeholders(english), code


def test_every_kind_of_object_has_a_name_in_chinese() -> None:
    with translation.override("zh-hans"):
        for model in apps.get_models():
            label = model._meta.label_lower
            if not model.__module__.startswith("xiaoneng.") or label in NO_NOUN_NEEDED:
                continue
            assert re.search(r"[\u4e00-\u9fff]", object_noun(label)), label


def _entry(action: str, **fields: object) -> AuditEntry:
    with transaction.atomic():
        return log_action(action=action, **fields)  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "在“工单处理”中"), ("en", "did something in Case work")],
)
def test_an_unknown_code_reads_as_its_family_never_as_the_code(language, expected) -> None:
    entry = _entry("case.brand_new_verb", summary={"number": "XN1"})
    entry.object_type, entry.object_id = "cases.case", "7"
    unknown = _entry("zzz.nothing_known")
    with translation.override(language):
        lines = audit_lines([entry, unknown])
    text = re.sub(r"<[^>]+>", "", str(lines[0].sentence))
    assert "brand_new_verb" not in text
    assert "case." not in text
    assert "XN1" in text
    other = re.sub(r"<[^>]+>", "", str(lines[1].sentence))
    assert "zzz" not in other
    assert "nothing_known" not in other
    if language == "en":
        assert expected in text
    else:
        assert "工单" in text or "办件" in text


def _visible(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("zh-hans", "为 工作人员"), ("en", "created the account of staff")],
)
def test_the_audit_log_reads_as_sentences(client, demo_org, demo_password, language, sentence):
    client.login(username="auditor", password=demo_password)
    response = client.get(reverse("office:audit_log"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = _visible(response.content.decode())
    assert sentence in text
    assert "org.staff.create" not in text
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b", text), "a dotted code is visible"


def test_case_rows_link_to_their_trail_never_to_the_case(client, users, demo_password) -> None:
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_register

    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case
    client.login(username="auditor", password=demo_password)
    html = client.get(reverse("office:audit_log"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert case.number in html
    assert reverse("office:case_detail", args=[case.pk]) not in html
    trail = f"?object=cases.case%3A{case.pk}"
    assert trail in html
    narrowed = client.get(reverse("office:audit_log") + trail).context["lines"]
    assert narrowed
    assert {line.entry.object_id for line in narrowed} == {str(case.pk)}


def test_only_the_audit_administrator_reads_the_log(client, users, demo_password) -> None:
    for username in ("leader", "sysadmin", "secadmin", "head"):
        client.login(username=username, password=demo_password)
        assert client.get(reverse("office:audit_log")).status_code == 403


def test_the_log_filters_by_area_and_actor(client, users, demo_password) -> None:
    client.login(username="auditor", password=demo_password)
    page = client.get(reverse("office:audit_log"), {"family": "org"})
    assert {line.entry.action.split(".")[0] for line in page.context["lines"]} == {"org"}
    secadmin = users["secadmin"]
    mine = client.get(reverse("office:audit_log"), {"actor": secadmin.pk}).context["lines"]
    assert all(line.entry.actor_id == secadmin.pk for line in mine)
    bad = client.get(reverse("office:audit_log"), {"family": "<x>", "actor": "abc"})
    assert bad.status_code == 200


def test_the_log_page_reads_in_a_fixed_number_of_queries(
    client, users, demo_password, django_assert_max_num_queries
) -> None:
    client.login(username="auditor", password=demo_password)
    client.get(reverse("office:audit_log"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("office:audit_log"))
    assert len(response.context["lines"]) == 50
