"""Reads for member tasks. Callers reach the cell through the access policy first (access.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from chibo.core.dates import zone
from chibo.core.models import OPEN
from chibo.core.text import sort_key
from chibo.meetings.models import Meeting, ResolutionItem
from chibo.members.models import Member, Status
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.orgs.selectors import memberships_on
from chibo.tasks.models import (
    CLOSED_STATUSES,
    Task,
    TaskAssignee,
    TaskCheck,
    TaskReport,
    TaskStatus,
)

# Who may be given a task: members of the cell today, official or probationary (those who attend).
ASSIGNABLE_STATUSES = (Status.OFFICIAL, Status.PROBATIONARY)


def cell_version(org_id: int) -> OrgVersion | None:
    return OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN, kind__in=CELL_KINDS).first()


def assignable_members(*, cell_id: int, on: dt.date | None = None) -> QuerySet[Member]:
    from chibo.core.dates import today

    day = on or today()
    ids = memberships_on(day).filter(org_id=cell_id, st__status__in=ASSIGNABLE_STATUSES).values("member_id")  # type: ignore[misc]
    return Member.objects.filter(pk__in=ids)


def adopted_items(*, cell_id: int) -> QuerySet[ResolutionItem]:
    """Items of the cell's adopted resolutions, the latest meeting first."""
    return (
        ResolutionItem.objects.filter(resolution__meeting__org_id=cell_id, resolution__adopted=True)
        .select_related("resolution", "resolution__meeting")
        .order_by("-resolution__meeting__starts_at", "position")
    )


def _with_assignees(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.prefetch_related(Prefetch("assignees", queryset=Member.objects.only("id", "full_name", "given_name", "surname", "middle_name")))


STATES = ("all", "open", "overdue", "closed")


def cell_tasks(*, cell_id: int, on: dt.date, state: str = "all", member_id: int | None = None) -> list[Task]:
    """The cell's tasks (two queries): open ones first by due date, then closed ones, latest first."""
    qs = Task.objects.filter(cell_id=cell_id)
    if state == "open":
        qs = qs.filter(status=TaskStatus.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=TaskStatus.OPEN, due_on__lt=on)
    elif state == "closed":
        qs = qs.filter(status__in=CLOSED_STATUSES)
    if member_id:
        qs = qs.filter(assignee_rows__member_id=member_id)
    qs = qs.annotate(n_reports=Count("reports", distinct=True)).order_by("-status", "due_on", "id")
    # "-status": open sorts before done / done_late / not_done (o > n > d), closed ones after it.
    tasks = list(_with_assignees(qs.select_related("resolution_item__resolution")))
    for t in tasks:
        t.overdue = t.overdue_on(on)  # type: ignore[attr-defined]
    tasks.sort(key=lambda t: (0 if t.status == TaskStatus.OPEN else 1, t.due_on if t.status == TaskStatus.OPEN else dt.date.max, -(t.closed_at.timestamp() if t.closed_at else 0), t.pk))
    return tasks


def task_detail(task: Task) -> dict[str, Any]:
    reports = list(TaskReport.objects.filter(task=task).select_related("member").order_by("-created_at", "-id"))
    checks = list(TaskCheck.objects.filter(task=task).select_related("meeting", "checked_by").order_by("-meeting__starts_at", "-id"))
    assignees = sorted(task.assignees.all(), key=lambda m: sort_key(m.full_name))
    return {"reports": reports, "checks": checks, "assignees": assignees}


def my_tasks(*, member_id: int) -> list[Task]:
    """The member's tasks: open ones by due date, then the last closed ones."""
    qs = Task.objects.filter(assignee_rows__member_id=member_id).select_related("cell")
    open_ = list(_with_assignees(qs.filter(status=TaskStatus.OPEN).order_by("due_on", "id")))
    closed = list(_with_assignees(qs.filter(status__in=CLOSED_STATUSES).order_by("-closed_at", "-id"))[:20])
    return open_ + closed


def latest_reports(task_ids: list[int]) -> dict[int, TaskReport]:
    """The latest report of each task (one query)."""
    if not task_ids:
        return {}
    newer = TaskReport.objects.filter(task_id=OuterRef("task_id")).filter(Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id")))
    rows = TaskReport.objects.filter(task_id__in=task_ids).filter(~Exists(newer)).select_related("member")
    return {r.task_id: r for r in rows}


@dataclass
class ReviewRow:
    task: Task
    latest: TaskReport | None
    check: TaskCheck | None
    overdue: bool


def meeting_review(*, meeting: Meeting, on: dt.date) -> list[ReviewRow]:
    """The cell's open tasks for the "review of last month" section (four queries): each with its
    latest report and the check recorded at this meeting, if any. Tasks closed at this meeting are
    listed too, so the review reads as it happened."""
    qs = Task.objects.filter(cell_id=meeting.org_id).filter(Q(status=TaskStatus.OPEN) | Q(closed_at_meeting=meeting)).order_by("due_on", "id")
    tasks = list(_with_assignees(qs))
    ids = [t.pk for t in tasks]
    latest = latest_reports(ids)
    checks = {c.task_id: c for c in TaskCheck.objects.filter(meeting=meeting, task_id__in=ids)} if ids else {}
    return [ReviewRow(task=t, latest=latest.get(t.pk), check=checks.get(t.pk), overdue=t.overdue_on(on)) for t in tasks]


def meeting_checks(meeting: Meeting) -> list[TaskCheck]:
    return list(TaskCheck.objects.filter(meeting=meeting).select_related("task").order_by("task__due_on", "task_id"))


def minutes_line(meeting: Meeting) -> str:
    """The checks made at the meeting, as one paragraph of its minutes ("" when none)."""
    parts = []
    for c in meeting_checks(meeting):
        text = f"{c.task.title.strip()}: {c.get_outcome_display().lower()}"
        if c.note.strip():
            text += f" ({c.note.strip().rstrip('.')})"
        if c.task.closed_at_meeting_id == meeting.pk and c.task.status != TaskStatus.OPEN:
            text += f" — {c.task.get_status_display().lower()}"
        parts.append(text)
    return "; ".join(parts) + "." if parts else ""


# Overdue flags ------------------------------------------------------------------------------------


def overdue_count(*, cell_id: int, on: dt.date) -> int:
    return Task.objects.filter(cell_id=cell_id, status=TaskStatus.OPEN, due_on__lt=on).count()


def cell_counts(*, cell_id: int, on: dt.date) -> dict[str, int]:
    return Task.objects.filter(cell_id=cell_id, status=TaskStatus.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=on))
    )


