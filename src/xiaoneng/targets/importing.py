"""Import of the yearly target list from an Excel workbook, all or nothing.

One row per milestone; rows with the same target and task build one target and one task.
Columns (the header row, Chinese or English): 来源/source, 目标/target, 说明/description,
任务/task, 单位代码/unit, 科室代码/department, 责任人账号/person, 节点/milestone,
节点时限/due date.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.targets.models import Target
from xiaoneng.targets.services import milestone_add, target_create, task_create
from xiaoneng.web.spreadsheets import xlsx_rows

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = {
    "source": ("来源", "source"),
    "target": ("目标", "target"),
    "description": ("说明", "description"),
    "task": ("任务", "task"),
    "unit": ("单位代码", "unit"),
    "department": ("科室代码", "department"),
    "person": ("责任人账号", "person"),
    "milestone": ("节点", "milestone"),
    "due": ("节点时限", "due date"),
}
REQUIRED = ("source", "target", "task", "unit", "milestone", "due")
SOURCE_WORDS = {
    "省教育厅": Target.Source.PROVINCE,
    "市委市政府": Target.Source.CITY,
    "局定": Target.Source.BUREAU,
    "民心工程": Target.Source.WELFARE,
    **{value: value for value in Target.Source.values},
}


@dataclass
class PlannedRow:
    number: int
    source: str
    target: str
    description: str
    task: str
    unit: Unit
    department: Department | None
    person: Staff | None
    milestone: str
    due: date


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message

    @property
    def targets(self) -> int:
        return len({(r.source, r.target) for r in self.rows})

    @property
    def tasks(self) -> int:
        return len({(r.target, r.task, r.unit.pk) for r in self.rows})


def _cells(data: bytes) -> list[tuple[Any, ...]]:
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than 5 MB."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError(_("This file is not an Excel workbook (.xlsx)."))
    # The zip-bomb checks of every uploaded spreadsheet run before openpyxl opens it.
    rows = []
    for _number, values in xlsx_rows(io.BytesIO(data)):
        if len(rows) > MAX_ROWS + 1:
            raise DomainError(
                lazy_format(_("The file has more than %(max)d rows."), {"max": MAX_ROWS})
            )
        rows.append(tuple(values))
    return rows


def _header(row: tuple[Any, ...]) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in row]
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise DomainError(
            lazy_format(_("Missing columns: %(names)s."), {"names": "、".join(missing)})
        )
    return found


def _due(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def targets_import_plan(*, data: bytes, year: int) -> ImportPlan:
    """Read and check every row; nothing is stored."""
    rows = _cells(data)
    if not rows:
        raise DomainError(_("The file is empty."))
    columns = _header(rows[0])
    plan = ImportPlan()
    units = {u.code: u for u in Unit.objects.all()}
    for number, row in enumerate(rows[1:], start=2):
        value = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        if all(v in (None, "") for v in value.values()):
            continue
        text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
        errors = []

        def error(key: str, message: Any, errors: list = errors, number: int = number) -> None:
            errors.append((number, COLUMNS[key][0], str(message)))

        for key in REQUIRED:
            if not text.get(key):
                error(key, _("Required."))
        source = SOURCE_WORDS.get(text.get("source", ""))
        if text.get("source") and source is None:
            error("source", _("One of 省教育厅, 市委市政府, 局定, 民心工程."))
        unit = units.get(text.get("unit", ""))
        if text.get("unit") and unit is None:
            error("unit", _("No unit with this code."))
        department = person = None
        if unit and text.get("department"):
            department = Department.objects.filter(unit=unit, code=text["department"]).first()
            if department is None:
                error("department", _("No department with this code in the unit."))
        if unit and text.get("person"):
            person = Staff.objects.filter(user__username=text["person"], unit=unit).first()
            if person is None:
                error("person", _("No staff member with this username in the unit."))
        due = _due(value.get("due")) if text.get("due") else None
        if text.get("due") and due is None:
            error("due", _("Not a date (use 2026-06-30)."))
        elif due is not None and due.year != year:
            error("due", lazy_format(_("Not within %(year)s."), {"year": year}))
        if errors:
            plan.errors.extend(errors)
            continue
        plan.rows.append(
            PlannedRow(
                number=number,
                source=source,
                target=text["target"][:200],
                description=text.get("description", ""),
                task=text["task"][:200],
                unit=unit,
                department=department,
                person=person,
                milestone=text["milestone"][:200],
                due=due,
            )
        )
    if not plan.rows and not plan.errors:
        raise DomainError(_("The file has no rows below the header."))
    return plan


def targets_import(*, by: User, data: bytes, year: int) -> ImportPlan:
    """Import the whole list or nothing: any row error or refused row stores nothing."""
    plan = targets_import_plan(data=data, year=year)
    if plan.errors:
        raise DomainError(_("The file has errors; nothing was imported."))
    with transaction.atomic():
        targets: dict[tuple[str, str], Target] = {}
        tasks: dict[tuple[str, str, int], Any] = {}
        for row in plan.rows:
            try:
                key = (row.source, row.target)
                if key not in targets:
                    targets[key] = Target.objects.filter(
                        year=year, title=row.target
                    ).first() or target_create(
                        by=by,
                        year=year,
                        source=row.source,
                        title=row.target,
                        description=row.description,
                    )
                task_key = (row.target, row.task, row.unit.pk)
                if task_key not in tasks:
                    tasks[task_key] = task_create(
                        by=by,
                        target=targets[key],
                        title=row.task,
                        unit=row.unit,
                        department=row.department,
                        person=row.person,
                    )
                milestone_add(by=by, task=tasks[task_key], title=row.milestone, due_date=row.due)
            except DomainError as exc:
                raise DomainError(
                    lazy_format(
                        _("Row %(row)d: %(message)s Nothing was imported."),
                        {"row": row.number, "message": exc.message},
                    )
                ) from exc
    return plan
