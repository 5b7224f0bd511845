"""The text of a bulletin (通报) as sentences whose numbers know the records they count.

A sentence is a list of parts: plain text, or a ``Count`` — a number together with the office
case-list filters that list exactly the records behind it. The PDF and DOCX files print the
sentences as plain text; the office page links every count to its cases, so that a reader can
check each number of the draft before a leader approves it.

The text is Chinese by design, like every official document. It is built from the bulletin's
frozen content only; bulletins frozen before the content carried unit, department and category
ids print those numbers without a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xiaoneng.assessment.selectors import SpeechScorecard
from xiaoneng.documents.content import chinese_date


@dataclass(frozen=True)
class Count:
    """A number of the text and the case-list filters of exactly what it counts (``None``: the
    frozen content cannot say). ``window`` replaces the bulletin's period for counts of other
    dates (a hotspot's seven days)."""

    n: int
    filters: dict[str, Any] | None
    window: tuple[date, date] | None = None
    # or "tasks": the target task list (its own filters, no dates); or "internal": the list
    # of internal matters (its own filters, the period's dates)
    listing: str = "cases"

    def __str__(self) -> str:
        return str(self.n)


Part = str | Count
Sentence = list[Part]
Block = Sentence | list[Sentence]  # a paragraph, or a numbered list


def plain(sentence: Sentence) -> str:
    return "".join(str(part) for part in sentence)


def plain_body(blocks: list[Block]) -> list[str | list[str]]:
    """The blocks as the official document's body (``documents.content.Block``)."""
    return [
        [plain(item) for item in block] if _is_list(block) else plain(block)  # type: ignore[arg-type]
        for block in blocks
    ]


def _is_list(block: Block) -> bool:
    return bool(block) and isinstance(block[0], list)


def numbered_sentences(blocks: list[Block]) -> list[Sentence]:
    """The blocks as lines, list items numbered as the documents number them."""
    lines: list[Sentence] = []
    for block in blocks:
        if _is_list(block):
            lines += [[f"{i}. ", *item] for i, item in enumerate(block, start=1)]  # type: ignore[misc]
        else:
            lines.append(block)  # type: ignore[arg-type]
    return lines


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def counted(n: int, name: str, **scope: Any) -> Count:
    """A count of the rollups (assessment/records.py), in the scope given; a scope whose id
    the frozen content lacks (``None``) cannot be linked."""
    if any(value is None for value in scope.values()):
        return Count(n, None)
    return Count(n, {"counted": name, **scope})


def speech_content(speech: SpeechScorecard) -> dict[str, Any]:
    """The speech's scorecard as frozen into a bulletin (JSON-serialisable)."""
    return {
        "hotline_received": speech.hotline.received,
        "hotline_handled": speech.hotline.handled,
        "office_received": speech.efficiency_office.received,
        "office_handled": speech.efficiency_office.handled,
        "on_time_share": speech.on_time_share,
        "satisfaction_rate": speech.satisfaction_rate,
    }


def speech_sentence(speech: dict[str, Any], *, unit: int | None = None) -> Sentence:
    """The speech's scorecard in one sentence (市长热线 and 市效能办 referrals)."""
    scope = {"unit": unit} if unit else {}
    hotline = {"channel": "hotline", **scope}
    office = {"channel": "efficiency_office", **scope}
    return [
        "本期共办理市长热线交办事项",
        counted(speech["hotline_received"], "received", **hotline),
        "件（办结",
        counted(speech["hotline_handled"], "replied", **hotline),
        "件）、市效能办交办事项",
        counted(speech["office_received"], "received", **office),
        "件（办结",
        counted(speech["office_handled"], "replied", **office),
        f"件），规定时限内办结率{pct(speech['on_time_share'])}，"
        f"满意率{pct(speech['satisfaction_rate'])}。",
    ]


def bulletin_blocks(content: dict[str, Any], *, period_from: date, period_to: date) -> list[Block]:
    """The body of the bulletin, section by section."""
    blocks: list[Block] = [
        [
            f"现将{chinese_date(period_from)}至{chinese_date(period_to)}"
            "全市教育系统行政效能情况通报如下。"
        ],
        ["一、总体情况"],
        speech_sentence(content["speech"]),
        _overall(content["figures"], content["metrics"]),
        ["二、单位排名（按综合得分）"],
        [_unit_item(r) for r in content["units"]] or ["本期无数据。"],
    ]
    if "schools" in content:  # Bulletins frozen before the figures by unit concerned have none.
        blocks += [
            ["按涉及单位（诉求所反映的学校和单位）："],
            [_concerned_item(r) for r in content["schools"]] or ["本期无涉及单位的诉求。"],
        ]
    blocks += [
        ["三、科室排名（按综合得分）"],
        [_department_item(r) for r in content["departments"]] or ["本期无数据。"],
        ["四、黄牌、红牌"],
        _cards(content["cards"]),
        ["五、效能问题及处理"],
        [[f"{v['department']}：{v['kind']}（{v['date']}）"] for v in content["violations"]]
        or ["本期无经确认的效能问题。"],
        [[f"{s['department']}：{s['measure']}（{s['violation']}）"] for s in content["sanctions"]]
        or ["本期无作出的处理决定。"],
        ["六、热点、难点、急点"],
        [_hotspot_item(h) for h in content["hotspots"]] or ["本期无热点预警。"],
    ]
    if content.get("programme"):  # Bulletins frozen before this section existed have none.
        lines: list[Sentence] = [[line] for line in content["programme"]]
        if content.get("targets", {}).get("tasks"):  # frozen with the counts: link them
            lines[0] = _targets(content["targets"])
        blocks += [["七、目标任务与学习讨论"], lines]
    # The sections after 七 are numbered in order, as many as the bulletin carries (bulletins
    # frozen before a section existed have none of it).
    numbers = iter("八九十")
    if content.get("internal"):
        blocks += [[f"{next(numbers)}、政令畅通（内部事项）"], _internal(content["internal"])]
    if content.get("safety"):
        blocks += [[f"{next(numbers)}、校园安全"], [[line] for line in content["safety"]]]
    if content.get("evaluation") or content.get("typical_cases"):
        blocks += _evaluation_blocks(
            content.get("evaluation", []),
            content.get("typical_cases", []),
            number=next(numbers),
        )
    return blocks


def _evaluation_blocks(
    rounds: list[dict[str, Any]], typical: list[dict[str, Any]], number: str
) -> list[Block]:
    """The section (八 to 十) of the rounds of evaluation by the people served
    approved in the period and the typical cases and good practices published in it."""
    blocks: list[Block] = [[f"{number}、群众评议与典型案例"]]
    for r in rounds:
        blocks.append([f"{r['title']}结果（综合得分，满分100）："])
        blocks.append(
            [
                [f"{u['name']}：{score(u['score'])}（有效答卷{u['responses']}份）"]
                for u in r["units"]
            ]
            or ["本轮无结果。"]
        )
    bad = [t for t in typical if t["kind"] == "typical"]
    good = [t for t in typical if t["kind"] == "good"]
    if bad:
        blocks += [["典型案例："], [[_typical_item(t)] for t in bad]]
    if good:
        blocks += [["好做法："], [[_typical_item(t)] for t in good]]
    return blocks


def _typical_item(t: dict[str, Any]) -> str:
    unit = f"（{t['unit']}）" if t["unit"] else ""
    return f"{t['title']}{unit}。{t['facts']} 处理：{t['handling']} 启示：{t['lesson']}"


def _internal_count(n: int, name: str, department: int | None = None) -> Count:
    filters: dict[str, Any] = {"counted": name}
    if department:
        filters["department"] = department
    return Count(n, filters, listing="internal")


def _internal(s: dict[str, Any]) -> list[Sentence]:
    """请示回复及时率, 批办件办结率 and the return attempts of each department."""
    c = s["counts"]
    lines: list[Sentence] = [
        [
            "本期答复请示",
            _internal_count(c["requests_replied"], "requests_replied"),
            "件，按时答复",
            _internal_count(c["requests_on_time"], "requests_on_time"),
            f"件，请示回复及时率{pct(s['request_reply_timely_rate'])}；登记局领导批办件",
            _internal_count(c["instructions_registered"], "instructions_registered"),
            "件，已办结",
            _internal_count(c["instructions_done"], "instructions_done"),
            f"件，批办件办结率{pct(s['instruction_completion_rate'])}；申请改办",
            _internal_count(c["reroute_attempts"], "reroute_attempts"),
            "件，其中不予改办（推诿扯皮）",
            _internal_count(c["reroute_refused"], "reroute_refused"),
            "件。",
        ]
    ]
    for row in s["departments"]:
        n, dept = row["counts"], row["id"]
        lines.append(
            [
                f"{row['name']}：请示回复及时率{pct(row['request_reply_timely_rate'])}，"
                f"批办件办结率{pct(row['instruction_completion_rate'])}，申请改办",
                _internal_count(n["reroute_attempts"], "reroute_attempts", dept),
                "件，不予改办",
                _internal_count(n["reroute_refused"], "reroute_refused", dept),
                "件。",
            ]
        )
    return lines


def _targets(s: dict[str, Any]) -> Sentence:
    """The year's target tasks, as targets.assessment.targets_bulletin_line words them."""
    year = {"year": s["year"]}
    return [
        f"{s['year']}年度目标任务",
        Count(s["tasks"], year, listing="tasks"),
        f"项，平均完成进度{s['average']:g}%，已完成",
        Count(s["done"], {**year, "done": "on"}, listing="tasks"),
        "项，进度滞后",
        Count(s["lagging"], {**year, "lagging": "on"}, listing="tasks"),
        f"项，逾期未完成节点{s['overdue_milestones']}个。",
    ]


def _overall(f: dict[str, Any], m: dict[str, Any]) -> Sentence:
    return [
        "本期受理",
        counted(f["received"], "received"),
        "件，交办",
        counted(f["dispatched"], "dispatched"),
        "件，办结",
        counted(f["replied"], "replied"),
        f"件；按时签收率{pct(m['on_time_sign_for_rate'])}，"
        f"按时办结率{pct(m['on_time_completion_rate'])}，"
        f"满意率{pct(m['satisfaction_rate'])}（未评价",
        counted(f["unrated"], "unrated"),
        f"件），解决率{pct(m['resolution_rate'])}，退单率{pct(m['return_rate'])}，"
        f"重办率{pct(m['reopen_rate'])}，重复投诉率{pct(m['repeat_complaint_rate'])}，"
        f"综合得分{score(m['composite_score'])}。",
    ]


def _unit_item(r: dict[str, Any]) -> Sentence:
    return [
        f"{r['name']}：综合得分{score(r['composite_score'])}，受理",
        counted(r["received"], "received", unit=r.get("id")),
        f"件，按时办结率{pct(r['on_time_completion_rate'])}，满意率{pct(r['satisfaction_rate'])}",
    ]


def _department_item(r: dict[str, Any]) -> Sentence:
    return [
        f"{r['name']}：综合得分{score(r['composite_score'])}，办结",
        counted(r["replied"], "replied", department=r.get("id")),
        f"件，按时办结率{pct(r['on_time_completion_rate'])}",
    ]


def _concerned_item(r: dict[str, Any]) -> Sentence:
    unit = r.get("id")
    per = "" if r["per_thousand"] is None else f"（每千名学生{r['per_thousand']:g}件）"
    sentence: Sentence = [
        f"{r['name']}：被反映",
        counted(r["received"], "received", concerned=unit),
        "件，其中投诉",
        counted(r["complaints"], "received", concerned=unit, kind="complaint"),
        f"件{per}，重复投诉",
        counted(r["repeat"], "repeat", concerned=unit),
        "件；",
    ]
    categories = r["categories"]
    for index, category in enumerate(categories):
        name, n = category[0], category[1]
        category_id = category[2] if len(category) > 2 else None
        sentence += [
            "、" if index else "",
            name,
            counted(n, "received", concerned=unit, category=category_id),
            "件",
        ]
    if not categories:
        sentence.append("—")
    sentence.append(
        f"；按时办结率{pct(r['on_time_completion_rate'])}，满意率{pct(r['satisfaction_rate'])}"
    )
    return [part for part in sentence if part != ""]


def _cards(cards: dict[str, Any]) -> Sentence:
    return [
        "本期亮黄牌",
        Count(cards["yellow"], {"event": "carded", "level": "yellow"}),
        "张、红牌",
        Count(cards["red"], {"event": "carded", "level": "red"}),
        "张（已撤销的不计）。",
    ]


def _hotspot_item(h: dict[str, Any]) -> Sentence:
    """The complaints and reports of the alert's seven days at its unit and category, as the
    detector counted them (assessment.views.hotspot_link says the same)."""
    count = Count(h["count"], None)
    if h.get("unit_id") and h.get("category_id"):
        end = date.fromisoformat(h["window_end"])
        count = Count(
            h["count"],
            {
                "counted": "received",
                "unit": h["unit_id"],
                "category": h["category_id"],
                "complaints": "on",
            },
            window=(end - timedelta(days=6), end),
        )
    return [f"{h['unit']}：{h['category']}，7日内", count, "件"]
