"""Across the loops, in a real Chromium (issue 8 §8):
- a petition overdue at the commune is escalated by a REAL worker process (no page opened), and the
  province staff find it in their inbox with the escalation on its timeline;
- a held briefing's issue is turned into a task by the commune staff, and the member owning it finds
  it on their "my tasks" page, on a phone, with the briefing it came from;
- the outsider gets 404 on the pages these journeys went through.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.briefings import services as briefings
from chibo.briefings.models import BriefingIssue
from chibo.core.dates import fmt_date, today
from chibo.petitions.models import Petition, Status
from chibo.tasks.models import Task
from tests.briefings.factories import briefing_scene, held_on
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World
from tests.links.worker import run_worker_until
from tests.petitions.factories import at_commune

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
ESCALATE = "chibo.petitions.jobs.escalate_overdue"


def outsider_gets_404(context: BrowserContext, page: Page, urls: list[str]) -> None:
    context.clear_cookies()
    login(page, "nguoingoai")
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_text("Không tìm thấy").first).to_be_visible()


def test_the_worker_escalates_an_overdue_petition_and_the_province_sees_it(bworld: World, context: BrowserContext, page: Page, tmp_path: Path) -> None:
    petition = at_commune(bworld, title="Sửa cầu tràn xóm 3")
    # Its deadline at the commune long past: on the worker's clock too (the session clock may run weeks ahead of it).
    Petition.objects.filter(pk=petition.pk).update(deadline=today() - dt.timedelta(days=90))

    def escalated(query) -> bool:
        return bool(query(f"SELECT 1 FROM core_dailyrun WHERE name = '{ESCALATE}' AND finished_at IS NOT NULL"))

    output = run_worker_until(tmp_path, escalated)
    assert "scheduler daily at 00:00" in output and "stopped" in output
    petition.refresh_from_db()
    assert (petition.status, petition.holder_id, petition.escalation_count) == (Status.AT_LEVEL, bworld.province.pk, 1)

    login(page, "canbotinh")
    page.goto("/petitions/inbox/")
    row = page.get_by_test_id("petition-row").filter(has_text="Sửa cầu tràn xóm 3")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Sửa cầu tràn xóm 3").click()
    expect(page.get_by_test_id("holder")).to_have_text("Đảng bộ tỉnh Quảng Ninh")
    event = page.get_by_test_id("event-escalated")
    expect(event).to_contain_text("Quá hạn, tự động chuyển lên cấp trên")
    expect(event).to_contain_text("Quá hạn ở Đảng bộ xã Quảng Tân, chuyển lên Đảng bộ tỉnh Quảng Ninh.")
    expect(page.get_by_text("tự động chuyển cấp 1 lần")).to_be_visible()

    outsider_gets_404(context, page, [f"/petitions/{petition.pk}/"])


def test_a_held_briefings_issue_becomes_the_members_task(bworld: World, context: BrowserContext, page: Page) -> None:
    staff = bworld.users["staff"]
    scene = briefing_scene(bworld)
    briefing = held_on(scene.briefing, today())
    issue = briefings.issue_add(actor=staff, briefing=briefing, text="Vận động các hộ xóm 2 hiến đất làm đường", raised_by_name="Nguyễn Văn Hùng",
                                cell_id=bworld.cell.pk, owner_id=bworld.member.pk)
    briefings.attendance_mark(actor=staff, briefing=briefing, member_id=bworld.secretary_member.pk, status="present")
    briefings.briefing_hold(actor=staff, briefing=briefing)
    due = today() + dt.timedelta(days=30)

    # The commune staff turn the issue into a task for its owner.
    login(page, "canboxa")
    page.goto(f"/briefings/{briefing.pk}/")
    form = page.get_by_test_id(f"convert-form-{issue.pk}")
    form.get_by_label("Hạn hoàn thành").fill("31/02/2026")
    page.get_by_test_id(f"convert-{issue.pk}").click()
    expect(page.get_by_test_id(f"convert-form-{issue.pk}")).to_contain_text("31/02/2026 không phải ngày có thật.")
    assert not Task.objects.exists()
    page.get_by_test_id(f"convert-form-{issue.pk}").get_by_label("Hạn hoàn thành").fill(fmt_date(due))
    page.get_by_test_id(f"convert-{issue.pk}").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao nhiệm vụ.")
    task = Task.objects.get()
    assert BriefingIssue.objects.get(pk=issue.pk).task_id == task.pk
    expect(page.get_by_test_id("issue-task")).to_be_visible()
    expect(page.get_by_test_id(f"convert-{issue.pk}")).to_have_count(0)

    # The member, on a phone: the task is on "my tasks", and says where it came from.
    context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, "dangvien")
    page.goto("/tasks/mine/")
    page.get_by_role("link", name="Vận động các hộ xóm 2 hiến đất làm đường").click()
    expect(page.get_by_test_id("due-on")).to_have_text(fmt_date(due))
    expect(page.get_by_test_id("assignees")).to_have_text("Đặng Thị Hồng")
    expect(page.get_by_test_id("from-briefing")).to_be_visible()
    no_horizontal_scroll(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    outsider_gets_404(context, page, [f"/tasks/{task.pk}/", f"/briefings/{briefing.pk}/"])
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"/briefings/issues/{scene.issue.pk}/convert/", form={"due_on": fmt_date(due)},
                                 headers={"X-CSRFToken": token, "Referer": page.url})
    assert response.status == 404
    assert Task.objects.count() == 1
