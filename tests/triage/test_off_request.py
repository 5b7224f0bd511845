"""Where an arrived case is read (``triage/case_facts.py``): with a broker, a worker reads the
cases nobody registered in person (the request does not); the request reads them itself when
the broker cannot take the task, and always reads a case registered in person, whose registrar
goes on to its page. Tasks run eagerly here (``task_always_eager``), so each test still sees
the suggestion once the registration has committed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery.signals import task_prerun

from tests.ops.conftest import closed_port, use_broker
from tests.triage.conftest import committed
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.triage.models import Suggestion

pytestmark = pytest.mark.django_db

TEXT = "家长反映第一中学在招生时违规收取择校费，请核查。"


@pytest.fixture
def worker_tasks(settings) -> Iterator[list[str]]:
    """A broker set and tasks run here and now; yields the names of triage's tasks run (the
    outbox relay's are left out)."""
    from xiaoneng.ops.celery_app import app

    ran: list[str] = []

    def seen(sender: Any = None, task: Any = None, **kwargs: Any) -> None:
        if task.name.startswith("xiaoneng.triage."):
            ran.append(task.name)

    # A URL nobody answers: an eager task never contacts it.
    use_broker(settings, f"redis://127.0.0.1:{closed_port()}/0")
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    task_prerun.connect(seen, weak=False)
    yield ran
    task_prerun.disconnect(seen)
    app.conf.task_always_eager = before
    use_broker(settings, "")


def _register(users: dict[str, Any], *, in_person: bool, n: int = 1) -> Case:
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content=TEXT,
        requester_phone="13912345678",
        external_number=f"off-request-{n}",
        in_person=in_person,
    ).case


def test_a_pooled_case_is_read_by_the_worker_after_the_commit(demo_org, users, worker_tasks):
    with committed():
        case = _register(users, in_person=False)
        assert case.first_contact_id is None
        assert not Suggestion.objects.filter(case=case).exists()
        assert worker_tasks == []
    assert worker_tasks == ["xiaoneng.triage.read_arrived"]
    assert Suggestion.objects.get(case=case).repeat_checked_at is not None


def test_a_second_delivery_reads_nothing_twice(demo_org, users, worker_tasks):
    from xiaoneng.triage.tasks import read_arrived_task

    with committed():
        case = _register(users, in_person=False)
    first = Suggestion.objects.get(case=case)
    read_arrived_task.apply(args=([case.pk],))
    assert list(Suggestion.objects.filter(case=case)) == [first]
    assert Suggestion.objects.get(case=case).made_at == first.made_at


def test_a_case_registered_in_person_is_read_by_the_request(demo_org, users, worker_tasks):
    with committed():
        case = _register(users, in_person=True)
        assert case.first_contact_id is not None
    assert worker_tasks == []
    assert Suggestion.objects.filter(case=case).exists()


def test_without_a_reachable_broker_the_request_reads_the_case(demo_org, users, settings):
    use_broker(settings, f"redis://127.0.0.1:{closed_port()}/0")
    try:
        with committed():
            case = _register(users, in_person=False)
    finally:
        use_broker(settings, "")
    assert Suggestion.objects.get(case=case).repeat_checked_at is not None


def test_without_a_broker_the_request_reads_the_case(demo_org, users):
    with committed():
        case = _register(users, in_person=False)
    assert Suggestion.objects.filter(case=case).exists()