# Evidence for the annual review ------------------------------------------------------------------


@dataclass
class TaskRecord:
    year: int
    tasks: list[Task] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def member_task_record(*, member: Member, year: int) -> TaskRecord:
    """The tasks assigned to the member in ``year`` (by the day they were given, in Vietnam) and how
    each ended: open, done, done late or not done; open ones past their due date count as overdue."""
    from chibo.core.dates import today

    start = dt.datetime(year, 1, 1, tzinfo=zone())
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone())
    tasks = list(
        Task.objects.filter(assignee_rows__member=member, created_at__gte=start, created_at__lt=end)
        .select_related("cell")
        .order_by("created_at", "id")
    )
    day = today()
    counts = {s: 0 for s in TaskStatus.values}
    counts["overdue"] = 0
    for t in tasks:
        counts[t.status] += 1
        t.overdue = t.overdue_on(day)  # type: ignore[attr-defined]
        if t.overdue:  # type: ignore[attr-defined]
            counts["overdue"] += 1
    counts["total"] = len(tasks)
    return TaskRecord(year=year, tasks=tasks, counts=counts)


__all__ = ["TaskAssignee", "assignable_members", "cell_tasks", "member_task_record"]


def origin(task: Task) -> dict[str, Any]:
    """Where the task came from besides a resolution: a briefing issue or an inspection follow-up
    (those apps build on tasks and hold the link)."""
    from django.apps import apps

    issue = apps.get_model("briefings", "BriefingIssue").objects.filter(task=task).select_related("briefing").first()
    follow_up = apps.get_model("inspections", "FollowUp").objects.filter(task=task).select_related("item").first()
    return {"briefing_issue": issue, "follow_up": follow_up}
