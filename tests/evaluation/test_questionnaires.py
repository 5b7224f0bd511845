"""The question bank, versions, conditions, required questions, both languages; the round's
state machine; the t quantiles."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.evaluation.answering import AnswerErrors, answers_read
from xiaoneng.evaluation.display import questionnaire_rows
from xiaoneng.evaluation.models import Question, Response
from xiaoneng.evaluation.services.questionnaires import (
    question_create,
    questionnaire_version_publish,
)
from xiaoneng.evaluation.services.rounds import round_approve, round_close, round_open
from xiaoneng.evaluation.stats import mean_interval, t_quantile

pytestmark = pytest.mark.django_db


def test_t_quantiles_match_the_table() -> None:
    table = {1: 12.706, 2: 4.303, 4: 2.776, 9: 2.262, 29: 2.045, 120: 1.980}
    for df, value in table.items():
        assert round(t_quantile(df), 3) == value
    assert mean_interval([4]) is None
    interval = mean_interval([3, 3, 3])
    assert (interval.mean, interval.low, interval.high) == (3.0, 3.0, 3.0)


def test_conditions_required_and_bad_answers(version) -> None:
    items = version.items
    with pytest.raises(AnswerErrors) as error:
        answers_read(items, {"used": ["yes"]})
    assert set(error.value.errors) == {"attitude", "speed"}  # required, and asked after "yes"
    rows = answers_read(items, {"used": ["no"], "attitude": ["5"], "speed": ["4"]})
    assert [r.key for r in rows] == ["used", "speed"]  # attitude not asked: dropped
    for bad in (
        {"used": ["maybe"], "speed": ["4"]},
        {"used": ["no"], "speed": ["6"]},
        {"used": ["yes", "no"], "speed": ["4"]},
        {"used": ["no"], "speed": ["4"], "ways": ["fax"]},
        {"used": ["no"], "speed": ["4"], "comment": ["x" * 2001]},
    ):
        with pytest.raises(AnswerErrors):
            answers_read(items, bad)


def test_the_bank_refuses_bad_questions(users, version) -> None:
    by = users["xiaoneng"]
    with pytest.raises(PermissionDenied):
        question_create(by=users["head"], code="x", kind="text", text_zh="x")
    cases = [
        {"code": "used", "kind": "text", "text_zh": "重复"},  # code taken
        {"code": "a", "kind": "single", "text_zh": "一个选项", "options": [{"zh": "是"}]},
        {
            "code": "b",
            "kind": "scale",
            "text_zh": "三个标签",
            "options": [{"zh": "1"}, {"zh": "2"}, {"zh": "3"}],
        },
        {"code": "c", "kind": "nonsense", "text_zh": "x"},
        {"code": "d", "kind": "text", "text_zh": " "},
        {
            "code": "e",
            "kind": "text",
            "text_zh": "x",
            "show_if_question": Question.objects.get(code="used"),
            "show_if_values": ["perhaps"],
        },
    ]
    for fields in cases:
        with pytest.raises(DomainError):
            question_create(by=by, **fields)


def test_answers_keep_their_version_and_both_languages(users, version, open_round) -> None:
    from xiaoneng.evaluation.models import Panel
    from xiaoneng.evaluation.services.answers import _store

    unit = open_round.units.select_related("round__version").first()
    panel = open_round.panels.get(kind=Panel.Kind.RECIPIENTS)
    from django.db import transaction

    with transaction.atomic():
        _store(unit, panel, {"used": ["no"], "speed": ["4"]})
    speed = Question.objects.get(code="speed")
    second = questionnaire_version_publish(
        by=users["xiaoneng"], questionnaire=version.questionnaire, questions=[speed]
    )
    assert second.number == 2
    assert [i["key"] for i in second.items] == ["speed"]
    assert Response.objects.get().version_id == version.pk
    with pytest.raises(DomainError):  # a condition on a question not asked before it
        questionnaire_version_publish(
            by=users["xiaoneng"],
            questionnaire=version.questionnaire,
            questions=[Question.objects.get(code="attitude")],
        )
    with translation.override("en"):
        assert questionnaire_rows(version.items)[0]["text"] == "Have you dealt with us this year?"
    with translation.override("zh-hans"):
        assert questionnaire_rows(version.items)[0]["text"] == "您近一年是否办理过业务？"


def test_round_state_machine(users, make_round) -> None:
    round_ = make_round()
    with pytest.raises(DomainError):
        round_close(by=users["xiaoneng"], round_=round_)
    with pytest.raises(DomainError):
        round_approve(by=users["leader"], round_=round_)
    with pytest.raises(PermissionDenied):
        round_open(by=users["leader"], round_=round_)
    round_ = round_open(by=users["xiaoneng"], round_=round_)
    assert round_open(by=users["xiaoneng"], round_=round_).state == "open"
    with pytest.raises(DomainError):
        round_approve(by=users["leader"], round_=round_)
    round_ = round_close(by=users["xiaoneng"], round_=round_)
    with pytest.raises(DomainError):
        round_open(by=users["xiaoneng"], round_=round_)
    with pytest.raises(PermissionDenied):
        round_approve(by=users["xiaoneng"], round_=round_)
    assert round_approve(by=users["leader"], round_=round_).state == "approved"
    with pytest.raises(DomainError):
        round_close(by=users["xiaoneng"], round_=round_)
