"""The demo's written remits and its generator of historic request texts: every bureau
department has a full remit, and the generated history is varied, covers every department in
several styles, and is the same for the same seed."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from xiaoneng.demo import data
from xiaoneng.demo.remits import REMITS
from xiaoneng.demo.texts import request, requests
from xiaoneng.demo.topics import TOPICS
from xiaoneng.triage.classifier import remit_examples_of
from xiaoneng.triage.text import words

MIN_REMIT_CHARS = 150
MIN_BIG_REMIT_CHARS = 300
# Departments that most requests are for: their remits list many matters.
BIG = {"office", "personnel", "finance", "basic", "vocational", "legal", "safety", "sports"}


def test_every_bureau_department_has_a_full_remit() -> None:
    codes = {code for code, _name, _remit in data.BUREAU_DEPARTMENTS}
    assert codes == set(REMITS)
    for code, name, remit in data.BUREAU_DEPARTMENTS:
        least = MIN_BIG_REMIT_CHARS if code in BIG else MIN_REMIT_CHARS
        assert len(remit) >= least, (code, len(remit))
        clauses = remit_examples_of(code, name, remit)[1:]
        assert len(clauses) >= 15, (code, len(clauses))
        assert all(example.label == code for example in clauses)


def test_a_remit_is_read_whole_and_clause_by_clause() -> None:
    found = remit_examples_of("finance", "计划财务科", "负责教育经费预算；查处乱收费、退费。")
    assert [example.text for example in found] == [
        "计划财务科 负责教育经费预算；查处乱收费、退费。",
        "负责教育经费预算",
        "查处乱收费",
        "退费",
    ]


def test_every_department_with_a_remit_has_topics_and_every_topic_is_full() -> None:
    departments = {topic.department for topic in TOPICS}
    assert departments == set(REMITS)
    for topic in TOPICS:
        assert len(topic.bodies) >= 5, topic.titles
        assert topic.matters, topic.titles
        assert len(set(topic.bodies)) == len(topic.bodies), topic.titles


def test_the_history_is_varied() -> None:
    history = requests(3000, seed=11)
    contents = [content for _category, _department, _title, content in history]
    assert len(set(contents)) > 0.9 * len(contents)
    by_department: dict[str, set[str]] = defaultdict(set)
    for _category, department, _title, content in history:
        by_department[department].update(words(content))
    assert set(by_department) == set(REMITS)
    # Each department is written about in many different words.
    assert min(len(vocabulary) for vocabulary in by_department.values()) >= 60
    styles = Counter(
        "hotline"
        if content.startswith("来电人反映")
        else "brief"
        if len(content) < 30
        else "own words"
        for content in contents
    )
    assert all(styles[style] > 0.05 * len(contents) for style in ("hotline", "brief"))
    lengths = sorted(len(content) for content in contents)
    assert lengths[len(lengths) // 10] < 40 < 70 < lengths[-len(lengths) // 10]


def test_the_same_seed_gives_the_same_history() -> None:
    assert requests(200, seed=5) == requests(200, seed=5)
    assert requests(200, seed=5) != requests(200, seed=6)


def test_a_request_draws_one_number_from_the_shared_generator() -> None:
    """The demo history shares its generator with the texts: however the grammar grows, one
    request moves it by one draw, so the rest of the history does not shift."""
    shared, reference = random.Random(3), random.Random(3)
    request(shared, "第一中学")
    reference.getrandbits(64)
    assert shared.random() == reference.random()
