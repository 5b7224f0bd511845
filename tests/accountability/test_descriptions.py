"""Violation descriptions the system writes read in the reader's language (issue 26, item 6):
kept as the catalog's message and its parameters, rendered at display time; what a person
typed stays as typed; the official documents state them in Chinese; the migration gives the
rows written before (in Chinese or English) their message."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from xiaoneng.accountability.descriptions import Described, label
from xiaoneng.accountability.models import Violation
from xiaoneng.cases import clocks
from xiaoneng.cases.services import case_dispatch
from xiaoneng.cases.sweeps import sweep
from xiaoneng.emergencies.models import OutboundRecipient, ReportKind

pytestmark = pytest.mark.django_db


def _page(users, violation: Violation, language: str) -> str:
    client = Client()
    client.force_login(users["xiaoneng"])
    url = reverse("accountability:violation", args=[violation.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_sweepers_description_reads_in_the_readers_language(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.SIGN_FOR))
    with translation.override("en"):  # whatever language the sweeper happens to run in
        sweep(now=marks.due_at + timedelta(minutes=1))
    violation = Violation.objects.get(kind=Violation.Kind.LATE_SIGN_FOR)
    assert violation.message == "Not signed for by the deadline."
    assert violation.description == "未在时限内签收。"  # the office's default language
    assert "Not signed for by the deadline." in _page(users, violation, "en")
    assert "未在时限内签收" not in _page(users, violation, "en")
    assert "未在时限内签收。" in _page(users, violation, "zh-hans")


def test_parameters_that_are_labels_or_lists_follow_the_language() -> None:
    report = Described(
        gettext_noop("%(report)s on incident “%(title)s” not sent by %(due)s (calendar hours)."),
        {"report": label(ReportKind.INITIAL.label), "title": "食堂事件", "due": "2026-05-01 10:00"},
    )
    outbound = Described(
        gettext_noop(
            "Report on incident “%(title)s” to %(to)s not made by %(due)s (calendar hours)."
        ),
        {
            "title": "食堂事件",
            "to": label(OutboundRecipient.CITY_DUTY_OFFICE.label),
            "due": "2026-05-01 10:00",
        },
    )
    names = Described(
        gettext_noop("Second notice asking for materials not in the one-time notice: %(names)s"),
        {"names": ["学历证书", "身份证"]},
    )
    with translation.override("en"):
        assert report.render() == (
            "Initial report on incident “食堂事件” not sent by 2026-05-01 10:00 (calendar hours)."
        )
        assert "to The city's duty office not made" in outbound.render()
        assert names.render().endswith(": 学历证书, 身份证")
        # The stored rendering is in the office's language, whoever triggered it.
        assert report.stored() == "事件“食堂事件”的初报未在2026-05-01 10:00前报送（按自然小时计）。"
    with translation.override("zh-hans"):
        assert "报告市政府总值班室" in outbound.render()
        assert names.render().endswith("：学历证书、身份证")


def test_typed_descriptions_stay_as_typed(pending) -> None:
    assert pending.message == ""
    with translation.override("en"):
        assert pending.description_label == "暗访发现上班时间离岗。"


def test_a_sanction_document_states_a_system_description_in_chinese(
    users, staff_of, hotline_case, basic
) -> None:
    from xiaoneng.accountability.documents import _facts
    from xiaoneng.accountability.services import sanction_decide, violation_review

    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    marks = clocks.thresholds(clocks.current(case=case, stage=clocks.SIGN_FOR))
    sweep(now=marks.due_at + timedelta(minutes=1))
    violation = violation_review(
        by=users["xiaoneng"],
        violation=Violation.objects.get(kind=Violation.Kind.LATE_SIGN_FOR),
        confirm=True,
        grade=Violation.Grade.GENERAL,
        persons=[(staff_of("handler_a"), "handler")],
    )
    sanction = sanction_decide(
        by=users["inspector"],
        violation=violation,
        staff=staff_of("handler_a"),
        measure="warning",
        reason="未按时签收。",
    )
    with translation.override("en"):
        assert _facts(sanction) == "未在时限内签收。"


def test_the_migration_gives_old_machine_texts_their_message(basic) -> None:
    migration = importlib.import_module("xiaoneng.accountability.migrations.0006_violation_message")
    rows = {
        "late_sign_for": "超过时限签收。",
        "second_notice": "二次告知，要求提交一次性告知书未列明的材料：学历证书、身份证",
        "red_card": (
            "Progress report on incident “食堂事件” not sent by 2026-05-01 10:00 (calendar hours)."
        ),
        "buck_passing": "改办申请不予同意：内部事项NB2026-00003属该科室职责范围（推诿扯皮）。",
        "unfiled_denial": "另有说明的文字。",  # no known text: left as it is
        "inspection": "超过时限签收。",  # typed by an inspector: left as it is
    }
    for kind, text in rows.items():
        Violation.objects.create(
            kind=kind,
            source_key=f"old:{kind}",
            description=text,
            department=basic,
            created_at=timezone.now(),
        )
    migration.forwards(apps, None)
    found = {v.kind: v for v in Violation.objects.all()}
    assert (found["late_sign_for"].message, found["late_sign_for"].message_params) == (
        "Signed for after the deadline.",
        {},
    )
    assert found["second_notice"].message_params == {"names": ["学历证书", "身份证"]}
    assert found["red_card"].message_params == {
        "report": {"label": "Progress report"},
        "title": "食堂事件",
        "due": "2026-05-01 10:00",
    }
    assert found["buck_passing"].message_params == {"number": "NB2026-00003"}
    assert found["unfiled_denial"].message == found["inspection"].message == ""
    with translation.override("zh-hans"):
        assert found["red_card"].description_label == (
            "事件“食堂事件”的续报未在2026-05-01 10:00前报送（按自然小时计）。"
        )
    with translation.override("en"):
        assert found["late_sign_for"].description_label == "Signed for after the deadline."
        assert found["unfiled_denial"].description_label == "另有说明的文字。"
