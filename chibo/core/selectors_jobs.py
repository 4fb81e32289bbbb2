"""The administrator's view of the job queue: final failures and jobs waiting or running.

Reads django-tasks-db's result table (the default backend). A few queries, none per row.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult, get_date_max

from chibo.core.jobs import NOT_FINAL, max_attempts
from chibo.core.models import JobRetry

SHOWN = 50

# Names people read for the jobs chibo knows; any other job shows its function name.
LABELS = {
    "chibo.meetings.notify.send_email": _("Gửi thư điện tử"),
    "chibo.core.jobs.run_daily": _("Việc hằng ngày"),
}


@dataclass
class JobRow:
    id: str
    label: str
    what: str
    status: str
    attempt: int
    attempts: int
    error: str
    enqueued_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    run_after: dt.datetime | None  # None: as soon as a worker is free
    retried: bool = False


def failed() -> QuerySet[DBTaskResult]:
    """Jobs that failed for good (not an attempt that was scheduled again)."""
    return DBTaskResult.objects.failed().exclude(exception_class_path__in=NOT_FINAL)


def failed_open_count() -> int:
    """Final failures the administrator has not retried yet (one query)."""
    return failed().exclude(id__in=JobRetry.objects.values("failed_id")).count()


def _what(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if not k.startswith("_") and k not in ("subject", "body")}
    if set(shown) == {"name", "day"}:
        return f"{str(shown['name']).rsplit('.', 1)[-1]} · {shown['day']}"
    if "to" in shown:
        return ", ".join(shown["to"]) if isinstance(shown["to"], list) else str(shown["to"])
    return json.dumps(shown, ensure_ascii=False)[:120]


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _row(r: DBTaskResult, *, retried: set[str] | None = None) -> JobRow:
    kwargs = (r.args_kwargs or {}).get("kwargs", {}) or {}
    error = _last_line(r.traceback) if r.status == "FAILED" else str(kwargs.get("_error", ""))
    return JobRow(
        id=str(r.id),
        label=str(LABELS.get(r.task_path, r.task_path.rsplit(".", 1)[-1])),
        what=_what(kwargs),
        status=r.status,
        attempt=int(kwargs.get("_attempt", 1)),
        attempts=max_attempts(),
        error=error,
        enqueued_at=r.enqueued_at,
        started_at=r.started_at,
        finished_at=r.finished_at,
        run_after=None if r.run_after == get_date_max() else r.run_after,
        retried=retried is not None and str(r.id) in retried,
    )


_FIELDS = ("id", "status", "task_path", "args_kwargs", "traceback", "enqueued_at", "started_at", "finished_at", "run_after")


def jobs_page() -> dict[str, Any]:
    """The latest final failures (newest first) and the jobs waiting or running (next first): 4 queries."""
    failed_rows = list(failed().only(*_FIELDS).order_by("-finished_at")[:SHOWN])
    retried = {str(u) for u in JobRetry.objects.filter(failed_id__in=[r.id for r in failed_rows]).values_list("failed_id", flat=True)}
    pending_qs = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    # Running first, then those due now (run_after unset), then the deferred ones by their time.
    due_now = Case(When(run_after=get_date_max(), then=Value(0)), default=Value(1))
    pending_rows = list(pending_qs.only(*_FIELDS).order_by("-status", due_now, "run_after", "enqueued_at")[:SHOWN])
    return {
        "failed": [_row(r, retried=retried) for r in failed_rows],
        "failed_open": failed_open_count(),
        "pending": [_row(r) for r in pending_rows],
        "pending_total": pending_qs.count() if len(pending_rows) == SHOWN else len(pending_rows),
    }
