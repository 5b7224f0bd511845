"""The seeded time-limit policies of DESIGN.md §5, as plain data.

Used by the data migration (with historical models) and by ``policies_seed()``; both create
what is missing and never touch a policy that exists, so an administrator's edits survive.
Limits the design leaves open (assisting opinions, the rating window) are local defaults,
said so in each policy's note, and editable like everything else.
"""

from __future__ import annotations

from typing import Any

WD, D, M, H = "workdays", "days", "months", "hours"

# stage -> (amount, counting[, count_start])
PRESETS: list[dict[str, Any]] = [
    {
        "code": "hotline-consult",
        "name": "12345热线交办（咨询/求助）",
        "name_en": "12345 hotline referral (inquiry/help)",
        "stages": {
            "intake": (1, WD),
            "sign_for": (1, WD),
            "assist_opinion": (2, WD),
            "reply": (5, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": None,
        "source": (
            "本地12345政务服务便民热线工单办理规则：1个工作日内签收，咨询、求助"
            "类5个工作日内办结；确需延期的，经批准可延期。"
        ),
    },
    {
        "code": "hotline-complaint",
        "name": "12345热线交办（投诉/建议/举报）",
        "name_en": "12345 hotline referral (complaint/suggestion/report)",
        "stages": {
            "intake": (1, WD),
            "sign_for": (1, WD),
            "assist_opinion": (3, WD),
            "reply": (15, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": None,
        "source": (
            "本地12345政务服务便民热线工单办理规则：1个工作日内签收，投诉、建议"
            "、举报类15个工作日内办结；确需延期的，经批准可延期。"
        ),
    },
    {
        "code": "bureau-consult",
        "name": "本局直接受理（咨询/求助）",
        "name_en": "Received by the bureau (inquiry/help)",
        "stages": {
            "intake": (1, WD),
            "sign_for": (1, WD),
            "assist_opinion": (2, WD),
            "reply": (5, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": 5,
        "source": (
            "本局首问负责制、限时办结制及服务承诺：群众来电、来信、来访和网上提出的"
            "咨询、求助，首问责任人1个工作日内受理，承办科室1个工作日内签收，"
            "5个工作日内答复；确需延期的，经效能办批准可延长，累计不超过5个工作日。"
        ),
    },
    {
        "code": "bureau-complaint",
        "name": "本局直接受理（投诉/建议/举报）",
        "name_en": "Received by the bureau (complaint/suggestion/report)",
        "stages": {
            "intake": (1, WD),
            "sign_for": (1, WD),
            "assist_opinion": (3, WD),
            "reply": (15, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": 15,
        "source": (
            "本局首问负责制、限时办结制及服务承诺：群众来电、来信、来访和网上提出的"
            "投诉、建议、举报，首问责任人1个工作日内受理，承办科室1个工作日内签收，"
            "15个工作日内办结答复；确需延期的，经效能办批准可延长，累计不超过15个工作日。"
        ),
    },
    {
        "code": "urgent",
        "name": "紧急/突发事项",
        "name_en": "Urgent/emergency matter",
        # "Same day": zero calendar days ends at the end of the start day, with no roll forward.
        "stages": {
            "intake": (1, H),
            "sign_for": (2, H),
            "assist_opinion": (1, H),
            "reply": (0, D),
            "rating": (7, D),
        },
        "prewarn_fractions": [50, 75],
        "extension_allowed": False,
        "extension_max": None,
        "source": ("本地12345政务服务便民热线工单办理规则：紧急事项2小时内签收并处置，当日办结。"),
    },
    {
        "code": "efficiency-referral",
        "name": "效能办交办/效能投诉",
        "name_en": "Efficiency office referral/efficiency complaint",
        "stages": {
            "intake": (1, WD),
            "sign_for": (7, WD),
            "assist_opinion": (5, WD),
            "reply": (30, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": 30,
        "source": (
            "机关效能投诉处理办法：7个工作日内决定是否受理，受理后30个工作日内办结"
            "；情况复杂的经批准可以延长，办理期限累计不超过60个工作日。"
        ),
    },
    {
        "code": "petition",
        "name": "信访事项",
        "name_en": "Petition (letters and visits)",
        "stages": {
            "intake": (1, WD),
            "sign_for": (15, D),
            "assist_opinion": (10, D),
            "reply": (60, D),
            "rating": (30, D),
        },
        "extension_allowed": True,
        "extension_max": 30,
        "source": (
            "《信访工作条例》（2022年）：收到信访事项之日起15日内决定是否受理并"
            "告知信访人；自受理之日起60日内办结，情况复杂的经负责人批准可适当延长，"
            "延长期限不得超过30日。"
        ),
    },
    {
        "code": "deputy-proposal",
        "name": "人大代表建议/政协委员提案",
        "name_en": "Deputies' suggestions/CPPCC proposals",
        "stages": {
            "intake": (1, WD),
            "sign_for": (5, WD),
            "assist_opinion": (1, M),
            "reply": (3, M),
            "rating": (1, M),
        },
        "extension_allowed": True,
        "extension_max": 3,
        "source": (
            "建议提案办理工作规定：非本单位职责的，于交办后5至10日内退回；自交办之"
            "日起3个月内答复，情况复杂的经批准可延长，最长不超过6个月。"
        ),
    },
    {
        "code": "info-disclosure",
        "name": "政府信息公开申请",
        "name_en": "Government information disclosure request",
        "stages": {
            "intake": (1, WD),
            "assist_opinion": (5, WD),
            "reply": (20, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": 20,
        # 条例 art. 30: after a correction the period counts from receiving the corrected request.
        "after_supplement": "restart",
        "source": (
            "《中华人民共和国政府信息公开条例》第三十三条：收到申请之日起20个工作日"
            "内答复；需要延长的，经负责人同意可延长，延长期限最长不得超过20个工作日"
            "。第三十条：补正后答复期限自收到补正的申请之日起计算。"
        ),
    },
    {
        "code": "admin-licence",
        "name": "行政许可（按服务事项）",
        "name_en": "Administrative licence (per service item)",
        "stages": {
            "intake": (1, WD),
            "one_time_notice": (5, WD),
            "assist_opinion": (5, WD),
            "reply": (20, WD),
            "rating": (7, D),
        },
        "extension_allowed": True,
        "extension_max": 10,
        "after_supplement": "restart",
        "source": (
            "《中华人民共和国行政许可法》第三十二条：材料不齐全的，当场或者五日内一次"
            "告知需要补正的全部内容；第四十二条：20日内作出决定，经本机关负责人批准"
            "可延长10日；第八十二条：期限以工作日计算，不含法定节假日。事项承诺时限"
            "不得超过法定时限。"
        ),
    },
]

LOCAL_DEFAULT_NOTE = "待受理期限、协办意见期限与评价期限为本地默认值，可按实际调整。"


def preset_version_fields(preset: dict[str, Any]) -> dict[str, Any]:
    """The PolicyVersion field values of a preset (its stage limits excluded)."""
    return {
        "count_start": False,
        "closing_time": None,
        "prewarn_workdays": 1,
        "prewarn_fractions": list(preset.get("prewarn_fractions", [])),
        "yellow_grace_workdays": 5,
        "extension_allowed": preset["extension_allowed"],
        "extension_max": preset["extension_max"],
        "after_supplement": preset.get("after_supplement", "resume"),
        "source": preset["source"],
        "note": LOCAL_DEFAULT_NOTE,
    }


def preset_stage_rows(preset: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for stage, spec in preset["stages"].items():
        amount, counting, *rest = spec
        rows.append(
            {
                "stage": stage,
                "amount": amount,
                "counting": counting,
                "count_start": rest[0] if rest else None,
            }
        )
    return rows
