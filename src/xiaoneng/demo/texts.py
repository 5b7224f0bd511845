"""Request texts for the demo's history, written for this project: a small grammar of who is
writing, how they open, what the matter is (per department of the bureau, demo/topics.py) and
how they close, with school names, grades, amounts, dates and places filled in. Several styles:
a parent's or teacher's own words, a hotline operator's summary (来电人反映…), a brief question
naming the matter (咨询…的问题), a formal letter; colloquial and formal, short and long, so that
a routing model trained on the demo has something to learn.

``request(rng, school)`` gives one (category code, department code, title, content); the same
seed gives the same texts on every machine. It draws one number from ``rng`` and makes the text
from a generator of its own seeded with it, so the demo history that shares ``rng`` does not
shift when the grammar grows.
"""

from __future__ import annotations

import random

from xiaoneng.demo.topics import TOPICS, Topic

GRADES = [
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "初一",
    "初二",
    "初三",
    "高一",
    "高二",
    "高三",
]
CLASSES = ["（1）班", "（2）班", "（3）班", "（5）班", "（8）班", "", ""]
PLACES = [
    "人民路",
    "解放街",
    "和平小区",
    "东湖花园",
    "新华村",
    "滨江大道",
    "建设路口",
    "幸福里社区",
    "城南菜市场",
    "火车站附近",
    "开发区",
    "城北新区",
    "阳光花园",
    "桥头镇",
    "工业园",
    "老城区",
]
TEACHERS = [
    "王老师",
    "李老师",
    "张老师",
    "班主任刘老师",
    "数学老师",
    "英语老师",
    "陈老师",
    "体育老师",
    "语文老师",
    "物理老师",
    "赵老师",
    "年级主任",
    "班主任",
]
WHEN = [
    "昨天",
    "上周五",
    "这学期开学时",
    "9月1日",
    "上个月",
    "3月12日",
    "最近一个月",
    "今天早上",
    "国庆节前",
    "寒假前",
    "前天",
    "开学第一周",
    "期中考试后",
    "上学期",
    "10月8日",
    "这两天",
]

WHO = [
    ("我是{school}{grade}{klass}学生家长，", 4),
    ("本人系{school}{grade}学生家长，", 2),
    ("我孩子在{school}读{grade}，", 4),
    ("您好，我是{school}的一名老师，", 1),
    ("市民来电反映：", 3),
    ("来电人称：", 2),
    ("我是{place}的居民，", 1),
    ("", 3),
    ("市民{surname}女士来电反映：", 2),
    ("{surname}先生来电称，", 1),
    ("网友留言：", 2),
    ("一位{grade}学生的妈妈反映，", 1),
    ("我是孩子爸爸，孩子在{school}上学，", 1),
    ("我是{school}的学生，", 1),
    ("我们是{place}的几户家长，", 1),
]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "孙"]
OPENERS = [
    "",
    "",
    "想反映个事，",
    "打扰了，",
    "实在没办法了才打这个电话，",
    "特此反映：",
    "请问一下，",
    "你好，",
    "您好！",
    "我要投诉，",
    "想咨询个事，",
    "实名举报：",
    "尊敬的领导：",
    "实在忍不下去了，",
]
CLOSERS = [
    ("请教育局核实处理。", 3),
    ("希望有关部门管一管！", 2),
    ("请尽快给个答复，谢谢。", 2),
    ("恳请领导重视。", 1),
    ("望予以查处并回复。", 2),
    ("", 2),
    ("家长们意见很大，希望早点解决。", 1),
    ("麻烦尽快回个电话。", 1),
    ("不要透露我的信息，谢谢。", 1),
    ("以上情况属实，请调查。", 1),
    ("这事到底归谁管？", 1),
    ("已经跟学校说过了，没有用。", 1),
]
# What a hotline operator writes the caller wants (来电人要求…).
DEMANDS = [
    "核实处理",
    "尽快答复",
    "给个说法",
    "查处并回复",
    "解释政策",
    "督促学校整改",
]
# A brief request naming the matter only.
BRIEF = [
    ("咨询{matter}的问题。", 3),
    ("{school}{matter}的事情，请问找哪个部门？", 2),
    ("关于{matter}，想了解一下政策。", 2),
    ("投诉{school}{matter}问题，请尽快处理。", 2),
    ("{matter}这个事你们管不管？", 1),
    ("反映{school}{matter}，希望教育局重视。", 1),
]
TITLE_FORMS = ["关于{matter}的投诉", "{matter}咨询", "反映{matter}", "{matter}问题"]


AMOUNTS = ["80", "120", "150", "200", "260", "380", "450", "600", "800", "1200", "1500", "3000"]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([item for item, _w in items], weights=[w for _i, w in items])[0]


def _slots(rng: random.Random, school: str) -> dict[str, str]:
    return {
        "school": school,
        "grade": rng.choice(GRADES),
        "klass": rng.choice(CLASSES),
        "place": rng.choice(PLACES),
        "teacher": rng.choice(TEACHERS),
        "when": rng.choice(WHEN),
        "amount": rng.choice(AMOUNTS),
        "surname": rng.choice(SURNAMES),
    }


def _content(rng: random.Random, topic: Topic, slots: dict[str, str]) -> str:
    body = rng.choice(topic.bodies).format(**slots)
    matter = rng.choice(topic.matters) if topic.matters else ""
    style = rng.random()
    if matter and style < 0.15:
        # Brief: the matter only, named the way people name it.
        school = slots["school"] if rng.random() < 0.5 else ""
        return _weighted(rng, BRIEF).format(matter=matter, school=school)
    if rng.random() < 0.3:
        # A longer one: a second sentence on the same matter.
        other = rng.choice(topic.bodies).format(**slots)
        body = f"{body}。而且{other}" if other != body else body
    if style < 0.35:
        # A hotline operator's summary.
        where = f"{slots['school']}" if rng.random() < 0.5 else ""
        return f"来电人反映{where}：{body}。来电人要求{rng.choice(DEMANDS)}。"
    if matter and style < 0.45:
        return f"{body}。这种{matter}的问题，{_weighted(rng, CLOSERS) or '请处理。'}"
    who = _weighted(rng, WHO).format(**slots)
    return f"{rng.choice(OPENERS)}{who}{body}。{_weighted(rng, CLOSERS)}"


def request(rng: random.Random, school: str) -> tuple[str, str, str, str]:
    """One request about ``school`` (its short name): (category, department, title, content)."""
    own = random.Random(rng.getrandbits(64))
    topic = own.choice(TOPICS)
    slots = _slots(own, school)
    text = _content(own, topic, slots)
    title = own.choice(topic.titles)
    if topic.matters and own.random() < 0.25:
        title = own.choice(TITLE_FORMS).format(matter=own.choice(topic.matters))
    return topic.category, topic.department, title, text


def requests(
    count: int, *, seed: int = 2026, schools: list[str] | None = None
) -> list[tuple[str, str, str, str]]:
    """``count`` requests (the benchmark's history), about the demo's schools by default."""
    rng = random.Random(seed)
    names = schools or [
        "第一中学",
        "第二中学",
        "实验小学",
        "师范学校",
        "职业技术学校",
        "特殊教育学校",
    ]
    return [request(rng, rng.choice(names)) for _ in range(count)]
