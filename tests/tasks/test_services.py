"""Task services: rules and refusals (Vietnamese, nothing written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings.models import MeetingStatus, Notification, Resolution, ResolutionItem
from chibo.tasks import services
from chibo.tasks.models import Task, TaskAssignee, TaskCheck, TaskReport, TaskStatus
from tests.factories import make_member
from tests.meetings.factories import approved_scene, make_meeting
from tests.tasks.factories import PDF, make_task


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _counts() -> tuple[int, int, int, int]:
    return Task.objects.count(), TaskAssignee.objects.count(), TaskReport.objects.count(), AuditEvent.objects.count()


def _open_meeting(world, **extra):
    month = today().replace(day=1)
    return make_meeting(world.cell, month=month, day=1, status=MeetingStatus.OPEN, opened_at=timezone.now(), **extra)


def test_create_from_an_adopted_resolution_item_notifies_the_assignees(world, media):
    scene = approved_scene(world)
    item = ResolutionItem.objects.get(resolution__meeting=scene.meeting)
    task = make_task(world, resolution_item=item, assignees=[world.member, world.secretary_member])
    assert task.status == TaskStatus.OPEN and task.resolution_item == item
    assert set(task.assignees.all()) == {world.member, world.secretary_member}
    assert AuditEvent.objects.filter(verb="task.create", object_id=task.pk).exists()
    assert Notification.objects.filter(user=world.users["member"], url=f"/tasks/{task.pk}/").exists()


def test_a_member_of_another_cell_is_refused_and_nothing_is_written(world):
    before = _counts()
    with pytest.raises(ChiboError) as exc:
        make_task(world, assignees=[world.member, world.other_member])
    assert "không thuộc chi bộ" in exc.value.message and exc.value.field == "assignees"
    assert _counts() == before


def test_a_member_of_the_sister_cell_is_refused(world):
    sister = make_member(world.cell2, given_name="Lan")
    with pytest.raises(ChiboError):
        make_task(world, assignees=[sister])
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"due_in": -1}, "due_on"),
        ({"title": "   "}, "title"),
    ],
)
def test_bad_input_is_refused(world, kwargs, field):
    before = _counts()
    with pytest.raises(ChiboError) as exc:
        make_task(world, **kwargs)
    assert exc.value.field == field
    assert _counts() == before


def test_at_least_one_assignee(world):
    with pytest.raises(ChiboError) as exc:
        services.task_create(actor=None, cell=world.cell, title="X", expected_result="Y", due_on=today(), assignees=[])
    assert exc.value.field == "assignees"


def test_due_today_is_accepted(world):
    assert make_task(world, due_in=0).due_on == today()


def test_only_items_of_an_adopted_resolution_of_the_same_cell(world, media):
    scene = approved_scene(world)
    item = ResolutionItem.objects.get(resolution__meeting=scene.meeting)
    draft_meeting = make_meeting(world.cell, month=dt.date(2026, 3, 1))
    draft = Resolution.objects.create(meeting=draft_meeting, title="Dự thảo")
    draft_item = ResolutionItem.objects.create(resolution=draft, position=1, text="Chưa thông qua")
    with pytest.raises(ChiboError) as exc:
        make_task(world, resolution_item=draft_item)
    assert exc.value.field == "resolution_item"
    other = make_meeting(world.other_cell, month=dt.date(2026, 3, 1))
    foreign = Resolution.objects.create(meeting=other, title="NQ", adopted=True, term=item.resolution.term, number=99)
    foreign_item = ResolutionItem.objects.create(resolution=foreign, position=1, text="Của chi bộ khác")
    with pytest.raises(ChiboError):
        make_task(world, resolution_item=foreign_item)
    assert not Task.objects.exists()


def test_only_an_assignee_reports_on_an_open_task(world, media):
    task = make_task(world)
    before = _counts()
    with pytest.raises(ChiboError) as exc:
        services.report_add(actor=world.users["secretary"], task=task, text="Tôi báo cáo thay")
    assert "Chỉ đảng viên được giao" in exc.value.message
    with pytest.raises(ChiboError):
        services.report_add(actor=world.users["staff"], task=task, text="x")
    assert _counts() == before
    report = services.report_add(actor=world.users["member"], task=task, text="Đã xong 5 hộ", data=PDF, name="C:\\anh\\bao-cao.pdf")
    assert report.content_type == "application/pdf" and report.original_name == "bao-cao.pdf" and report.file.name.endswith(".pdf")
    services.task_close(actor=world.users["secretary"], task=task, status=TaskStatus.DONE)
    with pytest.raises(ChiboError) as exc:
        services.report_add(actor=world.users["member"], task=task, text="Muộn")
    assert "đã kết thúc" in exc.value.message


def test_a_report_file_is_checked_by_content(world, media, settings):
    task = make_task(world)
    with pytest.raises(ChiboError) as exc:
        services.report_add(actor=world.users["member"], task=task, text="x", data=b"MZ\x90\x00", name="anh.jpg")
    assert exc.value.field == "file"
    with pytest.raises(ChiboError):
        services.report_add(actor=world.users["member"], task=task, text="x", data=b"hello", name="a.pdf")
    settings.CHIBO_MATERIAL_MAX_BYTES = 10
    with pytest.raises(ChiboError) as exc:
        services.report_add(actor=world.users["member"], task=task, text="x", data=PDF, name="a.pdf")
    assert "quá lớn" in exc.value.message
    with pytest.raises(ChiboError) as exc:
        services.report_add(actor=world.users["member"], task=task, text="   ")
    assert exc.value.field == "text"
    assert not TaskReport.objects.exists()


def test_check_at_a_meeting_of_the_same_cell_open_or_closed(world, media):
    task = make_task(world)
    meeting = _open_meeting(world)
    secretary = world.users["secretary"]
    check = services.check_record(actor=secretary, task=task, meeting=meeting, outcome="on_track", note="Đúng tiến độ")
    again = services.check_record(actor=secretary, task=task, meeting=meeting, outcome="behind", note="Chậm")
    assert again.pk == check.pk and TaskCheck.objects.get().outcome == "behind"
    other = make_meeting(world.other_cell, month=meeting.month, status=MeetingStatus.OPEN)
    with pytest.raises(ChiboError) as exc:
        services.check_record(actor=secretary, task=task, meeting=other, outcome="on_track")
    assert exc.value.field == "meeting"
    draft = make_meeting(world.cell, month=dt.date(2026, 2, 1))
    with pytest.raises(ChiboError):
        services.check_record(actor=secretary, task=task, meeting=draft, outcome="on_track")
    with pytest.raises(ChiboError) as exc:
        services.check_record(actor=secretary, task=task, meeting=meeting, outcome="great")
    assert exc.value.field == "outcome"


def test_no_check_at_an_approved_meeting(world, media):
    scene = approved_scene(world)
    task = make_task(world)
    with pytest.raises(ChiboError) as exc:
        services.check_record(actor=world.users["secretary"], task=task, meeting=scene.meeting, outcome="on_track")
    assert "chưa duyệt" in exc.value.message
    assert not TaskCheck.objects.exists()


def _late(task: Task, *, days: int = 5) -> Task:
    """The task as if given ``days + 5`` days ago with its due date ``days`` ago."""
    Task.objects.filter(pk=task.pk).update(due_on=today() - dt.timedelta(days=days), created_at=timezone.now() - dt.timedelta(days=days + 5))
    task.refresh_from_db()
    return task


def test_done_after_the_due_date_is_refused_for_done_late(world):
    task = _late(make_task(world))
    secretary = world.users["secretary"]
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.DONE)
    assert "Hoàn thành muộn" in exc.value.message and exc.value.field == "status"
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.DONE_LATE)
    assert exc.value.field == "note"
    # reached on time, closed later: done
    on_time = services.task_close(actor=secretary, task=task, status=TaskStatus.DONE, finished_on=task.due_on)
    assert on_time.status == TaskStatus.DONE and on_time.finished_on == task.due_on


def test_done_late_in_time_is_refused_and_dates_are_checked(world):
    task = make_task(world)
    secretary = world.users["secretary"]
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.DONE_LATE, note="x")
    assert "“Hoàn thành”" in exc.value.message
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.DONE, finished_on=today() + dt.timedelta(days=1))
    assert exc.value.field == "finished_on"
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.DONE, finished_on=today() - dt.timedelta(days=3))
    assert exc.value.field == "finished_on"
    with pytest.raises(ChiboError) as exc:
        services.task_close(actor=secretary, task=task, status=TaskStatus.NOT_DONE)
    assert exc.value.field == "note"
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not AuditEvent.objects.filter(verb="task.close").exists()


def test_close_late_not_done_and_reopen(world):
    secretary = world.users["secretary"]
    late = _late(make_task(world))
    done = services.task_close(actor=secretary, task=late, status=TaskStatus.DONE_LATE, note="Mưa bão nên chậm")
    assert done.status == TaskStatus.DONE_LATE and done.finished_on == today() and done.closed_by == secretary
    with pytest.raises(ChiboError):
        services.task_close(actor=secretary, task=done, status=TaskStatus.DONE)
    with pytest.raises(ChiboError) as exc:
        services.task_reopen(actor=secretary, task=done, reason=" ")
    assert exc.value.field == "reason"
    reopened = services.task_reopen(actor=secretary, task=done, reason="Kết quả chưa đạt")
    assert reopened.status == TaskStatus.OPEN and reopened.closed_at is None and reopened.finished_on is None
    assert AuditEvent.objects.filter(verb="task.reopen", summary__contains="Kết quả chưa đạt").exists()
    with pytest.raises(ChiboError):
        services.task_reopen(actor=secretary, task=reopened, reason="x")
    failed = services.task_close(actor=secretary, task=reopened, status=TaskStatus.NOT_DONE, note="Không có kinh phí")
    assert failed.status == TaskStatus.NOT_DONE and failed.finished_on is None


def test_close_at_a_meeting_records_it(world):
    meeting = _open_meeting(world)
    task = services.task_close(actor=world.users["secretary"], task=make_task(world), status=TaskStatus.DONE, meeting=meeting)
    assert task.closed_at_meeting == meeting


def test_edit_keeps_reporters(world, media):
    task = make_task(world, assignees=[world.member, world.secretary_member])
    services.report_add(actor=world.users["member"], task=task, text="Đã làm")
    secretary = world.users["secretary"]
    with pytest.raises(ChiboError) as exc:
        services.task_edit(actor=secretary, task=task, title="T", expected_result="R", due_on=task.due_on, assignees=[world.secretary_member])
    assert exc.value.field == "assignees"
    with pytest.raises(ChiboError):
        services.task_edit(actor=secretary, task=task, title="T", expected_result="R", due_on=task.due_on, assignees=[world.member, world.other_member])
    edited = services.task_edit(actor=secretary, task=task, title="Việc mới", expected_result="R", due_on=task.due_on + dt.timedelta(days=3), assignees=[world.member])
    assert edited.title == "Việc mới" and list(edited.assignees.all()) == [world.member]
    assert AuditEvent.objects.filter(verb="task.edit").count() == 1
