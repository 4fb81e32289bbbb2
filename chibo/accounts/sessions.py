"""Django's database sessions, with the read that runs on every request as one plain statement.

See chibo.accounts.backends for why: on a meeting day every check-in pays for this lookup.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

from chibo.core.rows import execute


class _Row:
    __slots__ = ("session_data",)

    def __init__(self, session_data: str) -> None:
        self.session_data = session_data


class SessionStore(DbSessionStore):
    """Django's database sessions; only the read on every request is one plain statement."""

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        row = execute("SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s", [key, timezone.now()], fetch="one")
        if row is None:
            self._session_key = None
            return None
        return _Row(row[0])
