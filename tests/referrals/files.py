"""Writing real referral spreadsheets (.xlsx with openpyxl, .csv in several encodings)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

HEADER = ["工单编号", "来电时间", "来电人", "联系电话", "诉求内容", "诉求类别", "办理时限"]
ENGLISH_HEADER = [
    "external number",
    "time received",
    "requester",
    "phone",
    "content",
    "category",
    "deadline",
]


def received(hours_ago: int = 2) -> datetime:
    return (timezone.localtime() - timedelta(hours=hours_ago)).replace(microsecond=0, tzinfo=None)


def row(number: str, **changes: Any) -> list[Any]:
    moment = received()
    values = {
        "number": number,
        "received": moment,
        "requester": "张三",
        "phone": "13812345678",
        "content": f"家长反映学校违规收费，工单 {number}",
        "category": "教育收费",
        "deadline": (moment + timedelta(days=10)).date(),
    }
    values.update(changes)
    return list(values.values())


def rows(count: int, prefix: str = "RX") -> list[list[Any]]:
    return [row(f"{prefix}{i:05d}") for i in range(1, count + 1)]


def write_xlsx(path: Path, data: list[list[Any]], header: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for values in data:
        sheet.append(values)
    book.save(path)
    return path


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def write_csv(
    path: Path,
    data: list[list[Any]],
    header: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or HEADER)
        for values in data:
            writer.writerow([_cell(value) for value in values])
    return path
