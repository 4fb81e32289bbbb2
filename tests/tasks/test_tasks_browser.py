"""A task's month in a real Chromium: the secretary assigns a task from an adopted resolution's item,
the member reports on it from a 360 px phone (text and a photo), and the secretary reviews it at the
next meeting (the "review of last month" section) and marks it done there."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import today
from chibo.meetings.models import AgendaItem, MeetingStatus
from chibo.tasks.models import Task, TaskCheck, TaskReport, TaskStatus
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World
from tests.meetings.factories import approved_scene, make_meeting

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def relogin(context: BrowserContext, page: Page, username: str) -> None:
    context.clear_cookies()
    login(page, username)


def test_assign_from_a_resolution_report_from_a_phone_review_at_the_meeting(bworld: World, context: BrowserContext, page: Page) -> None:
    scene = approved_scene(bworld)
    due = today() + dt.timedelta(days=20)

    # 1. The secretary assigns the resolution's item to the member.
    login(page, "bithu")
    page.goto(f"/meetings/{scene.meeting.pk}/resolution/")
    page.get_by_test_id("assign-item").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/cell/\d+/new/\?item=\d+$"))
    page.get_by_label("Kết quả cần đạt").fill("Thu hoạch xong toàn bộ diện tích lúa của thôn")
    page.get_by_label("Hạn hoàn thành").fill(due.strftime("%d/%m/%Y"))
    page.get_by_label(bworld.member.full_name).check()
    page.get_by_test_id("save-task").click()
    expect(page.get_by_test_id("task-title")).to_contain_text("Thu hoạch lúa xong trước ngày 30.")
    expect(page.get_by_test_id("from-resolution")).to_contain_text(scene.meeting.resolution.code)
    task = Task.objects.get()
    assert list(task.assignees.all()) == [bworld.member]

    # 2. The member reports from a cheap phone: home → my tasks → text and a photo.
    page.set_viewport_size(PHONE)
    relogin(context, page, "dangvien")
    page.goto("/")
    page.get_by_test_id("my-tasks-link").click()
    card = page.get_by_test_id("my-task").first
    card.get_by_text("Báo cáo tiến độ").click()
    card.get_by_label("Nội dung báo cáo").fill("Đã thu hoạch 8 trên 10 ha")
    card.get_by_label("Ảnh hoặc tệp kèm theo (không bắt buộc)").set_input_files(files=[{"name": "ruong.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    no_horizontal_scroll(page)
    card.get_by_test_id("send-report").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi báo cáo.")
    expect(page.get_by_test_id("reports")).to_contain_text("Đã thu hoạch 8 trên 10 ha")
    expect(page.get_by_test_id("reports")).to_contain_text("ruong.jpg")
    no_horizontal_scroll(page)
    assert TaskReport.objects.get().content_type == "image/jpeg"

    # 3. The next meeting opens; the secretary reviews the task in "Kiểm điểm tháng trước" and closes it.
    nxt = make_meeting(bworld.cell, month=(today().replace(day=1) + dt.timedelta(days=32)).replace(day=1), day=1, status=MeetingStatus.OPEN, opened_at=timezone.now())
    AgendaItem.objects.create(meeting=nxt, position=1, section="review", title="Kiểm điểm tháng trước")
    relogin(context, page, "bithu")
    page.goto(f"/meetings/{nxt.pk}/")
    row = page.get_by_test_id("review-task")
    expect(row.get_by_test_id("latest-report")).to_contain_text("Đã thu hoạch 8 trên 10 ha")
    row.get_by_label("Đúng tiến độ").check()
    row.get_by_label("Nhận xét").fill("Làm tốt, sắp xong")
    row.get_by_test_id("save-check").click()
    expect(page.get_by_test_id("check-recorded")).to_contain_text("Làm tốt, sắp xong")
    no_horizontal_scroll(page)
    page.get_by_test_id("close-at-meeting").click()
    page.get_by_label("Hoàn thành", exact=True).check()
    page.get_by_test_id("save-close").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{nxt.pk}/#task-{task.pk}$"))
    expect(page.get_by_test_id("review-task").get_by_test_id("task-status")).to_have_text("Hoàn thành")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at_meeting == nxt
    assert TaskCheck.objects.get().meeting == nxt
