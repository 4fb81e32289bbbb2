"""The attendance page on a phone with a bad network: taps are queued offline and synced later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chibo.meetings import services_record as services
from chibo.meetings.models import Attendance, Meeting, MeetingStatus
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


def test_opening_before_the_day_is_refused_and_a_short_meeting_is_flagged(bworld, page):
    """The secretary tries to open next week's meeting today: told to move it first. Today's
    meeting, opened and closed minutes later from the minutes page, is flagged as too short."""
    now = timezone.localtime()
    later = make_meeting(bworld.cell, month=(now + dt.timedelta(days=7)).date().replace(day=1), day=1, kind="thematic", status=MeetingStatus.PUBLISHED)
    Meeting.objects.filter(pk=later.pk).update(starts_at=now + dt.timedelta(days=7))
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "bithu")
    page.goto(f"/meetings/{later.pk}/attendance/")
    page.get_by_role("button", name="Khai mạc cuộc họp").click()
    expect(page.locator(".messages")).to_contain_text("Chưa đến ngày họp")
    expect(page.locator(".messages")).to_contain_text("dời lịch họp")
    assert Meeting.objects.get(pk=later.pk).status == MeetingStatus.PUBLISHED

    today = make_meeting(bworld.cell, month=now.date().replace(day=1), day=1, status=MeetingStatus.PUBLISHED)
    Meeting.objects.filter(pk=today.pk).update(starts_at=now.replace(hour=0, minute=5))
    page.goto(f"/meetings/{today.pk}/minutes/")
    expect(page.get_by_test_id("minutes-not-started")).to_be_visible()
    page.get_by_role("button", name="Khai mạc cuộc họp").click()
    for member in (bworld.member, bworld.secretary_member):
        services.attendance_mark(actor=None, meeting=Meeting.objects.get(pk=today.pk), member_id=member.pk, status="present")
    page.goto(f"/meetings/{today.pk}/minutes/")
    page.get_by_role("button", name="Bế mạc cuộc họp").click()
    expect(page.get_by_test_id("under-length").first).to_be_visible()
    assert Meeting.objects.get(pk=today.pk).under_length
