"""The home page in a real Chromium: a member checks in from it, staff open the list behind a figure."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings.models import Meeting
from tests.browser.helpers import login, no_horizontal_scroll, shot
from tests.factories import World

pytestmark = pytest.mark.browser


def _open_meeting(world: World) -> Meeting:
    """The cell's meeting, started a minute ago (so it is on or after its day at any hour), open."""
    secretary = world.users["secretary"]
    starts = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=1)
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=timezone.localtime(starts).date().replace(day=1), starts_at=starts, place="Nhà văn hóa thôn Trung Sơn")
    prep.material_add(actor=secretary, meeting=meeting, name="bao-cao.pdf", data=b"%PDF-1.4\n%%EOF\n")
    meeting = prep.meeting_publish(actor=secretary, meeting=meeting, now=starts - dt.timedelta(days=2))
    return record.meeting_open(actor=secretary, meeting=meeting)


def test_member_sees_the_next_meeting_and_checks_in_from_home(page: Page, bworld: World) -> None:
    meeting = _open_meeting(bworld)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "dangvien")
    expect(page).to_have_url(re.compile(r"/$"))
    card = page.get_by_test_id("next-meeting")
    expect(card).to_contain_text("Nhà văn hóa thôn Trung Sơn")
    expect(card).to_contain_text(timezone.localtime(meeting.starts_at).strftime("%H:%M"))
    expect(card.get_by_role("link", name="bao-cao.pdf")).to_be_visible()
    expect(page.get_by_test_id("next-meeting-status")).to_have_text("Đang họp")
    no_horizontal_scroll(page)
    # The check-in is on the first screen of a 360 px phone.
    button = page.get_by_test_id("home-checkin-button")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    assert box["y"] + box["height"] <= 740, box

    page.get_by_label(re.compile("Mã điểm danh")).fill(meeting.checkin_code)
    button.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/checkin/$"))
    expect(page.locator("main")).to_contain_text("Bạn đã được điểm danh.")
    page.goto("/")
    expect(page.get_by_test_id("home-checkin")).to_contain_text("Bạn đã được điểm danh.")
    expect(page.get_by_test_id("home-checkin-button")).to_have_count(0)


def _at_200_percent_text(page: Page) -> None:
    page.add_style_tag(content="html { font-size: 200% !important; }")
    no_horizontal_scroll(page)


def test_each_persona_home_fits_a_phone_at_200_percent_text(page: Page, bworld: World) -> None:
    _open_meeting(bworld)
    page.set_viewport_size({"width": 360, "height": 740})
    for username in ("dangvien", "bithu", "canboxa"):
        login(page, username)
        shot(page, f"home-{username}")
        _at_200_percent_text(page)
        page.get_by_test_id("menu").click()  # on a phone, logout sits in the menu
        page.get_by_role("button", name="Đăng xuất").click()


def test_staff_see_a_figure_and_open_the_list_behind_it(page: Page, bworld: World) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "canboxa")
    month = page.get_by_test_id("committee-month-current")
    figure = month.get_by_test_id("figure-not_scheduled")
    expect(figure).to_contain_text("2")
    no_horizontal_scroll(page)
    figure.click()
    expect(page).to_have_url(re.compile(r"/meetings/missing/\d+/\?month=\d{4}-\d{2}&step=not_scheduled$"))
    expect(page.get_by_test_id("missing-count")).to_contain_text("2")
    rows = page.get_by_test_id("missing")
    expect(rows).to_contain_text("Chi bộ thôn Trung Sơn")
    expect(rows).to_contain_text("Chi bộ thôn Đồng Tâm")
    expect(rows).not_to_contain_text("Làng Y")
    no_horizontal_scroll(page)
    # another step of the same month, from the page's own form
    page.get_by_label("Việc còn thiếu").select_option(label="Chưa họp")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page).to_have_url(re.compile(r"step=not_held"))
    expect(page.get_by_test_id("missing-title")).to_contain_text("Chưa họp")
