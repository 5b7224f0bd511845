"""The question bank and versioned questionnaires (efficiency office)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.evaluation.models import Question, QuestionKind, Questionnaire, QuestionnaireVersion
from xiaoneng.evaluation.services._common import require_role
from xiaoneng.org.roles import Role

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _options(kind: str, options: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = [
        {
            "value": str(o.get("value") or index),
            "zh": str(o.get("zh", "")).strip(),
            "en": str(o.get("en", "")).strip(),
        }
        for index, o in enumerate(options, start=1)
        if str(o.get("zh", "")).strip()
    ]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(cleaned) < 2:
        raise DomainError(_("A choice question needs at least two options."))
    if kind == QuestionKind.SCALE:
        if cleaned and len(cleaned) != 5:
            raise DomainError(_("A scale needs a label for each of its five points, or none."))
        return [{**o, "value": str(i)} for i, o in enumerate(cleaned, start=1)]
    if kind == QuestionKind.TEXT:
        return []
    if len({o["value"] for o in cleaned}) != len(cleaned):
        raise DomainError(_("Two options have the same value."))
    return cleaned


def question_create(
    *,
    by: User,
    code: str,
    kind: str,
    text_zh: str,
    text_en: str = "",
    options: list[dict[str, str]] | None = None,
    required: bool = True,
    show_if_question: Question | None = None,
    show_if_values: list[str] | None = None,
) -> Question:
    require_role(by, Role.EFFICIENCY_OFFICE)
    if kind not in QuestionKind.values:
        raise DomainError(_("Unknown kind of question."))
    if not text_zh.strip():
        raise DomainError(_("The question needs a Chinese text."))
    if Question.objects.filter(code=code).exists():
        raise DomainError(_("A question with this code exists already."))
    values = [v for v in (show_if_values or []) if v]
    if show_if_question is not None:
        if show_if_question.kind not in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.SCALE,
        ):
            raise DomainError(_("A condition can only be on a choice or scale question."))
        known = {o["value"] for o in show_if_question.options} or {"1", "2", "3", "4", "5"}
        if not values or not set(values) <= known:
            raise DomainError(
                _("Name the answers of the earlier question after which this is asked.")
            )
    with transaction.atomic():
        question = Question.objects.create(
            code=code,
            kind=kind,
            text_zh=text_zh.strip(),
            text_en=text_en.strip(),
            options=_options(kind, options or []),
            required=required,
            show_if_question=show_if_question,
            show_if_values=values if show_if_question else [],
            created_at=timezone.now(),
        )
        log_action(
            action="evaluation.question_create", obj=question, actor=by, summary={"code": code}
        )
    return question


def _item(question: Question) -> dict[str, Any]:
    show_if = None
    if question.show_if_question is not None:
        show_if = {"key": question.show_if_question.code, "values": question.show_if_values}
    return {
        "key": question.code,
        "question": question.pk,
        "kind": question.kind,
        "text": {"zh": question.text_zh, "en": question.text_en},
        "options": question.options,
        "required": question.required,
        "show_if": show_if,
    }


def _frozen(questions: list[Question]) -> list[dict[str, Any]]:
    if not questions:
        raise DomainError(_("A questionnaire needs at least one question."))
    seen: set[str] = set()
    for question in questions:
        condition = question.show_if_question
        if condition is not None and condition.code not in seen:
            raise DomainError(
                _("“%(q)s” depends on a question that must come before it.") % {"q": question}
            )
        seen.add(question.code)
    return [_item(q) for q in questions]


def questionnaire_create(
    *, by: User, name_zh: str, name_en: str = "", questions: list[Question]
) -> QuestionnaireVersion:
    """A new questionnaire with its first version."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    if not name_zh.strip():
        raise DomainError(_("The questionnaire needs a Chinese name."))
    items = _frozen(questions)
    with transaction.atomic():
        now = timezone.now()
        questionnaire = Questionnaire.objects.create(
            name_zh=name_zh.strip(), name_en=name_en.strip(), created_at=now
        )
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=1, items=items, created_at=now
        )
        log_action(
            action="evaluation.questionnaire_create",
            obj=questionnaire,
            actor=by,
            summary={"version": 1, "questions": [i["key"] for i in items]},
        )
    return version


def questionnaire_version_publish(
    *, by: User, questionnaire: Questionnaire, questions: list[Question]
) -> QuestionnaireVersion:
    """A new version of the questionnaire; answers given on earlier versions keep theirs."""
    require_role(by, Role.EFFICIENCY_OFFICE)
    items = _frozen(questions)
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        last = locked.versions.aggregate(n=Max("number"))["n"] or 0
        version = QuestionnaireVersion.objects.create(
            questionnaire=locked, number=last + 1, items=items, created_at=timezone.now()
        )
        log_action(
            action="evaluation.questionnaire_version",
            obj=locked,
            actor=by,
            summary={"version": version.number, "questions": [i["key"] for i in items]},
        )
    return version
