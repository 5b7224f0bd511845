"""Timestamps kept in the session: sign-in, last activity, when the password was set."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

STARTED = "_xn_started"
SEEN = "_xn_seen"
PASSWORD_AT = "_xn_password_at"
# Writing the session on every request costs a query; a minute is fine-grained enough for an
# idle limit counted in minutes.
SEEN_GRANULARITY = 60


def session_start(session: Any, *, password_changed: datetime) -> None:
    now = time.time()
    session[STARTED] = now
    session[SEEN] = now
    session[PASSWORD_AT] = password_changed.timestamp()
