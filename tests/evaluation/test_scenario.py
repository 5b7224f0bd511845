"""The issue's scenario: a round over three departments and two schools, from the sampling of
closed cases to the composite score in the assessment ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from tests.evaluation.conftest import relay_tokens
from xiaoneng.assessment.metrics import composite_with_evaluation
from xiaoneng.assessment.models import AssessmentSettings
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.assessment.selectors import Period, ranking
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import (
    case_dispatch,
    case_rate,
    case_register,
    case_reply,
    case_sign_for,
)
from xiaoneng.evaluation.models import (
    Contacted,
    Invitation,
    Panel,
    PanelCount,
    Response,
    ResponseItem,
    RoundUnit,
)
from xiaoneng.evaluation.selectors import unit_result
from xiaoneng.evaluation.services.invitations import (
    named_panel_invite,
    recipients_invite,
    token_hash,
)
from xiaoneng.evaluation.services.rounds import round_approve, round_close, round_open
from xiaoneng.evaluation.stats import score_of_mean
from xiaoneng.fieldcrypt.datakeys import blind_index
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


def _answer(client, token: str, **answers: object):
    data = {f"q-{key}": value for key, value in answers.items()}
    return client.post(f"/portal/evaluation/i/{token}/", data)


def _sampling_cases(closed_case, departments, schools) -> dict[str, str]:
    """Closed cases of each unit; returns each phone's channel."""
    channels: dict[str, str] = {}
    n = 0
    for unit_index, target in enumerate([*departments, *schools]):
        for i in range(8):  # 6 hotline, 2 online per unit: a sample of 4 takes 3 and 1
            n += 1
            phone = f"1390000{n:04d}"
            channel = "hotline" if i < 6 else "online"
            channels[phone] = channel
            if unit_index < 3:
                closed_case(department=target, channel=channel, phone=phone)
            else:
                closed_case(school=target, channel=channel, phone=phone)
    return channels


def test_sampling_stratified_and_nobody_asked_twice_a_year(
    users, make_round, closed_case, departments, schools, sms
) -> None:
    channels = _sampling_cases(closed_case, departments, schools)
    basic, finance = departments[0], departments[1]
    # The same person has closed cases at two departments: asked once.
    closed_case(department=basic, phone="13711112222")
    closed_case(department=finance, phone="13711112222")
    # Outside the period, anonymous, or asked earlier this year: never sampled.
    closed_case(
        department=basic, phone="13722223333", closed_on=timezone.localdate() - timedelta(days=400)
    )
    closed_case(department=basic, phone="13733334444", anonymous=True)
    closed_case(department=basic, phone="13744445555")
    Contacted.objects.create(
        year=timezone.localdate().year, phone_index=blind_index("13744445555", kind="phone")
    )

    round_ = round_open(by=users["xiaoneng"], round_=make_round(sample_size=4))
    invited = recipients_invite(by=users["xiaoneng"], round_=round_, base_url=BASE)
    assert invited == 20  # 4 per unit, 5 units
    handed = relay_tokens(sms)
    phones = [phone for phone, _text, _token in handed]
    assert len(phones) == len(set(phones)) == 20
    assert not {"13722223333", "13733334444", "13744445555"} & set(phones)
    # Stratified by channel: every unit's 4 are 3 hotline and 1 online, unless the person
    # with cases at two units took a place.
    by_unit: dict[str, list[str]] = {}
    for phone, text, _token in handed:
        unit = next(u.name for u in RoundUnit.objects.filter(round=round_) if u.name in text)
        by_unit.setdefault(unit, []).append(channels.get(phone, "hotline"))
    for unit in (*departments[2:], *schools):
        assert sorted(by_unit[unit.name]) == ["hotline", "hotline", "hotline", "online"]
    counts = PanelCount.objects.filter(panel__kind=Panel.Kind.RECIPIENTS, round_unit__round=round_)
    assert sorted(counts.values_list("invited", flat=True)) == [4, 4, 4, 4, 4]
    assert Contacted.objects.filter(year=timezone.localdate().year).count() == 21

    # A second round in the same year asks nobody again.
    sms.handed.clear()
    second = round_open(by=users["xiaoneng"], round_=make_round(title="第二轮", sample_size=4))
    assert recipients_invite(by=users["xiaoneng"], round_=second, base_url=BASE) == 20
    assert not {phone for phone, _x, _t in relay_tokens(sms)} & set(phones)


def _outbox_holds_no_token(tokens: list[str]) -> None:
    for row in Notification.objects.filter(kind="evaluation.invitation"):
        stored = " ".join(str(v) for v in (row.body, row.subject, row.params, row.sealed, row.link))
        assert not any(token in stored for token in tokens)
        assert row.object_id == ""
        assert row.sealed == ""


