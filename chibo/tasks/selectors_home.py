"""The tasks part of the home page: the member's open tasks (overdue flagged) and, for a secretary,
each of their cells' open and overdue counts. Two queries at most, none per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from chibo.core.access import Policy
from chibo.meetings.selectors_home import secretary_cells
from chibo.tasks.models import Task, TaskStatus


@dataclass
class CellTaskCounts:
    cell: Any  # OrgVersion
    open: int
    overdue: int


@dataclass
class TaskHome:
    mine: list[Task] = field(default_factory=list)
    my_overdue: int = 0
    cells: list[CellTaskCounts] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.mine or self.cells)


def task_home(*, policy: Policy, now: dt.datetime) -> TaskHome:
    today = timezone.localdate(now)
    home = TaskHome()
    member_id = policy.member_id
    if member_id:
        home.mine = list(Task.objects.filter(assignee_rows__member_id=member_id, status=TaskStatus.OPEN).order_by("due_on", "id")[:10])
        for t in home.mine:
            t.overdue = t.due_on < today  # type: ignore[attr-defined]
        home.my_overdue = sum(1 for t in home.mine if t.due_on < today)
    if "secretary" in policy.roles():  # the grants, already read: no query for others
        cells = {c.org_id: c for c in secretary_cells(policy=policy, on=today)[:10]}
        if cells:
            rows = (
                Task.objects.filter(cell_id__in=list(cells), status=TaskStatus.OPEN)
                .values("cell_id")
                .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
            )
            counts: dict[int, dict[str, int]] = {r["cell_id"]: {"n": r["n"], "late": r["late"]} for r in rows}
            home.cells = [
                CellTaskCounts(cell=c, open=counts.get(oid, {}).get("n", 0), overdue=counts.get(oid, {}).get("late", 0)) for oid, c in cells.items()
            ]
    return home
