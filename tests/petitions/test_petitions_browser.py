"""A petition up the tree and back down, in a real Chromium, as new users would do it.

The member raises it from a 360 px phone between meetings; the cell's secretary sends it to the
commune committee; the commune's staff forward it to the province; the province answers; the
answer shows on the cell's next meeting page, where the secretary marks it read out and then
closes the residents' matter. The outsider gets 404 on the petition.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from chibo.meetings import services_prep as prep
from chibo.petitions.models import Petition, Status
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TITLE = "Sửa cầu tràn xóm 3"
ANSWER = "UBND tỉnh đã bố trí vốn sửa cầu tràn trong quý I."


def relogin(context: BrowserContext, page: Page, username: str) -> None:
    context.clear_cookies()
    login(page, username)


def test_a_petition_from_the_cell_to_the_province_and_back_to_the_next_meeting(bworld: World, context: BrowserContext, page: Page) -> None:
    # 1. The member, on a phone, between meetings.
    page.set_viewport_size(PHONE)
    login(page, "dangvien")
    page.goto("/petitions/mine/")
    page.get_by_test_id("raise-link").click()
    page.get_by_label("Lĩnh vực").select_option("infrastructure")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Nội dung kiến nghị").fill("Cầu tràn bị sạt, mùa mưa học sinh không đến trường được.")
    page.get_by_label("Họ tên người dân (nếu có)").fill("Lê Văn Dân")
    no_horizontal_scroll(page)
    page.get_by_test_id("raise-submit").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi kiến nghị đến bí thư chi bộ.")
    expect(page.get_by_test_id("petition-list")).to_contain_text(TITLE)
    petition = Petition.objects.get(title=TITLE)

    # 2. The secretary sends it to the commune committee (a committee above the cell).
    page.set_viewport_size({"width": 1280, "height": 800})
    relogin(context, page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("cell-petitions").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("resident")).to_contain_text("Lê Văn Dân")
    page.get_by_label("Gửi cấp ủy cấp trên").select_option(label="Đảng bộ xã Quảng Tân")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("holder")).to_have_text("Đảng bộ xã Quảng Tân")

    # 3. The commune's staff find it in their inbox and forward it to the province.
    relogin(context, page, "canboxa")
    page.get_by_test_id("nav-inbox").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("resident")).to_contain_text("Lê Văn Dân")  # a handler sees the resident
    page.get_by_text("Chuyển lên cấp trên", exact=True).click()
    page.get_by_label("Chuyển lên").select_option(label="Đảng bộ tỉnh Quảng Ninh")
    page.locator("#forward-note").fill("Vượt thẩm quyền cấp xã.")
    page.get_by_test_id("forward-submit").click()
    expect(page.get_by_test_id("holder")).to_have_text("Đảng bộ tỉnh Quảng Ninh")
    expect(page.get_by_test_id("answer-form")).to_have_count(0)  # no longer the commune's to answer

    # 4. The province answers.
    relogin(context, page, "canbotinh")
    page.goto("/petitions/inbox/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Nội dung trả lời").fill(ANSWER)
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("Đã trả lời")
    expect(page.get_by_test_id("timeline")).to_contain_text("Đảng bộ xã Quảng Tân → Đảng bộ tỉnh Quảng Ninh")

    # 5. The cell's next meeting page shows the answer; the secretary marks it read out, then closes it.
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5)).replace(hour=19, minute=30, second=0, microsecond=0)
    secretary = bworld.users["secretary"]
    meeting = prep.meeting_create(actor=secretary, cell=bworld.cell, month=starts.date().replace(day=1), starts_at=starts, place="Nhà văn hóa")
    prep.meeting_publish(actor=secretary, meeting=meeting)
    relogin(context, page, "bithu")
    expect(page.get_by_test_id("home-petitions-read-out")).to_contain_text(TITLE)
    page.goto(f"/meetings/{meeting.pk}/")
    box = page.get_by_test_id("meeting-petitions")
    expect(box.get_by_test_id("answer-to-read")).to_contain_text(ANSWER)
    box.get_by_test_id("read-out").click()
    expect(page.locator(".messages")).to_contain_text("câu trả lời được thông báo tại cuộc họp")
    expect(page.get_by_test_id("read-here")).to_contain_text(TITLE)
    expect(page.get_by_test_id("answer-to-read")).to_have_count(0)
    page.get_by_test_id("read-here").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("Đã khép lại")
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.read_out_meeting_id == meeting.pk
    assert list(petition.events.values_list("kind", flat=True)) == ["raised", "sent", "forwarded", "answered", "read_out", "closed"]

    # 6. The outsider (staff of the other commune) gets the 404 page.
    relogin(context, page, "nguoingoai")
    response = page.goto(f"/petitions/{petition.pk}/")
    assert response is not None and response.status == 404
