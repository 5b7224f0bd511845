"""Whether a new request looks urgent: its category says so (校园安全, 食品卫生: the category's
``suggest_urgent`` flag) or its words do (a short list below). Only a suggestion: the registrar
confirms it on the office intake; on the public channels it marks the request urgent for the
first-contact post to review (``Urgency.SUGGESTED``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from xiaoneng.cases.models import Category, Kind

# Words that, in a request's title or description, suggest that someone is in danger now.
URGENT_WORDS = (
    "食物中毒",
    "中毒",
    "腹泻",
    "呕吐",
    "发烧",
    "受伤",
    "流血",
    "昏迷",
    "晕倒",
    "溺水",
    "火灾",
    "起火",
    "着火",
    "爆炸",
    "坍塌",
    "倒塌",
    "打架",
    "斗殴",
    "欺凌",
    "霸凌",
    "持刀",
    "跳楼",
    "自杀",
    "失踪",
    "走失",
    "猥亵",
    "性侵",
    "传染",
    "疫情",
    "燃气泄漏",
    "漏电",
)


@dataclass(frozen=True)
class UrgencySuggestion:
    by_category: bool
    words: tuple[str, ...]

    @property
    def urgent(self) -> bool:
        return self.by_category or bool(self.words)


def urgency_suggest(*, kind: str, category: Category | None, text: str) -> UrgencySuggestion:
    """What suggests the request is urgent. An application (行政许可) never is: it runs on
    its statutory limits."""
    if kind == Kind.APPLICATION:
        return UrgencySuggestion(by_category=False, words=())
    words = tuple(word for word in URGENT_WORDS if word in (text or ""))
    # "中毒" is inside "食物中毒": name the longer word only.
    words = tuple(w for w in words if not any(w != other and w in other for other in words))
    return UrgencySuggestion(
        by_category=bool(category is not None and category.suggest_urgent), words=words
    )


def urgency_question(*, kind: str, category: Category | None, text: str) -> str:
    """What the office intake asks the registrar when the request looks urgent (empty when it
    does not): the reasons, and how to confirm or decline."""
    suggestion = urgency_suggest(kind=kind, category=category, text=text)
    if not suggestion.urgent:
        return ""
    reasons = []
    if suggestion.by_category and category is not None:
        reasons.append(gettext("the topic %(name)s") % {"name": category.label})
    if suggestion.words:
        reasons.append(gettext("the words %(words)s") % {"words": "、".join(suggestion.words)})
    return gettext(
        "This request looks urgent (%(reasons)s). Tick “Urgent” to confirm, or register it "
        "again as it is to keep it ordinary."
    ) % {"reasons": gettext(", ").join(reasons)}
