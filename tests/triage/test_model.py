"""The suggested lead department: day one from the remits, learning from history, "don't
know", the stored suggestion and the choice made at dispatch, and the command's exact format."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.triage.conftest import committed
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_dispatch, case_register
from xiaoneng.org.models import Unit
from xiaoneng.triage.models import RoutingModel, Suggestion
from xiaoneng.triage.selectors import suggest
from xiaoneng.triage.services import routing_model_train, routing_models_retrain

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^[a-z0-9_-]+\t[01]\.\d\d(\t[a-z0-9_-]+\t[01]\.\d\d){0,2}$")
CANTEEN = [
    "学校食堂饭菜里吃出虫子，孩子回家肚子疼",
    "食堂的菜太咸了，而且分量很少，家长很有意见",
    "中午在食堂吃饭的孩子说米饭是夹生的",
    "食堂卫生太差，餐具没有消毒，苍蝇到处飞",
    "孩子说学校食堂饭菜变质发酸还给学生吃",
    "食堂打饭阿姨不戴口罩和帽子，饭菜卫生堪忧",
]


def _bureau() -> Unit:
    return Unit.objects.get(code="bureau")


def test_day_one_the_remits_route_a_request(demo_org) -> None:
    found, version = suggest("学校违规收取资料费和校服费，收费没有公示", unit=_bureau())
    assert version is None  # No model trained yet: learnt from the remits alone.
    assert found
    assert found[0].department.code == "finance"
    assert found[0].reasons


def test_a_matter_moved_to_another_department_is_learnt_after_retraining(past_case) -> None:
    for i in range(24):
        past_case(CANTEEN[i % len(CANTEEN)] + f"（第{i}次）", "sports", days=300)
    first = routing_model_train(unit=_bureau()).model
    assert first.version == 1
    assert first.cases == 24
    found, version = suggest("食堂饭菜有异味，孩子吃了拉肚子", unit=_bureau())
    assert version == 1
    assert found[0].department.code == "sports"
    # The bureau moves canteen matters to the safety department; newer history says so.
    for i in range(36):
        past_case(CANTEEN[i % len(CANTEEN)] + f"（{i}号反映）", "safety", days=5)
    second = routing_model_train(unit=_bureau()).model
    assert second.version == 2
    found, version = suggest("食堂饭菜有异味，孩子吃了拉肚子", unit=_bureau())
    assert version == 2
    assert found[0].department.code == "safety"
    words = " ".join(found[0].reasons)
    assert "食堂" in words or "饭菜" in words
    # The similar past cases given as reasons went where the suggestion points.
    assert any("安全稳定科" in reason for reason in found[0].reasons)


def test_held_out_accuracy_is_measured(past_case) -> None:
    for i in range(60):
        past_case(CANTEEN[i % 6] + f"{i}", "sports", days=60 - i)
        past_case(f"学校收取资料费{i * 10}元没有公示，要求退费", "finance", days=60 - i)
    trained = routing_model_train(unit=_bureau())
    assert trained.held_out is not None
    assert trained.held_out.count == 24
    assert trained.model.top1 == pytest.approx(trained.held_out.top1)
    assert trained.model.top1 >= 0.9
    assert trained.model.top3 == 1.0


def test_dont_know_below_the_threshold(demo_org, settings) -> None:
    assert suggest("今天天气不错", unit=_bureau())[0] == []
    assert suggest("", unit=_bureau())[0] == []
    settings.TRIAGE_CONFIDENCE_THRESHOLD = 0.99
    assert suggest("学校违规收取资料费和校服费", unit=_bureau())[0] == []


def test_the_weekly_job_trains_once_a_week(demo_org) -> None:
    assert routing_models_retrain() >= 1
    assert routing_models_retrain() == 0
    assert RoutingModel.objects.filter(unit__code="bureau").count() == 1


def test_each_suggestion_and_the_dispatch_choice_are_stored(users, bureau_departments) -> None:
    with committed():
        case = case_register(
            by=None,
            channel="online",
            kind="complaint",
            category=Category.objects.get(code="fees"),
            title="乱收费",
            content="学校违规收取资料费和校服费，收费没有公示",
            requester_phone="13911112222",
        ).case
        # Not read inside the registration's transaction: after its commit.
        assert not Suggestion.objects.filter(case=case).exists()
    suggestion = Suggestion.objects.get(case=case)
    assert suggestion.items[0]["department"] == "finance"
    assert suggestion.top.code == "finance"
    assert suggestion.chosen is None
    case_dispatch(case=case, by=users["xiaoneng"], lead=bureau_departments["basic"])
    suggestion.refresh_from_db()
    assert suggestion.chosen.code == "basic"
    assert suggestion.followed is False


def _suggest(stdin: str, *args: str) -> list[str]:
    out = StringIO()
    call_command("triage", "suggest", *args, "-", stdin=StringIO(stdin), stdout=out)
    return out.getvalue().split("\n")[:-1]


def test_the_command_prints_one_line_per_input_line(demo_org) -> None:
    long_line = "学校违规收取资料费" * 5000
    lines = _suggest(
        "学校违规收取资料费和校服费\n\n" + long_line + "\n今天天气不错\n孩子入学划片咨询"
    )
    assert len(lines) == 5
    assert LINE.match(lines[0])
    assert lines[0].startswith("finance\t")
    assert lines[1] == ""
    assert LINE.match(lines[2])
    assert lines[3] == ""
    assert LINE.match(lines[4])
    assert lines[4].startswith("basic\t")
    pairs = lines[0].split("\t")
    assert len(pairs) <= 6
    confidences = [float(value) for value in pairs[1::2]]
    assert confidences == sorted(confidences, reverse=True)


def test_the_command_takes_a_unit_and_refuses_an_unknown_one(demo_org) -> None:
    lines = _suggest("食堂饭菜不卫生\n", "--unit", "school-1")
    assert len(lines) == 1
    assert lines[0] == "" or LINE.match(lines[0])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _suggest("x\n", "--unit", "nowhere")


def test_the_train_command_prints_the_held_out_accuracy(past_case) -> None:
    for i in range(60):
        past_case(CANTEEN[i % 6] + f"{i}", "sports", days=60 - i)
        past_case(f"学校收取资料费{i * 10}元没有公示", "finance", days=60 - i)
    out = StringIO()
    call_command("triage", "train", "--unit", "bureau", stdout=out)
    # "top-1 95.0 %, top-3 100.0 %" (首选准确率, 前三准确率 in Chinese)
    assert re.search(r"\d+\.\d %.*\d+\.\d %", out.getvalue())


def test_stored_reasons_read_in_the_readers_language() -> None:
    """A suggestion keeps what its reasons are made of, so an English reader does not get the
    Chinese sentences of whoever's request stored it (and rows stored before read as stored)."""
    from django.utils.translation import override

    from xiaoneng.triage.panels import _reasons

    item = {
        "reasons": ["关键词：收费"],
        "words": ["收费"],
        "similar": [["XN20261201001", "计划财务科"]],
    }
    with override("en"):
        assert _reasons(item) == [
            "words: 收费",
            "similar case XN20261201001 went to 计划财务科",
        ]
    with override("zh-hans"):
        chinese = _reasons(item)
    assert chinese[0].endswith("收费")
    assert not chinese[0].startswith("words")
    assert _reasons({"reasons": ["科室职责"]}) == ["科室职责"]
    with override("en"):
        assert _reasons({"reasons": [], "words": [], "similar": []}) == ["the department's remit"]
