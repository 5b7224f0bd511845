"""The default categories (topics) of an education bureau, with their English names;
editable afterwards."""

from __future__ import annotations

DEFAULT_CATEGORIES = [
    ("fees", "教育收费", "Education fees"),
    ("enrolment", "招生入学", "Enrolment and admission"),
    ("aid", "学生资助", "Student financial aid"),
    ("ethics", "师德师风", "Teachers' ethics"),
    ("safety", "校园安全", "Campus safety"),
    ("surroundings", "校园周边环境", "School surroundings"),
    ("management", "学校管理", "School management"),
    ("tutoring", "有偿补课", "Paid tutoring"),
    ("food", "食品卫生", "Food hygiene"),
    ("workload", "课业负担", "Homework load"),
    ("teachers", "教师权益", "Teachers' rights"),
    ("other", "其他", "Other"),
]

# Topics whose requests are suggested as urgent at intake (Category.suggest_urgent).
URGENT_CATEGORY_CODES = frozenset({"safety", "food"})
