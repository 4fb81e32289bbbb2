"""Daily jobs of member tasks, run by the job queue's scheduler (each app's ``jobs.DAILY``).

Each job is ``name(*, today) -> int`` (how many things it did) and idempotent: a second run on the same
day finds its work done (TaskReminder is unique per task, member and meeting).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.dates import fmt_date, fmt_time
from chibo.meetings import notify
from chibo.meetings.models import REGULAR_KINDS, Meeting, MeetingStatus
from chibo.members.models import Member
from chibo.tasks.models import Task, TaskAssignee, TaskReminder, TaskReport, TaskStatus


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def remind_before_meeting(*, today: dt.date) -> int:
    """CHIBO_TASK_REMINDER_DAYS (2) days before each cell's next regular meeting (scheduled, not yet
    held), each assignee of an open task who has not reported on it since the first of the month gets
    one notification linking to the task. A job that missed a day catches up: any meeting starting
    from today to N days ahead counts. Returns the notifications sent."""
    days = int(getattr(settings, "CHIBO_TASK_REMINDER_DAYS", 2))
    meetings = Meeting.objects.filter(
        kind__in=REGULAR_KINDS, status__in=[MeetingStatus.DRAFT, MeetingStatus.PUBLISHED],
        starts_at__gte=_start_of(today), starts_at__lt=_start_of(today + dt.timedelta(days=days + 1)),
    ).order_by("starts_at", "id")
    next_meeting: dict[int, Meeting] = {}
    for m in meetings:
        next_meeting.setdefault(m.org_id, m)
    if not next_meeting:
        return 0
    since = _start_of(today.replace(day=1))
    rows = list(
        TaskAssignee.objects.filter(task__cell_id__in=list(next_meeting), task__status=TaskStatus.OPEN)
        .select_related("task", "member")
        .order_by("task_id", "member_id")
    )
    reported = set(TaskReport.objects.filter(task_id__in={r.task_id for r in rows}, created_at__gte=since).values_list("task_id", "member_id"))
    done = set(
        TaskReminder.objects.filter(meeting_id__in=[m.pk for m in next_meeting.values()], task_id__in={r.task_id for r in rows}).values_list("task_id", "member_id", "meeting_id")
    )
    due: list[tuple[Task, Member, Meeting]] = []
    for r in rows:
        meeting = next_meeting[r.task.cell_id]
        if (r.task_id, r.member_id) in reported or (r.task_id, r.member_id, meeting.pk) in done:
            continue
        due.append((r.task, r.member, meeting))
    if not due:
        return 0
    TaskReminder.objects.bulk_create([TaskReminder(task=t, member=m, meeting=mt) for t, m, mt in due], ignore_conflicts=True)
    from chibo.accounts.models import User

    users = {u.member_id: u for u in User.objects.filter(member_id__in={m.pk for _t, m, _mt in due}, is_active=True)}
    sent = 0
    for task, member, meeting in due:
        user = users.get(member.pk)
        recipient = notify.Recipient(user=user, email=member.email or getattr(user, "email", "") or "")
        notify.notify(
            recipients=[recipient],
            subject=_("Nhắc báo cáo nhiệm vụ: %(title)s") % {"title": task.title},
            body=_("Chi bộ họp lúc %(time)s ngày %(date)s. Hãy báo cáo tiến độ nhiệm vụ “%(title)s” (hạn %(due)s) trước cuộc họp.")
            % {"time": fmt_time(meeting.starts_at), "date": fmt_date(meeting.starts_at), "title": task.title, "due": fmt_date(task.due_on)},
            url=reverse("tasks:detail", args=[task.pk]),
        )
        sent += 1
    return sent


DAILY = [remind_before_meeting]