def test_links_answers_anonymity_results_and_composite(
    client, users, open_round, closed_case, departments, schools, sms
) -> None:
    _sampling_cases(closed_case, departments, schools)
    round_ = open_round
    recipients_invite(by=users["xiaoneng"], round_=round_, base_url=BASE)
    panel = round_.panels.get(kind=Panel.Kind.NAMED)
    basic_unit = RoundUnit.objects.get(round=round_, department=departments[0])
    named_panel_invite(
        by=users["xiaoneng"],
        round_=round_,
        panel=panel,
        phones=["13811110001", "13811110002"],
        units=[basic_unit],
        base_url=BASE,
    )
    handed = relay_tokens(sms)
    assert len(handed) == 22
    _outbox_holds_no_token([token for _p, _x, token in handed])
    texts = {token: text for _p, text, token in handed}
    basic_tokens = [t for t, text in texts.items() if basic_unit.name in text]
    assert len(basic_tokens) == 6  # 4 recipients and 2 panel members

    # Five answers for 基础教育科 (hand-computed below); the conditional question is skipped
    # when the answer to the first is "no".
    speed = [5, 4, 4, 3, 5]
    attitude = [5, 4, 3, 4]  # the fifth answered "no": not asked
    for i, token in enumerate(basic_tokens[:5]):
        answers = {
            "used": "yes" if i < 4 else "no",
            "speed": speed[i],
            "ways": ["web", "desk"] if i < 2 else "phone",
        }
        if i < 4:
            answers["attitude"] = attitude[i]
        else:
            answers["attitude"] = 1  # sent anyway: dropped, the question was not asked
        if i == 0:
            answers["comment"] = "窗口李老师态度很好，电话13912345678。"
        response = _answer(client, token, **answers)
        assert response.status_code == 302, response.content.decode()[:500]

    # Used, and expired, links are refused; a broken answer changes nothing.
    again = _answer(client, basic_tokens[0], used="yes", speed=1)
    assert again.status_code == 410
    assert 'data-testid="refused"' in again.content.decode()
    last = basic_tokens[5]
    broken = _answer(client, last, used="yes")  # required speed missing
    assert broken.status_code == 400
    assert Response.objects.filter(round_unit=basic_unit).count() == 5
    Invitation.objects.filter(token_hash=token_hash(last)).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = _answer(client, last, used="yes", speed=3)
    assert expired.status_code == 410
    assert Response.objects.filter(round_unit=basic_unit).count() == 5

    # Anonymity, on the database: an answer names its round, unit, panel, version and day;
    # nothing points at an answer but its items; the invitation keeps only "used".
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "round",
        "round_unit",
        "panel",
        "version",
        "submitted_on",
    }
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model in (Response, ResponseItem):
                assert (model, f.name) == (ResponseItem, "response")
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id",
        "round",
        "round_unit",
        "panel",
        "channel",
        "token_hash",
        "expires_at",
        "used",
    }
    assert {f.name for f in Contacted._meta.concrete_fields} == {"id", "year", "phone_index"}
    assert (
        len(
            {
                i.expires_at
                for i in Invitation.objects.filter(round=round_, panel__kind="recipients")
            }
        )
        == 1
    )
    counts = PanelCount.objects.get(panel=panel, round_unit=basic_unit)
    recipients = PanelCount.objects.get(panel__kind="recipients", round_unit=basic_unit)
    assert (counts.invited, recipients.invited) == (2, 4)
    assert recipients.answered + counts.answered == 5
    assert Invitation.objects.filter(round_unit=basic_unit, used=True).count() == 5

    # Two answers for 计划财务科: too few (threshold 3).
    finance_unit = RoundUnit.objects.get(round=round_, department=departments[1])
    for token in [t for t, text in texts.items() if finance_unit.name in text][:2]:
        assert _answer(client, token, used="yes", attitude=2, speed=2).status_code == 302

    round_close(by=users["xiaoneng"], round_=round_)
    result = unit_result(RoundUnit.objects.select_related("round__version").get(pk=basic_unit.pk))
    items = {i.key: i for i in result.items}
    # By hand: speed 5,4,4,3,5 → mean 4.2, s² = 2.8/4 = 0.7, se = √(0.7/5) = 0.374166,
    # t(0.975, 4) = 2.776445, half width 1.038843 → 3.16 … 5.24.
    assert (items["speed"].n, items["speed"].interval.mean) == (5, 4.2)
    assert (items["speed"].interval.low, items["speed"].interval.high) == (3.16, 5.24)
    # attitude 5,4,3,4 → mean 4.0, s² = 2/3, se = 0.408248, t(3) = 3.182446 → 2.70 … 5.30.
    assert (items["attitude"].n, items["attitude"].interval.mean) == (4, 4.0)
    assert (items["attitude"].interval.low, items["attitude"].interval.high) == (2.7, 5.3)
    ways = {o.label: (o.count, o.rate) for o in items["ways"].options}
    assert ways == {"网上": (2, 40.0), "窗口": (2, 40.0), "电话": (3, 60.0)}
    assert items["comment"].too_few  # one text answer, below the threshold of 3
    assert result.composite == score_of_mean((4.2 + 4.0) / 2) == 77.5  # (4.1 − 1) × 25
    finance = unit_result(
        RoundUnit.objects.select_related("round__version").get(pk=finance_unit.pk)
    )
    assert finance.too_few
    assert finance.composite is None
    assert all(i.too_few for i in finance.items)

    # The composite in the assessment ranking: the department's case figures, then the
    # evaluation folded in by its weight once a leader approves the round.
    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="评议测试",
        content="内容",
        requester_name="王家长",
        requester_phone="13600000001",
    ).case
    case = case_dispatch(case=case, by=users["intake"], lead=departments[0])
    case = case_sign_for(case=case, by=users["head"])
    case = case_reply(case=case, by=users["head"], text="已处理。")
    case_rate(case=case, satisfaction="unsatisfied", resolved=False)
    rollups_apply_all()
    today = timezone.localdate()
    period = Period(today - timedelta(days=30), today)

    def basic_score() -> float | None:
        return next(r for r in ranking(period) if r.id == departments[0].pk).metrics.composite_score

    cases_only = basic_score()
    assert cases_only is not None
    round_approve(by=users["leader"], round_=round_)
    assert (
        basic_score()
        == composite_with_evaluation(cases_only, 77.5, 20)
        == round((80 * cases_only + 20 * 77.5) / 100, 1)
    )
    AssessmentSettings.objects.update_or_create(pk=1, defaults={"weight_evaluation": 50})
    assert basic_score() == round((cases_only + 77.5) / 2, 1)
    AssessmentSettings.objects.filter(pk=1).update(weight_evaluation=0)
    assert basic_score() == cases_only
