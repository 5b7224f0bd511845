"""The referral format: header mapping, cell parsing and per-row validation.

Rows come streamed from ``reading``. Nothing here touches the database except the category
lookup and the batched check for external numbers already imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.services.intake import MAX_CONTENT
from xiaoneng.errors import lazy_format
from xiaoneng.privacy import PHONE_ENTRY
from xiaoneng.web.spreadsheets import FileRefused, raw_rows

__all__ = ["FileRefused", "checked_rows", "map_header"]

# Limits: refuse rather than grind through a file nobody meant to send.
MAX_ROWS = 100_000
DB_CHECK_BATCH = 500

CHANNEL = Channel.HOTLINE
DEFAULT_KIND = Kind.COMPLAINT


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    aliases: tuple[str, ...]
    required: bool = True


COLUMNS = (
    Column(
        "external_number",
        _("External number"),
        ("工单编号", "工单号", "external number", "external_number", "number"),
    ),
    Column(
        "received_at",
        _("Time received"),
        ("来电时间", "time received", "received at", "received_at", "received"),
    ),
    Column("requester", _("Requester"), ("来电人", "来电人姓名", "requester", "name")),
    Column("phone", _("Phone"), ("联系电话", "电话", "phone", "telephone")),
    Column("content", _("Content"), ("诉求内容", "content")),
    Column("category", _("Category"), ("诉求类别", "category")),
    Column(
        "deadline",
        _("Deadline"),
        ("办理时限", "办结期限", "deadline", "due date", "due_date"),
    ),
    Column("kind", _("Kind"), ("诉求类型", "kind"), required=False),
    Column("urgent", _("Urgent"), ("紧急程度", "是否紧急", "urgent", "urgency"), required=False),
)
# The urgency column: these say urgent; these say ordinary (the category and words may still
# suggest urgent, for review); anything else is an error of the row.
URGENT_VALUES = {"紧急", "特急", "加急", "是", "urgent", "yes", "true", "1"}
ORDINARY_VALUES = {"", "一般", "普通", "否", "normal", "no", "false", "0"}
KIND_NAMES = {
    "咨询": Kind.INQUIRY,
    "求助": Kind.HELP,
    "投诉": Kind.COMPLAINT,
    "举报": Kind.REPORT,
    "建议": Kind.SUGGESTION,
    "表扬": Kind.PRAISE,
    **{kind.value: kind for kind in Kind if kind != Kind.APPLICATION},
}


def _norm(header: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(header or "")).strip().lower()


_ALIASES = {_norm(alias): column for column in COLUMNS for alias in column.aliases}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.message]


@dataclass
class Referral:
    """One valid row, ready for case_register."""

    row: int
    external_number: str
    received_at: datetime
    requester: str
    phone: str
    content: str
    category: Category
    deadline: date | None
    kind: str
    urgent: bool = False


@dataclass
class Checked:
    row: int
    referral: Referral | None = None
    errors: list[RowError] = field(default_factory=list)
    already_imported: bool = False


# -- headers -------------------------------------------------------------------------------


def map_header(values: list[Any]) -> dict[str, tuple[int, str]]:
    """Column key -> (index, header as written). Refuses unknown and missing columns."""
    found: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    for index, value in enumerate(values):
        written = str(value).strip().lstrip("\ufeff") if value is not None else ""
        if not written:
            continue
        column = _ALIASES.get(_norm(written))
        if column is None:
            unknown.append(written)
        elif column.key in found:
            raise FileRefused(
                lazy_format(_("The column %(name)s appears twice."), {"name": written})
            )
        else:
            found[column.key] = (index, written)
    missing = [f"{c.aliases[0]} ({c.label})" for c in COLUMNS if c.required and c.key not in found]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(
                lazy_format(_("missing columns: %(names)s"), {"names": ", ".join(missing)})
            )
        if unknown:
            parts.append(
                lazy_format(_("unknown columns: %(names)s"), {"names": ", ".join(unknown)})
            )
        raise FileRefused(
            lazy_format(
                _("The header row does not match the referral format (%(problems)s)."),
                {"problems": "; ".join(str(part) for part in parts)},
            )
        )
    return found


# -- cells ---------------------------------------------------------------------------------

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d")


def text(value: Any) -> str:
    """A cell as text; whole numbers (numbers and phones typed as numbers in Excel) lose '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_datetime_cell(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        raw = text(value)
        moment = None
        for fmt in DATETIME_FORMATS + DATE_FORMATS:
            try:
                moment = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def parse_date_cell(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    for fmt in DATE_FORMATS + DATETIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


# -- rows ----------------------------------------------------------------------------------


class RowChecker:
    """Validates rows one at a time; remembers external numbers seen for in-file duplicates."""

    def __init__(self, header: dict[str, tuple[int, str]]) -> None:
        self.header = header
        self.categories = {
            c.name.strip().casefold(): c for c in Category.objects.filter(is_active=True)
        }
        self.seen: dict[str, int] = {}
        self.now = timezone.now()

    def _cell(self, values: list[Any], key: str) -> Any:
        if key not in self.header:
            return None
        index = self.header[key][0]
        return values[index] if index < len(values) else None

    def check(self, row: int, values: list[Any]) -> Checked:
        errors: list[RowError] = []

        def error(key: str, message: Any) -> None:
            errors.append(RowError(row, self.header[key][1], str(message)))

        get = self._cell
        number = text(get(values, "external_number"))
        if not number:
            error("external_number", _("The external number is missing."))
        elif len(number) > 64:
            error("external_number", _("The external number is longer than 64 characters."))
        elif number in self.seen:
            error(
                "external_number",
                lazy_format(
                    _("Duplicate external number %(number)s: already in row %(row)d."),
                    {"number": number, "row": self.seen[number]},
                ),
            )
        else:
            self.seen[number] = row

        received_raw = get(values, "received_at")
        received = None
        if received_raw is None or text(received_raw) == "":
            error("received_at", _("The time received is missing."))
        else:
            received = parse_datetime_cell(received_raw)
            if received is None:
                error("received_at", _("Not a date and time (use 2026-11-28 09:30)."))
            elif received > self.now + timedelta(minutes=5):
                error("received_at", _("The time received is in the future."))
                received = None
            elif received < self.now - timedelta(days=366):
                error("received_at", _("The time received is more than a year ago."))
                received = None

        requester = text(get(values, "requester"))
        if len(requester) > 64:
            error("requester", _("The requester's name is longer than 64 characters."))
        phone = text(get(values, "phone"))
        if phone and not PHONE_ENTRY.match(phone):
            error("phone", _("Not a valid phone number."))

        content = text(get(values, "content"))
        if not content:
            error("content", _("The content is missing."))
        elif len(content) > MAX_CONTENT:
            error(
                "content",
                lazy_format(
                    _("The content is longer than %(max)d characters."), {"max": MAX_CONTENT}
                ),
            )

        category_name = text(get(values, "category"))
        category = self.categories.get(category_name.casefold()) if category_name else None
        if not category_name:
            error("category", _("The category is missing."))
        elif category is None:
            error(
                "category",
                lazy_format(_("Unknown category %(name)s."), {"name": category_name[:40]}),
            )

        deadline_raw = get(values, "deadline")
        deadline = None
        if deadline_raw is not None and text(deadline_raw) != "":
            deadline = parse_date_cell(deadline_raw)
            if deadline is None:
                error("deadline", _("Not a date (use 2026-12-05)."))
            elif received is not None and deadline < timezone.localtime(received).date():
                error("deadline", _("The deadline is before the time received."))

        kind = DEFAULT_KIND
        kind_raw = text(get(values, "kind"))
        if kind_raw:
            kind = KIND_NAMES.get(kind_raw) or KIND_NAMES.get(kind_raw.lower())
            if kind is None:
                error("kind", lazy_format(_("Unknown kind %(name)s."), {"name": kind_raw[:20]}))

        urgent_raw = text(get(values, "urgent")).lower()
        if urgent_raw not in URGENT_VALUES | ORDINARY_VALUES:
            error("urgent", _("Write 紧急 (urgent) or 一般 (ordinary)."))

        if errors:
            return Checked(row=row, errors=errors)
        return Checked(
            row=row,
            referral=Referral(
                row=row,
                external_number=number,
                received_at=received,  # type: ignore[arg-type]
                requester=requester,
                phone=phone,
                content=content,
                category=category,  # type: ignore[arg-type]
                deadline=deadline,
                kind=str(kind),
                urgent=urgent_raw in URGENT_VALUES,
            ),
        )


def _mark_imported(batch: list[Checked]) -> None:
    numbers = [item.referral.external_number for item in batch if item.referral]
    if not numbers:
        return
    existing = set(
        Case.objects.filter(channel=CHANNEL, external_number__in=numbers).values_list(
            "external_number", flat=True
        )
    )
    for item in batch:
        if item.referral and item.referral.external_number in existing:
            item.already_imported = True


def checked_rows(
    handle: IO[bytes],
    name: str,
    *,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Iterator[Checked]:
    """Every non-blank data row, validated, in file order; raises FileRefused for the file."""
    max_rows = max_rows or MAX_ROWS  # read at call time, so the limit can be configured
    rows = raw_rows(handle, name)
    try:
        yield from _checked(rows, max_rows, on_row)
    finally:
        rows.close()  # release the workbook or decoder while the file is still open


def _checked(
    rows: Iterator[tuple[int, list[Any]]],
    max_rows: int,
    on_row: Callable[[int], None] | None,
) -> Iterator[Checked]:
    checker: RowChecker | None = None
    batch: list[Checked] = []
    count = 0
    for number, values in rows:
        if not any(text(value) for value in values):
            continue
        if checker is None:
            checker = RowChecker(map_header(values))
            continue
        count += 1
        if count > max_rows:
            raise FileRefused(
                lazy_format(
                    _("The file has more than %(max)d rows; split it and import the parts."),
                    {"max": max_rows},
                )
            )
        batch.append(checker.check(number, values))
        if on_row:
            on_row(count)
        if len(batch) >= DB_CHECK_BATCH:
            _mark_imported(batch)
            yield from batch
            batch = []
    if checker is None:
        raise FileRefused(_("The file is empty: no header row was found."))
    _mark_imported(batch)
    yield from batch
