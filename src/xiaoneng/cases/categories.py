"""The default categories (topics) of an education bureau; editable afterwards."""

from __future__ import annotations

DEFAULT_CATEGORIES = [
    ("fees", "教育收费"),
    ("enrolment", "招生入学"),
    ("aid", "学生资助"),
    ("ethics", "师德师风"),
    ("safety", "校园安全"),
    ("surroundings", "校园周边环境"),
    ("management", "学校管理"),
    ("tutoring", "有偿补课"),
    ("food", "食品卫生"),
    ("workload", "课业负担"),
    ("teachers", "教师权益"),
    ("other", "其他"),
]

# Topics whose requests are suggested as urgent at intake (Category.suggest_urgent).
URGENT_CATEGORY_CODES = frozenset({"safety", "food"})
