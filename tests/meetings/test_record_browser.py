"""The attendance page on a phone with a bad network: taps are queued offline and synced later."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chibo.meetings import services_record as services
from chibo.meetings.models import Attendance, MeetingStatus
from tests.browser.helpers import login
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.browser


def test_a_tap_made_offline_is_queued_and_synced_when_the_phone_is_back_online(bworld, context, page):  # noqa: F811
    meeting = services.meeting_open(actor=None, meeting=make_meeting(bworld.cell, status=MeetingStatus.PUBLISHED))
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "bithu")
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    row = page.locator(f"#att-{bworld.member.pk}")
    row.get_by_role("button", name="Có mặt").click()  # online: HTMX swaps the row and the validity box
    expect(page.locator("#validity")).to_contain_text("1/2 có mặt")
    context.set_offline(True)
    other = page.locator(f"#att-{bworld.secretary_member.pk}")
    other.get_by_role("button", name="Có mặt").click()
    expect(page.locator("#offline-status")).to_contain_text("1 lượt điểm danh đang chờ đồng bộ")
    assert Attendance.objects.get(meeting=meeting, member=bworld.secretary_member).status == ""
    queued = page.evaluate("JSON.parse(localStorage.getItem('chibo.attendance.queue.v1'))")
    assert len(queued) == 1 and queued[0]["member"] == bworld.secretary_member.pk and queued[0]["status"] == "present"
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#validity")).to_contain_text("2/2 có mặt", timeout=15_000)
    row = Attendance.objects.get(meeting=meeting, member=bworld.secretary_member)
    assert (row.status, row.source) == ("present", "offline")
    assert page.evaluate("localStorage.getItem('chibo.attendance.queue.v1')") == "[]"
