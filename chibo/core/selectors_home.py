"""The administrator's line on the home page: failed jobs of the queue (one query, admins only)."""

from __future__ import annotations

from typing import Any

from chibo.core.access import Policy


def jobs_home(*, policy: Policy) -> dict[str, Any] | None:
    if not policy.is_admin:
        return None
    from chibo.core.selectors_jobs import failed_open_count

    return {"failed": failed_open_count()}
