"""Django's database sessions, read on every request with one plain statement.

Every signed-in request reads its session row. Django's store reads it through the ORM
(``Session.objects.get(session_key=…, expire_date__gt=now)``), and building that query's SQL
costs several times more Python than running it. This store sends the same statement as
written SQL; everything else (saving, creating, cycling keys, expiry, clearing) is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, now],
            )
            row = cursor.fetchone()
        if row is None or key is None:
            # As Django's store: an unknown or expired key is forgotten, a new one is made.
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
