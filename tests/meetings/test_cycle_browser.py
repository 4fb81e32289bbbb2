"""One month of a cell's meetings, done in a real Chromium as new users would do it.

1. Preparation: the secretary creates the month's regular meeting, edits the agenda, uploads a
   PDF, writes the draft resolution and publishes late (the warning shows); the member reads the
   notification, downloads the material and comments on an agenda item; the secretary sees the
   comment under that item; commune staff send the province staff, who find it in their schedule.
2. The meeting, on a 360 px phone: attendance one tap per member with the validity box updating
   live, minutes, the resolution with its vote, approval by the chair and the minute-taker, the
   lock, the resolution PDF read back with pdftotext, a numbered correction in the history.
3. The outsider (staff of another commune) gets the 404 page on every page of the meeting.

Each test builds the earlier steps through the services, so they stay independent and fast.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings.models import (
    Comment,
    Correction,
    Meeting,
    MeetingStatus,
    Resolution,
    UpperAssignment,
)
from tests.browser.helpers import login, no_horizontal_scroll, shot
from tests.factories import World
from tests.meetings.factories import make_term

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
ITEM = "Bàn biện pháp thu hoạch lúa vụ mùa"
DRAFT = "Hoàn thành thu hoạch lúa vụ mùa trước ngày 30.\nVận động nhân dân làm đường giao thông."
COMMENT = "Đề nghị bổ sung kế hoạch phơi sấy lúa khi trời mưa."
RESOLUTION_ITEMS = ["Hoàn thành thu hoạch lúa vụ mùa trước ngày 30.", "Vận động nhân dân làm đường giao thông."]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def messages(page: Page):
    return page.locator(".messages")


def relogin(context: BrowserContext, page: Page, username: str) -> None:
    context.clear_cookies()
    login(page, username)


def material_pdf(path: Path) -> Path:
    """A small real PDF with Vietnamese text, as a secretary would scan or export one."""
    from weasyprint import HTML

    HTML(string="<meta charset='utf-8'><h1>Báo cáo tình hình thu hoạch tháng này</h1><p>Thôn Trung Sơn.</p>").write_pdf(path)
    return path


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True, timeout=30)
    return " ".join(out.stdout.split())


def published_meeting(world: World, *, starts_at: dt.datetime) -> Meeting:
    """A regular meeting prepared and published three days ahead, through the services."""
    secretary = world.users["secretary"]
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=starts_at.date().replace(day=1), starts_at=starts_at, place="Nhà văn hóa thôn Trung Sơn")
    prep.agenda_add(actor=secretary, meeting=meeting, section="other", title=ITEM)
    prep.meeting_update(actor=secretary, meeting=meeting, place=meeting.place, topic="", draft_resolution=DRAFT)
    return prep.meeting_publish(actor=secretary, meeting=meeting, now=starts_at - dt.timedelta(days=3))


def hold_and_approve(world: World, meeting: Meeting) -> Meeting:
    """The meeting held, its resolution adopted, approved by the chair and the minute-taker."""
    meeting = record.meeting_open(actor=None, meeting=meeting)
    secretary = world.users["secretary"]
    for member in (world.member, world.secretary_member):
        record.attendance_mark(actor=secretary, meeting=meeting, member_id=member.pk, status="present")
    record.minutes_roles(actor=secretary, meeting=meeting, chair_id=world.secretary_member.pk, minute_taker_id=world.member.pk)
    record.resolution_save(actor=secretary, meeting=meeting, title="Nghị quyết tháng", items=RESOLUTION_ITEMS)
    record.votes_record(actor=secretary, meeting=meeting, votes={world.member.pk: "agree", world.secretary_member.pk: "agree"})
    record.meeting_close(actor=secretary, meeting=meeting)
    record.meeting_approve(actor=secretary, meeting=meeting, as_role="chair")
    return record.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")


def test_preparing_the_month_publishing_late_comments_and_the_upper_level_attendee(bworld: World, context: BrowserContext, page: Page, tmp_path: Path) -> None:
    # Three hours from now: less than the 24 hours the guidance asks for, so publishing is late.
    starts = timezone.localtime(timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    month = f"{starts:%m/%Y}"

    # a. The secretary prepares the meeting from the cell's page.
    login(page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("cell-meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
    page.get_by_text("Tạo cuộc họp mới").click()
    page.locator("#id_month").fill(month)
    page.locator("#id_date").fill(f"{starts:%d/%m/%Y}")
    page.locator("#id_time").fill(f"{starts:%H:%M}")
    page.locator("#id_place").fill("Nhà văn hóa thôn Trung Sơn")
    page.get_by_test_id("create-meeting").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text(f"Sinh hoạt thường kỳ tháng {month}")
    expect(page.get_by_test_id("starts-at")).to_contain_text(f"{starts:%H:%M} {starts:%d/%m/%Y}")
    expect(page.get_by_test_id("meeting-status")).to_have_text("Đang chuẩn bị")
    meeting = Meeting.objects.get(org=bworld.cell, month=starts.date().replace(day=1))
    detail_url = page.url

    agenda = page.get_by_test_id("agenda")
    page.get_by_text("Thêm nội dung", exact=True).click()
    page.locator("#new-title").fill(ITEM)
    page.locator("#new-details").fill("Đồng chí trưởng thôn báo cáo")
    with page.expect_response(lambda r: r.url.endswith(f"/meetings/{meeting.pk}/agenda/") and r.request.headers.get("hx-request") == "true"):
        page.get_by_test_id("agenda-add").get_by_role("button", name="Thêm").click()
    expect(agenda.locator("li", has_text=ITEM)).to_contain_text("Đồng chí trưởng thôn báo cáo")
    assert page.url == detail_url  # swapped in place
    # Move the new item one place up: the list is redrawn, the item now before its old neighbour.
    titles_before = agenda.locator("li > b").all_inner_texts()
    agenda.locator("li", has_text=ITEM).get_by_role("button", name="Lên").click()
    expect(agenda.locator("li > b").nth(len(titles_before) - 2)).to_have_text(ITEM)

    pdf = material_pdf(tmp_path / "bao-cao-thu-hoach.pdf")
    page.locator("#id_file").set_input_files(str(pdf))
    page.get_by_test_id("upload").get_by_role("button", name="Tải lên").click()
    expect(messages(page)).to_contain_text("Đã tải tài liệu lên.")
    expect(page.get_by_test_id("materials")).to_contain_text("bao-cao-thu-hoach.pdf")

    page.locator("#id_draft").fill(DRAFT)
    page.get_by_test_id("save-draft").click()
    expect(messages(page)).to_contain_text("Đã lưu.")
    expect(page.locator("#id_draft")).to_have_value(DRAFT)

    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("late-warning")).to_contain_text("Chỉ còn chưa đến 24 giờ trước giờ họp")
    expect(page.get_by_test_id("recipient-count")).to_have_text("2 đảng viên")
    page.get_by_test_id("confirm-publish").click()
    expect(messages(page)).to_contain_text("Đã thông báo, nhưng muộn hơn quy định")
    expect(page.get_by_test_id("meeting-status")).to_have_text("Đã thông báo")
    expect(page.get_by_test_id("published-late")).to_be_visible()

    # b. The member finds the invitation, reads the material and comments on the agenda item.
    relogin(context, page, "dangvien")
    page.get_by_role("link", name="Thông báo", exact=True).click()
    note = page.get_by_test_id("notification").filter(has_text=f"tháng {month}")
    expect(note).to_contain_text("Thông báo sinh hoạt thường kỳ")
    expect(note).to_contain_text(f"Thời gian: {starts:%H:%M %d/%m/%Y}")
    expect(note).to_contain_text(ITEM)
    note.get_by_role("link", name="Xem cuộc họp").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text(f"Sinh hoạt thường kỳ tháng {month}")
    expect(page.get_by_test_id("draft")).to_contain_text("Vận động nhân dân làm đường giao thông.")
    expect(page.get_by_test_id("draft-form")).to_have_count(0)
    expect(page.get_by_test_id("upload")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_test_id("materials").get_by_role("link", name="bao-cao-thu-hoach.pdf").click()
    assert download.value.suggested_filename == "bao-cao-thu-hoach.pdf"
    got = Path(download.value.path())
    assert got.read_bytes() == pdf.read_bytes()
    assert "Báo cáo tình hình thu hoạch" in pdf_text(got)

    form = page.get_by_test_id("comment-form")
    value = form.locator("#id_item option", has_text=ITEM).get_attribute("value")
    form.locator("#id_item").select_option(value=value)
    form.locator("#id_text").fill(COMMENT)
    page.get_by_test_id("send-comment").click()
    expect(messages(page)).to_contain_text("Đã gửi góp ý.")
    expect(page.get_by_test_id("comments")).to_contain_text(COMMENT)
    assert Comment.objects.get(meeting=meeting).agenda_item.title == ITEM

    # The secretary sees the comment grouped under that agenda item.
    relogin(context, page, "bithu")
    page.goto(detail_url)
    group = page.get_by_test_id("comments").locator(".card").filter(has=page.locator("h3", has_text=ITEM))
    expect(group).to_contain_text("Đặng Thị Hồng")
    expect(group).to_contain_text(COMMENT)
    expect(page.get_by_role("heading", name=re.compile(r"Góp ý của đảng viên \(1\)"))).to_be_visible()

    # c. Commune staff send the province staff to this cell's meeting of the month.
    relogin(context, page, "canboxa")
    page.goto(f"/org/{bworld.commune.pk}/")
    page.get_by_test_id("upper-assign").click()
    page.locator("#id_month").fill(month)
    page.get_by_role("button", name="Xem").click()
    row = page.get_by_test_id("upper-rows").locator("tr", has_text="Chi bộ thôn Trung Sơn")
    expect(row).to_contain_text(f"{starts:%H:%M} {starts:%d/%m/%Y}")
    row.get_by_label("Người dự").select_option(label="canbotinh")
    row.get_by_role("button", name="Phân công").click()
    expect(messages(page)).to_contain_text("Đã lưu phân công.")
    expect(page.get_by_test_id("upper-rows").locator("tr", has_text="Chi bộ thôn Trung Sơn")).to_contain_text("canbotinh")
    assert UpperAssignment.objects.filter(cell=bworld.cell, month=meeting.month, attendee=bworld.users["province"]).exists()

    relogin(context, page, "canbotinh")
    page.get_by_role("link", name="Lịch dự sinh hoạt").click()
    card = page.get_by_test_id("assignment").filter(has_text="Chi bộ thôn Trung Sơn")
    expect(card).to_contain_text(f"tháng {month}")
    card.get_by_role("link", name=f"{starts:%H:%M} {starts:%d/%m/%Y}").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text(f"Sinh hoạt thường kỳ tháng {month}")
    expect(page.get_by_test_id("upper-attendees")).to_contain_text("canbotinh")


def test_holding_the_meeting_on_a_phone_through_to_the_locked_resolution_and_a_correction(bworld: World, context: BrowserContext, page: Page, tmp_path: Path) -> None:
    starts = timezone.localtime(timezone.now() - dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    make_term(bworld.cell, starts_on=starts.date() - dt.timedelta(days=365), ends_on=starts.date() + dt.timedelta(days=365))
    meeting = published_meeting(bworld, starts_at=starts)
    member, secretary = bworld.member, bworld.secretary_member
    page.set_viewport_size(PHONE)

    # d. Opening and attendance, one tap per member; the validity box follows each tap.
    login(page, "bithu")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Khai mạc, điểm danh").click()
    page.get_by_role("button", name="Khai mạc cuộc họp").click()
    expect(messages(page)).to_contain_text("Đã khai mạc cuộc họp. Hãy điểm danh.")
    expect(page.locator(".crumbs")).to_contain_text("Chi bộ thôn Trung Sơn")
    validity = page.locator("#validity")
    expect(validity).to_contain_text("Chưa đủ điều kiện biểu quyết: 0/2 có mặt, cần ít nhất 2")
    expect(validity).to_have_class(re.compile(r"\bwarn\b"))
    page.locator(f"#att-{member.pk}").get_by_role("button", name="Có mặt").click()
    expect(validity).to_contain_text("Chưa đủ điều kiện biểu quyết: 1/2 có mặt")
    expect(page.locator(f"#att-{member.pk}")).to_have_class(re.compile(r"\batt-present\b"))
    expect(page.locator(f"#att-{member.pk} .att-pending")).to_be_hidden()  # online: nothing waits for a sync
    page.locator(f"#att-{secretary.pk}").get_by_role("button", name="Có mặt").click()
    expect(validity).to_contain_text("Đủ điều kiện biểu quyết: 2/2 có mặt, cần ít nhất 2")
    expect(validity).not_to_contain_text("Chưa đủ")
    expect(validity).to_have_class(re.compile(r"\bok\b"))
    no_horizontal_scroll(page)
    shot(page, "meeting-attendance")

    # e. Minutes: the chair, the minute-taker, a speech on the agenda item.
    page.get_by_role("link", name="Biên bản").click()
    page.locator("#chair").select_option(label="Nguyễn Văn Hùng")
    page.locator("#minute_taker").select_option(label="Đặng Thị Hồng")
    page.get_by_role("button", name="Lưu chủ trì, thư ký").click()
    expect(messages(page)).to_contain_text("Đã lưu biên bản.")
    section = page.locator("section", has=page.get_by_role("heading", name=ITEM))
    section.get_by_label("Người phát biểu").select_option(label="Đặng Thị Hồng")
    section.get_by_label("Ý kiến").fill("Thôn đã huy động đủ máy gặt, dự kiến xong trước ngày 30.")
    section.get_by_role("button", name="Ghi ý kiến").click()
    expect(messages(page)).to_contain_text("Đã lưu biên bản.")
    expect(page.locator("section", has=page.get_by_role("heading", name=ITEM))).to_contain_text("Đặng Thị Hồng: Thôn đã huy động đủ máy gặt")

    # The resolution, prefilled from the draft; the vote adopts it and gives it its number.
    page.get_by_role("link", name="Nghị quyết", exact=True).click()
    expect(page.locator("#r-items")).to_have_value(DRAFT)
    page.locator("#r-title").fill("Nghị quyết sinh hoạt chi bộ tháng này")
    page.locator("#r-items").fill("\n".join(RESOLUTION_ITEMS))
    page.get_by_role("button", name="Lập dự thảo nghị quyết").click()
    expect(messages(page)).to_contain_text("Đã lưu nghị quyết.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Số …-NQ/CB")
    expect(page.locator("article")).to_contain_text("Chưa biểu quyết")
    page.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    expect(messages(page)).to_contain_text("Nghị quyết được thông qua: 2/2 tán thành.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Số 01-NQ/CB")
    expect(page.locator("article")).to_contain_text("2 tán thành, 0 không tán thành, 0 không biểu quyết, trên 2 đảng viên tính biểu quyết.")
    expect(page.locator("article")).to_contain_text("Được thông qua")

    # Closing, then approval by the chair (the secretary) and the minute-taker (the member).
    page.get_by_role("link", name="Điểm danh", exact=True).click()
    page.get_by_role("button", name="Bế mạc cuộc họp").click()
    expect(messages(page)).to_contain_text("Đã bế mạc cuộc họp.")
    page.get_by_role("button", name="Duyệt với tư cách chủ trì").click()
    expect(messages(page)).to_contain_text("Đã duyệt.")
    relogin(context, page, "dangvien")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(page.get_by_role("button", name="Duyệt với tư cách chủ trì")).to_have_count(0)  # not hers to approve
    page.get_by_role("button", name="Duyệt với tư cách thư ký").click()
    expect(messages(page)).to_contain_text("Đã duyệt.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã duyệt")
    expect(page.locator("main")).to_contain_text("Biên bản và nghị quyết đã khóa sổ ngày")

    # Locked: the secretary no longer finds an edit form, and a forged save is refused.
    relogin(context, page, "bithu")
    page.goto(f"/meetings/{meeting.pk}/resolution/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã duyệt, khóa sổ")
    expect(page.locator("#r-title")).to_have_count(0)
    expect(page.get_by_role("button", name="Ghi kết quả biểu quyết")).to_have_count(0)
    no_horizontal_scroll(page)
    shot(page, "meeting-resolution-locked")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(page.locator("#chair")).to_have_count(0)
    expect(page.get_by_role("button", name="Ghi ý kiến")).to_have_count(0)
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(f"/meetings/{meeting.pk}/resolution/", form={"title": "Sửa lén", "items": "Không được"}, headers={"X-CSRFToken": csrf})
    assert forged.status == 400 and "khóa sổ" in forged.text()
    assert Resolution.objects.get(meeting=meeting).title == "Nghị quyết sinh hoạt chi bộ tháng này"

    # f. The resolution as PDF: the 36-HD/VPTW header, the number and the items, in Vietnamese.
    response = page.request.get(f"/meetings/{meeting.pk}/resolution.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    (tmp_path / "nghi-quyet.pdf").write_bytes(response.body())
    text = pdf_text(tmp_path / "nghi-quyet.pdf")
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "NGHỊ QUYẾT", "Số 01-NQ/CB", "Chi bộ thôn Trung Sơn".upper(), *RESOLUTION_ITEMS):
        assert expected in text, (expected, text[:1500])

    # g. A numbered correction with its reason; the meeting's history shows it.
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Đính chính").click()
    target = page.locator("#c-target option", has_text="Vận động nhân dân").get_attribute("value")
    page.locator("#c-target").select_option(value=target)
    page.locator("#c-after").fill("Vận động nhân dân làm đường giao thông liên thôn.")
    page.locator("#c-reason").fill("Ghi thiếu chữ “liên thôn” so với ý kiến kết luận")
    page.get_by_role("button", name="Ghi đính chính").click()
    expect(messages(page)).to_contain_text("Đã ghi đính chính số 1.")
    expect(page.locator("table")).to_contain_text("Ghi thiếu chữ “liên thôn”")
    assert Correction.objects.get(meeting=meeting).number == 1
    page.goto(f"/meetings/{meeting.pk}/resolution/")
    expect(page.locator("article")).to_contain_text("Vận động nhân dân làm đường giao thông liên thôn.")
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("audit")).to_contain_text("Đính chính số 1")
    expect(page.get_by_test_id("audit")).to_contain_text("Ghi thiếu chữ “liên thôn”")


def test_the_outsider_gets_not_found_on_every_page_of_the_meeting(bworld: World, context: BrowserContext, page: Page) -> None:
    starts = timezone.localtime(timezone.now() - dt.timedelta(days=2)).replace(second=0, microsecond=0)
    make_term(bworld.cell, starts_on=starts.date() - dt.timedelta(days=365), ends_on=starts.date() + dt.timedelta(days=365))
    meeting = published_meeting(bworld, starts_at=starts)
    material = prep.material_add(actor=bworld.users["secretary"], meeting=meeting, name="tai-lieu.pdf", data=b"%PDF-1.4\n%%EOF\n")
    meeting = hold_and_approve(bworld, meeting)
    assert meeting.status == MeetingStatus.APPROVED
    pages = [f"/meetings/{meeting.pk}/{p}" for p in ("", "attendance/", "minutes/", "resolution/", "checkin/", "correction/", "quality/", "move/", "publish/")]
    files = [f"/meetings/{meeting.pk}/{f}" for f in ("minutes.pdf", "minutes.docx", "resolution.pdf", "resolution.docx")]
    files += [f"/meetings/material/{material.pk}/", f"/meetings/cell/{bworld.cell.pk}/book/{starts.year}.pdf"]

    # Someone in scope reaches them all (so the 404s below are about the outsider, not the URLs).
    login(page, "canboxa")
    for url in pages + files:
        assert page.request.get(url).status == 200, url

    relogin(context, page, "nguoingoai")
    for url in pages:
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
        expect(page.locator("main")).not_to_contain_text("Trung Sơn")
    for url in files:
        assert page.request.get(url).status == 404, url

