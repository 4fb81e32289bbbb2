"""Task figures for ``chibo stats --json`` (root key ``tasks``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from chibo.core.dates import zone
from chibo.orgs.selectors import versions_on
from chibo.tasks.models import Task, TaskStatus


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, int]:
    """Tasks given in ``year`` (by the day they were created, in Vietnam) in cells whose version on
    ``on`` lies under ``path``: how many are open, done, done late, not done, and open past their due
    date on ``on`` (overdue, counted among the open ones)."""
    cells = versions_on(on).filter(path__startswith=path).values("org_id")
    start = dt.datetime(year, 1, 1, tzinfo=zone())
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone())
    row = Task.objects.filter(cell_id__in=cells, created_at__gte=start, created_at__lt=end).aggregate(
        open=Count("id", filter=Q(status=TaskStatus.OPEN)),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        done_late=Count("id", filter=Q(status=TaskStatus.DONE_LATE)),
        not_done=Count("id", filter=Q(status=TaskStatus.NOT_DONE)),
        overdue=Count("id", filter=Q(status=TaskStatus.OPEN, due_on__lt=on)),
    )
    return {k: int(row[k] or 0) for k in ("open", "done", "done_late", "not_done", "overdue")}
