"""Task pages: the secretary's forms, the member's report from a phone, the meeting review, the
flags on the home, cell and member pages, and bad input (a Vietnamese message, nothing written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chibo.core.dates import today
from chibo.core.models import AuditEvent
from chibo.meetings.models import MeetingStatus, ResolutionItem
from chibo.tasks import services
from chibo.tasks.models import Task, TaskCheck, TaskReport, TaskStatus
from tests.meetings.factories import approved_scene, make_meeting
from tests.tasks.factories import PDF, make_task


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_the_secretary_assigns_a_task_from_a_resolution_item(world, client_for):
    scene = approved_scene(world)
    item = ResolutionItem.objects.get(resolution__meeting=scene.meeting)
    client = client_for("secretary")
    page = client.get(reverse("meetings:resolution", args=[scene.meeting.pk])).content.decode()
    link = f"{reverse('tasks:create', args=[world.cell.pk])}?item={item.pk}"
    assert link in page and "Giao nhiệm vụ" in page
    form = client.get(link)
    assert form.status_code == 200 and item.text in form.content.decode()
    due = today() + dt.timedelta(days=20)
    response = client.post(link, {"title": "Thu hoạch lúa", "expected_result": "Xong 100%", "due_on": _dmy(due), "assignees": [world.member.pk], "resolution_item": item.pk})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert task.resolution_item == item and task.due_on == due
    # a member sees no such link
    assert link not in client_for("member").get(reverse("meetings:resolution", args=[scene.meeting.pk])).content.decode()


def test_create_bad_input_shows_every_error_and_writes_nothing(world, client_for):
    client = client_for("secretary")
    url = reverse("tasks:create", args=[world.cell.pk])
    response = client.post(url, {"title": "", "expected_result": "", "due_on": "31/02/2026", "assignees": [world.other_member.pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy ghi nhiệm vụ." in page and "Hãy ghi kết quả cần đạt." in page and "Đảng viên này không thuộc chi bộ." in page
    response = client.post(url, {"title": "x" * 301, "expected_result": "R", "due_on": _dmy(today() - dt.timedelta(days=1)), "assignees": [world.member.pk]})
    assert response.status_code == 400 and "300" in response.content.decode()
    response = client.post(url, {"title": "T", "expected_result": "R", "due_on": _dmy(today() - dt.timedelta(days=1)), "assignees": [world.member.pk]})
    assert response.status_code == 400 and "Hạn hoàn thành không được trước hôm nay." in response.content.decode()
    assert not Task.objects.exists() and not AuditEvent.objects.filter(verb__startswith="task.").exists()


def test_the_member_reports_from_the_my_tasks_page(world, client_for):
    task = make_task(world)
    client = client_for("member")
    page = client.get(reverse("tasks:mine")).content.decode()
    assert task.title in page and 'capture="environment"' in page and 'enctype="multipart/form-data"' in page
    upload = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, content_type="image/jpeg")
    response = client.post(reverse("tasks:report", args=[task.pk]), {"text": "Đã vận động 10 hộ", "file": upload})
    assert response.status_code == 302
    report = TaskReport.objects.get()
    assert report.content_type == "image/jpeg"
    detail = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Đã vận động 10 hộ" in detail and reverse("tasks:report_file", args=[report.pk]) in detail
    download = client.get(reverse("tasks:report_file", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"


def test_a_report_refused_says_why_and_writes_nothing(world, client_for):
    task = make_task(world)
    bad = SimpleUploadedFile("x.jpg", b"MZ\x90\x00program", content_type="image/jpeg")
    response = client_for("member").post(reverse("tasks:report", args=[task.pk]), {"text": "x", "file": bad})
    assert response.status_code == 400 and "chương trình chạy được" in response.content.decode()
    response = client_for("secretary").post(reverse("tasks:report", args=[task.pk]), {"text": "Báo cáo thay"})
    assert response.status_code == 400 and "Chỉ đảng viên được giao nhiệm vụ mới báo cáo được." in response.content.decode()
    response = client_for("member").post(reverse("tasks:report", args=[task.pk]), {"text": ""})
    assert response.status_code == 400 and "Hãy ghi nội dung báo cáo." in response.content.decode()
    assert not TaskReport.objects.exists()


def test_review_at_the_meeting_and_close_there(world, client_for):
    task = make_task(world)
    services.report_add(actor=world.users["member"], task=task, text="Đã xong 80%")
    meeting = make_meeting(world.cell, month=today().replace(day=1), day=1, status=MeetingStatus.OPEN, opened_at=timezone.now())
    meeting.agenda.create(position=1, section="review", title="Kiểm điểm tháng trước")
    client = client_for("secretary")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="task-review"' in page and "Đã xong 80%" in page and reverse("tasks:check", args=[task.pk]) in page
    response = client.post(reverse("tasks:check", args=[task.pk]), {"meeting": meeting.pk, "outcome": "on_track", "note": "Tốt"})
    assert response.status_code == 302 and response["Location"].endswith(f"#task-{task.pk}")
    assert TaskCheck.objects.get().note == "Tốt"
    close_url = reverse("tasks:close", args=[task.pk]) + f"?meeting={meeting.pk}"
    assert close_url in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert client.get(close_url).status_code == 200
    response = client.post(reverse("tasks:close", args=[task.pk]), {"status": "done", "note": "", "finished_on": "", "meeting": meeting.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at_meeting == meeting
    # the member sees the review but no form
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="task-review"' in page and 'data-testid="check-form"' not in page


def test_check_bad_input(world, client_for):
    task = make_task(world)
    other = make_meeting(world.other_cell, month=today().replace(day=1), status=MeetingStatus.OPEN)
    client = client_for("secretary")
    response = client.post(reverse("tasks:check", args=[task.pk]), {"meeting": other.pk, "outcome": "on_track"})
    assert response.status_code == 400 and "Cuộc họp không phải của chi bộ giao nhiệm vụ." in response.content.decode()
    response = client.post(reverse("tasks:check", args=[task.pk]), {"meeting": "abc", "outcome": "nope"})
    assert response.status_code == 400 and "Hãy chọn kết quả kiểm tra." in response.content.decode()
    assert not TaskCheck.objects.exists()


def test_close_and_reopen_pages(world, client_for):
    task = make_task(world)
    client = client_for("secretary")
    response = client.post(reverse("tasks:close", args=[task.pk]), {"status": "not_done", "note": ""})
    assert response.status_code == 400 and "Hãy ghi lý do nhiệm vụ không hoàn thành." in response.content.decode()
    assert client.post(reverse("tasks:close", args=[task.pk]), {"status": "not_done", "note": "Thiếu kinh phí"}).status_code == 302
    response = client.post(reverse("tasks:reopen", args=[task.pk]), {"reason": ""})
    assert response.status_code == 400 and "Hãy ghi lý do mở lại nhiệm vụ." in response.content.decode()
    assert client.post(reverse("tasks:reopen", args=[task.pk]), {"reason": "Có kinh phí"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_edit_page(world, client_for):
    task = make_task(world)
    client = client_for("secretary")
    assert client.get(reverse("tasks:edit", args=[task.pk])).status_code == 200
    response = client.post(reverse("tasks:edit", args=[task.pk]), {"title": "Sửa", "expected_result": "R", "due_on": _dmy(task.due_on), "assignees": [world.member.pk, world.secretary_member.pk]})
    assert response.status_code == 302
    assert set(Task.objects.get().assignees.all()) == {world.member, world.secretary_member}


def test_the_cell_list_query_count_is_pinned(world, client_for, django_assert_max_num_queries):
    for n in range(8):
        task = make_task(world, title=f"Việc {n}", assignees=[world.member, world.secretary_member])
        services.report_add(actor=world.users["member"], task=task, text="x")
    client = client_for("secretary")
    url = reverse("tasks:cell_tasks", args=[world.cell.pk])
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url + f"?state=open&member={world.member.pk}")
    assert response.status_code == 200 and response.content.decode().count('data-testid="task-row"') == 8
    member = client_for("member")
    member.get(reverse("tasks:mine"))
    with django_assert_max_num_queries(9):
        assert member.get(reverse("tasks:mine")).content.decode().count('data-testid="my-task"') == 8


def test_bad_filters_are_a_form_error_not_a_500(world, client_for):
    response = client_for("member").get(reverse("tasks:cell_tasks", args=[world.cell.pk]) + "?state=nope&member=abc")
    assert response.status_code == 400


def test_overdue_is_flagged_on_home_cell_and_member_pages(world, client_for):
    task = make_task(world)
    Task.objects.filter(pk=task.pk).update(due_on=today() - dt.timedelta(days=1))
    home = client_for("member").get("/").content.decode()
    assert 'data-testid="my-overdue"' in home and task.title in home
    home = client_for("secretary").get("/").content.decode()
    assert 'data-testid="cell-overdue-link"' in home and "?state=overdue" in home
    cell = client_for("member").get(reverse("orgs:detail", args=[world.cell.pk])).content.decode()
    assert 'data-testid="cell-overdue"' in cell
    record = client_for("secretary").get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert 'data-testid="member-task-record"' in record and task.title in record


@pytest.mark.parametrize("persona", ["outsider"])
def test_outsider_gets_404_and_writes_nothing(world, client_for, persona):
    task = make_task(world)
    report = services.report_add(actor=world.users["member"], task=task, text="x", data=PDF, name="a.pdf")
    meeting = make_meeting(world.cell, month=today().replace(day=1), day=1, status=MeetingStatus.OPEN)
    client = client_for(persona)
    events = AuditEvent.objects.count()
    for url in [reverse("tasks:detail", args=[task.pk]), reverse("tasks:edit", args=[task.pk]), reverse("tasks:close", args=[task.pk]),
                reverse("tasks:cell_tasks", args=[world.cell.pk]), reverse("tasks:create", args=[world.cell.pk]),
                reverse("tasks:report_file", args=[report.pk])]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    posts = {
        "report": {"text": "x"}, "check": {"meeting": meeting.pk, "outcome": "on_track"}, "close": {"status": "not_done", "note": "x"},
        "reopen": {"reason": "x"}, "edit": {"title": "x", "expected_result": "x", "due_on": _dmy(today()), "assignees": [world.member.pk]},
    }
    for name, data in posts.items():
        assert client.post(reverse(f"tasks:{name}", args=[task.pk]), data).status_code == 404, name
    assert AuditEvent.objects.count() == events and TaskCheck.objects.count() == 0
    task.refresh_from_db()
    assert task.is_open and task.title != "x"


def test_the_meeting_page_query_count_does_not_grow_with_tasks(world, client_for):
    meeting = make_meeting(world.cell, month=today().replace(day=1), day=1, status=MeetingStatus.OPEN, opened_at=timezone.now())
    meeting.agenda.create(position=1, section="review", title="Kiểm điểm tháng trước")
    client = client_for("secretary")
    url = reverse("meetings:detail", args=[meeting.pk])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    first = make_task(world, title="Việc 0")
    services.report_add(actor=world.users["member"], task=first, text="x")
    client.get(url)
    one = count()
    for n in range(1, 6):
        task = make_task(world, title=f"Việc {n}", assignees=[world.member, world.secretary_member])
        services.report_add(actor=world.users["member"], task=task, text="y")
        services.check_record(actor=None, task=task, meeting=meeting, outcome="on_track")
    assert count() == one
    assert client.get(url).content.decode().count('data-testid="review-task"') == 6
