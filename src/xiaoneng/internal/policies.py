"""The time-limit policies of internal matters, as plain data (seeded by the migration
0002_internal_policies into catalog's versioned policies; edited there by new versions)."""

from __future__ import annotations

from typing import Any

WD = "workdays"
SOURCE = (
    "局机关政令畅通工作规定（本地）：局领导批办的文件由办公室登记后转交承办科室，承办科室"
    "1个工作日内签收，不得拒收，确需改办的向办公室说明理由；批办件按领导批示时限办结，"
    "未明确时限的10个工作日内办结；学校和科室的请示5个工作日内答复；会议议定事项10个工作日内"
    "落实。确需延期的，经批准可延期。"
)

INTERNAL_POLICIES: list[dict[str, Any]] = [
    {
        "code": "internal-instruction",
        "name": "局领导批办件",
        "name_en": "Leader's instruction",
        "stages": {"sign_for": (1, WD), "reply": (10, WD)},
        "extension_max": 10,
    },
    {
        "code": "internal-request",
        "name": "请示回复",
        "name_en": "Reply to a request for instructions",
        "stages": {"reply": (5, WD)},
        "extension_max": 5,
    },
    {
        "code": "internal-meeting",
        "name": "会议议定事项",
        "name_en": "Meeting decision",
        "stages": {"sign_for": (1, WD), "reply": (10, WD)},
        "extension_max": 10,
    },
]


def version_fields(policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "count_start": False,
        "closing_time": None,
        "prewarn_workdays": 1,
        "prewarn_fractions": [],
        "yellow_grace_workdays": 3,
        "extension_allowed": True,
        "extension_max": policy["extension_max"],
        "after_supplement": "resume",
        "source": SOURCE,
        "note": "内部事项时限，向局机关各科室和各学校公开。",
    }
