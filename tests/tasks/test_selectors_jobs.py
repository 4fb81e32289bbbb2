"""Task selectors (lists, review, record, minutes line, statistics) and the reminder job."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chibo.core.dates import today
from chibo.meetings.models import MeetingStatus, Notification
from chibo.tasks import jobs, services
from chibo.tasks import selectors as sel
from chibo.tasks.models import Task, TaskReminder, TaskReport, TaskStatus
from chibo.tasks.selectors_stats import json_figures
from tests.meetings.factories import make_meeting
from tests.tasks.factories import make_task


def _overdue(task: Task) -> Task:
    # given today (so in this year whatever the test clock), due two days ago
    Task.objects.filter(pk=task.pk).update(due_on=today() - dt.timedelta(days=2))
    task.refresh_from_db()
    return task


def test_cell_tasks_filters(world):
    a = make_task(world, title="A")
    b = _overdue(make_task(world, title="B", assignees=[world.secretary_member]))
    c = services.task_close(actor=None, task=make_task(world, title="C"), status=TaskStatus.DONE)
    day = today()
    assert [t.title for t in sel.cell_tasks(cell_id=world.cell.pk, on=day)] == ["B", "A", "C"]
    assert {t.pk for t in sel.cell_tasks(cell_id=world.cell.pk, on=day, state="open")} == {a.pk, b.pk}
    assert [t.pk for t in sel.cell_tasks(cell_id=world.cell.pk, on=day, state="overdue")] == [b.pk]
    assert [t.pk for t in sel.cell_tasks(cell_id=world.cell.pk, on=day, state="closed")] == [c.pk]
    assert {t.pk for t in sel.cell_tasks(cell_id=world.cell.pk, on=day, member_id=world.secretary_member.pk)} == {b.pk}
    assert sel.cell_counts(cell_id=world.cell.pk, on=day) == {"open": 2, "overdue": 1}
    assert sel.cell_tasks(cell_id=world.other_cell.pk, on=day) == []


def test_meeting_review_lists_open_tasks_with_their_latest_report(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(world)
    services.report_add(actor=world.users["member"], task=task, text="Lần 1")
    services.report_add(actor=world.users["member"], task=task, text="Lần 2")
    make_task(world, title="Chưa báo cáo")
    meeting = make_meeting(world.cell, month=today().replace(day=1), day=1, status=MeetingStatus.OPEN)
    rows = sel.meeting_review(meeting=meeting, on=today())
    latest = {r.task.title: (r.latest.text if r.latest else None) for r in rows}
    assert latest == {task.title: "Lần 2", "Chưa báo cáo": None}
    services.check_record(actor=None, task=task, meeting=meeting, outcome="behind", note="Cần đôn đốc")
    services.task_close(actor=None, task=task, status=TaskStatus.DONE, meeting=meeting)
    line = sel.minutes_line(meeting)
    assert line == f"{task.title}: chậm tiến độ (Cần đôn đốc) — hoàn thành."
    assert {r.task.title for r in sel.meeting_review(meeting=meeting, on=today())} == {task.title, "Chưa báo cáo"}


def test_member_task_record_counts_the_year(world):
    make_task(world)
    _overdue(make_task(world))
    services.task_close(actor=None, task=make_task(world), status=TaskStatus.NOT_DONE, note="x")
    make_task(world, assignees=[world.secretary_member])
    record = sel.member_task_record(member=world.member, year=timezone.localtime().year)
    assert record.counts["total"] == 3 and record.counts["open"] == 2 and record.counts["not_done"] == 1 and record.counts["overdue"] == 1
    assert sel.member_task_record(member=world.member, year=timezone.localtime().year - 1).counts["total"] == 0


def test_json_figures_and_the_stats_command(world):
    make_task(world)
    _overdue(make_task(world))
    services.task_close(actor=None, task=make_task(world), status=TaskStatus.DONE)
    year = timezone.localtime().year
    figures = json_figures(path=world.commune.versions.get(valid_to__gt=today()).path, year=year, on=today())
    assert figures == {"open": 2, "done": 1, "done_late": 0, "not_done": 0, "overdue": 1}
    assert json_figures(path=world.other_commune.versions.get(valid_to__gt=today()).path, year=year, on=today())["open"] == 0
    out = StringIO()
    call_command("stats", "--json", "--org", str(world.cell.pk), stdout=out)
    assert json.loads(out.getvalue())["tasks"] == figures
    out = StringIO()
    call_command("stats", "--json", "--year", str(year - 1), stdout=out)
    assert json.loads(out.getvalue())["tasks"]["open"] == 0


@pytest.fixture
def upcoming(world, settings):
    """A published regular meeting of the cell in two days, and two open tasks of the member."""
    settings.CHIBO_TASK_REMINDER_DAYS = 2
    start = timezone.localtime() + dt.timedelta(days=2)
    meeting = make_meeting(world.cell, month=start.date().replace(day=1), day=start.day, status=MeetingStatus.PUBLISHED)
    return meeting


def test_reminders_go_once_to_those_who_have_not_reported(world, upcoming, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    quiet = make_task(world, title="Chưa báo cáo", assignees=[world.member, world.secretary_member])
    reported = make_task(world, title="Đã báo cáo")
    services.report_add(actor=world.users["member"], task=reported, text="Xong một nửa")
    services.report_add(actor=world.users["secretary"], task=quiet, text="Tôi đã báo cáo")
    Notification.objects.all().delete()
    assert jobs.remind_before_meeting(today=today()) == 1
    note = Notification.objects.get()
    assert note.user == world.users["member"] and note.url == f"/tasks/{quiet.pk}/" and "Chưa báo cáo" in note.subject
    assert TaskReminder.objects.filter(task=quiet, member=world.member, meeting=upcoming).exists()
    assert jobs.remind_before_meeting(today=today()) == 0  # idempotent
    assert Notification.objects.count() == 1


def test_no_reminder_too_early_or_for_a_closed_task(world, upcoming):
    task = make_task(world)
    assert jobs.remind_before_meeting(today=today() - dt.timedelta(days=3)) == 0
    services.task_close(actor=None, task=task, status=TaskStatus.DONE)
    assert jobs.remind_before_meeting(today=today()) == 0
    assert [jobs.remind_before_meeting] == jobs.DAILY


def test_a_report_before_the_first_of_the_month_does_not_count(world, upcoming, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(world)
    report = services.report_add(actor=world.users["member"], task=task, text="Tháng trước")
    TaskReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    assert jobs.remind_before_meeting(today=today()) == 1
