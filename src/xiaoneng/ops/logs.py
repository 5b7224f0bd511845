"""Structured logs: a JSON formatter and a filter adding the request id, user id and case.

Only identifiers are added (request id, numeric user id, case id or number), never names; the
message text itself is passed through the same masks as the outbox errors, so a phone number
or an e-mail address that slipped into a log call is masked before it leaves the process.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from xiaoneng.audit.context import current_context
from xiaoneng.privacy import mask_contacts

_case: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "xiaoneng_log_case", default=("", "")
)


def set_case(*, case_id: object = "", number: str = "") -> contextvars.Token:
    return _case.set((str(case_id or ""), number or ""))


def reset_case(token: contextvars.Token) -> None:
    _case.reset(token)


@contextmanager
def case_context(*, case_id: object = "", number: str = "") -> Iterator[None]:
    """Tag every log line inside the block with this case (tasks, commands)."""
    token = set_case(case_id=case_id, number=number)
    try:
        yield
    finally:
        reset_case(token)


def _user_id(user: object) -> str:
    # Only a user already loaded by the request; reading it here must never query the database.
    if user is None:
        return ""
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or type(wrapped).__name__ == "object":
        return ""
    pk = getattr(wrapped, "pk", None)
    return str(pk) if pk is not None else ""


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id``, ``case_id`` and ``case_number`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_context()
        # django.request logs after the middleware finished, but passes the request along.
        request = getattr(record, "request", None)
        request_id = context.request_id or getattr(request, "request_id", "")
        record.request_id = getattr(record, "request_id", "") or request_id or "-"
        user = context.user if context.user is not None else getattr(request, "user", None)
        record.user_id = _user_id(user)
        record.case_id, record.case_number = _case.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with personal data masked in the message and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_contacts(record.getMessage(), standalone=True),
        }
        for key in ("request_id", "user_id", "case_id", "case_number"):
            value = getattr(record, key, "")
            if value and value != "-":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = mask_contacts(
                self.formatException(record.exc_info), standalone=True
            )
        return json.dumps(entry, ensure_ascii=False)
