"""The meeting pages: who may open them, who may write, and what a tap, a check-in and a sync return."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEvent
from chibo.meetings import services_record as services
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    CellTerm,
    Guest,
    Meeting,
    MeetingStatus,
    QualityAssessment,
    Resolution,
    Speech,
)
from tests.meetings.factories import make_meeting, make_term

READERS = {"member": 200, "secretary": 200, "staff": 200, "outsider": 404}
EDITORS = {"member": 404, "secretary": 200, "staff": 200, "outsider": 404}


def open_meeting(world, **extra) -> Meeting:
    if not CellTerm.objects.filter(org=world.cell).exists():
        make_term(world.cell)  # resolutions adopted here take their numbers in the 2025–2030 term
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED, checkin_code="123456", **extra)
    return services.meeting_open(actor=world.users["secretary"], meeting=meeting)


def closed_meeting(world) -> Meeting:
    meeting = open_meeting(world)
    for member in (world.member, world.secretary_member):
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=member.pk, status="present")
    services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="Nghị quyết tháng 10", items=["Thu đảng phí"])
    services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={world.member.pk: "agree", world.secretary_member.pk: "agree"})
    services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=world.secretary_member.pk, minute_taker_id=world.member.pk)
    return services.meeting_close(actor=world.users["secretary"], meeting=meeting)


def approved_meeting(world) -> Meeting:
    meeting = closed_meeting(world)
    services.meeting_approve(actor=world.users["secretary"], meeting=meeting, as_role="chair")
    return services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")


def check(client_for, url: str, expected: dict[str, int]) -> None:
    for persona, status in expected.items():
        response = client_for(persona).get(url)
        assert response.status_code == status, (persona, url, response.status_code)


# Reading: every page for member, secretary, staff, outsider -------------------------------------


@pytest.mark.parametrize("name", ["attendance", "checkin", "minutes", "resolution", "quality"])
def test_meeting_pages_open_for_the_cell_and_answer_404_outside(world, client_for, name):
    meeting = closed_meeting(world)
    check(client_for, reverse(f"meetings:{name}", args=[meeting.pk]), READERS)


@pytest.mark.parametrize("name", ["attendance", "checkin", "minutes", "resolution", "quality"])
def test_meeting_pages_open_at_every_stage(world, client_for, name):
    for meeting in (make_meeting(world.cell, month=dt.date(2026, 5, 1), status=MeetingStatus.PUBLISHED), open_meeting(world)):
        for persona in ("member", "secretary"):
            assert client_for(persona).get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 200


def test_the_correction_page_is_for_editors_only(world, client_for):
    meeting = approved_meeting(world)
    check(client_for, reverse("meetings:correction", args=[meeting.pk]), EDITORS)


def test_a_missing_meeting_is_404(world, client_for):
    assert client_for("secretary").get(reverse("meetings:attendance", args=[999999])).status_code == 404


def test_post_only_pages_refuse_get(world, client_for):
    meeting = open_meeting(world)
    for name in ("record_open", "record_mark", "record_guests", "record_close", "record_approve", "record_vote"):
        assert client_for("secretary").get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 405
    assert client_for("secretary").get(reverse("meetings:sync")).status_code == 405


# Writing: a member or an outsider gets 404 and changes nothing ----------------------------------


def test_only_the_secretary_side_opens_the_meeting(world, client_for):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    url = reverse("meetings:record_open", args=[meeting.pk])
    for persona in ("member", "outsider"):
        assert client_for(persona).post(url).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED
    assert client_for("secretary").post(url).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def test_a_member_cannot_tap_attendance_but_the_secretary_can(world, client_for):
    meeting = open_meeting(world)
    url = reverse("meetings:record_mark", args=[meeting.pk])
    data = {"member": world.secretary_member.pk, "status": "present"}
    for persona in ("member", "outsider"):
        assert client_for(persona).post(url, data).status_code == 404
    assert Attendance.objects.get(meeting=meeting, member=world.secretary_member).status == ""
    assert client_for("staff").post(url, data).status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=world.secretary_member).status == "present"


def test_an_htmx_tap_returns_the_row_and_the_live_validity_box(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(
        reverse("meetings:record_mark", args=[meeting.pk]),
        {"member": world.member.pk, "status": "present", "client_id": str(uuid.uuid4()), "at": timezone.now().isoformat()},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="att-{world.member.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "1/2 có mặt, cần ít nhất 2" in html


def test_an_htmx_tap_with_a_bad_status_shows_a_vietnamese_error_and_changes_nothing(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(reverse("meetings:record_mark", args=[meeting.pk]), {"member": world.member.pk, "status": "bogus"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Trạng thái điểm danh không hợp lệ." in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


def test_the_attendance_page_shows_the_qr_code_to_the_secretary_only(world, client_for):
    meeting = open_meeting(world)
    url = reverse("meetings:attendance", args=[meeting.pk])
    secretary_page = client_for("secretary").get(url).content.decode()
    member_page = client_for("member").get(url).content.decode()
    assert "<svg" in secretary_page and "123456" in secretary_page
    assert "<svg" not in member_page and "123456" not in member_page
    assert "meetings/attendance.js" in secretary_page


def test_guests_are_recorded_by_the_secretary_only(world, client_for):
    meeting = open_meeting(world)
    url = reverse("meetings:record_guests", args=[meeting.pk])
    assert client_for("member").post(url, {"name": "Đồng chí Lý"}).status_code == 404
    client_for("secretary").post(url, {"name": "Đồng chí Lý", "title": "Đảng ủy viên xã"})
    assert list(Guest.objects.filter(meeting=meeting).values_list("name", "title")) == [("Đồng chí Lý", "Đảng ủy viên xã")]


def test_minutes_are_written_by_the_secretary_not_by_a_member(world, client_for):
    meeting = open_meeting(world)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Thông tin thời sự")
    url = reverse("meetings:minutes", args=[meeting.pk])
    data = {"op": "speech", "item": item.pk, "member": world.member.pk, "text": "Nhất trí."}
    for persona in ("member", "outsider"):
        assert client_for(persona).post(url, data).status_code == 404
    assert not Speech.objects.exists()
    assert client_for("secretary").post(url, data).status_code == 302
    assert client_for("secretary").post(url, {"op": "conclusion", "item": item.pk, "text": "Quán triệt."}).status_code == 302
    page = client_for("member").get(url).content.decode()
    assert "Đặng Thị Hồng:" in page and "Nhất trí." in page and "Quán triệt." in page


def test_a_bad_minutes_post_gets_a_message_not_a_500(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(reverse("meetings:minutes", args=[meeting.pk]), {"op": "speech", "item": "999", "text": "x"})
    assert response.status_code == 400 and "Không tìm thấy nội dung trong chương trình họp." in response.content.decode()


def test_the_resolution_is_written_and_voted_by_the_secretary_not_by_a_member(world, client_for):
    meeting = open_meeting(world)
    for member in (world.member, world.secretary_member):
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=member.pk, status="present")
    url = reverse("meetings:resolution", args=[meeting.pk])
    data = {"title": "Nghị quyết tháng 10", "preamble": "", "items": "Thu đảng phí\nDọn vệ sinh"}
    for persona in ("member", "outsider"):
        assert client_for(persona).post(url, data).status_code == 404
    assert not Resolution.objects.exists()
    assert client_for("secretary").post(url, data).status_code == 302
    vote_url = reverse("meetings:record_vote", args=[meeting.pk])
    votes = {f"vote_{world.member.pk}": "agree", f"vote_{world.secretary_member.pk}": "agree"}
    assert client_for("member").post(vote_url, votes).status_code == 404
    assert client_for("secretary").post(vote_url, votes).status_code == 302
    resolution = Resolution.objects.get(meeting=meeting)
    assert (resolution.code, resolution.votes_agree, resolution.vote_base, resolution.adopted) == ("Số 01-NQ/CB", 2, 2, True)
    page = client_for("member").get(url).content.decode()
    assert "Số 01-NQ/CB" in page and "Được thông qua" in page


def test_the_tally_form_refuses_an_ineligible_voter_with_a_message(world, client_for):
    meeting = open_meeting(world)
    services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=world.secretary_member.pk, status="present")
    services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=world.member.pk, status="unexcused")
    services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="NQ", items=["Một"])
    client = client_for("secretary")
    response = client.post(reverse("meetings:record_vote", args=[meeting.pk]), {f"vote_{world.member.pk}": "agree"}, follow=True)
    assert "không có quyền biểu quyết" in response.content.decode()
    assert Resolution.objects.get(meeting=meeting).votes_agree == 0


def test_closing_is_for_the_secretary(world, client_for):
    meeting = open_meeting(world)
    for member in (world.member, world.secretary_member):
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=member.pk, status="present")
    url = reverse("meetings:record_close", args=[meeting.pk])
    assert client_for("member").post(url).status_code == 404
    assert client_for("secretary").post(url).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CLOSED
    assert QualityAssessment.objects.filter(meeting=meeting).exists()


def test_the_minute_taker_approves_for_themselves_and_an_outsider_gets_404(world, client_for):
    meeting = closed_meeting(world)
    url = reverse("meetings:record_approve", args=[meeting.pk])
    assert client_for("outsider").post(url, {"as_role": "minute_taker"}).status_code == 404
    client_for("member").post(url, {"as_role": "chair"})  # not the chair: refused with a message
    client_for("member").post(url, {"as_role": "minute_taker"})
    pending = Meeting.objects.get(pk=meeting.pk)
    assert pending.approved_by_taker_at is not None and pending.approved_by_chair_at is None
    client_for("secretary").post(url, {"as_role": "chair"})
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.APPROVED


def test_a_locked_resolution_posted_again_is_refused_with_a_message(world, client_for):
    meeting = approved_meeting(world)
    response = client_for("secretary").post(reverse("meetings:resolution", args=[meeting.pk]), {"title": "Sửa", "items": "X"})
    assert response.status_code == 400 and "khóa sổ" in response.content.decode()
    assert Resolution.objects.get(meeting=meeting).title == "Nghị quyết tháng 10"


def test_a_correction_through_the_page_is_numbered_and_a_member_cannot_make_one(world, client_for):
    meeting = approved_meeting(world)
    url = reverse("meetings:correction", args=[meeting.pk])
    data = {"target": "resolution.item.1", "after": "Thu đảng phí tháng 10", "reason": "Ghi thiếu tháng"}
    assert client_for("member").post(url, data).status_code == 404
    assert client_for("secretary").post(url, data).status_code == 302
    assert client_for("secretary").post(url, {**data, "reason": ""}).status_code == 400
    page = client_for("member").get(reverse("meetings:resolution", args=[meeting.pk])).content.decode()
    assert "Thu đảng phí tháng 10" in page and "Ghi thiếu tháng" in page


def test_the_quality_rating_is_for_the_secretary(world, client_for):
    meeting = closed_meeting(world)
    url = reverse("meetings:quality", args=[meeting.pk])
    assert client_for("member").post(url, {"rating": "good"}).status_code == 404
    assert client_for("secretary").post(url, {"rating": "good", "note": "Tốt"}).status_code == 302
    assert QualityAssessment.objects.get(meeting=meeting).secretary_rating == "good"
    assert "100,00%" in client_for("member").get(url).content.decode()


# Self check-in and sync -------------------------------------------------------------------------


def test_self_checkin_with_the_code_from_the_qr_link(world, client_for):
    meeting = open_meeting(world)
    url = reverse("meetings:checkin", args=[meeting.pk])
    assert 'value="123456"' in client_for("member").get(url + "?code=123456").content.decode()
    assert client_for("member").post(url, {"code": "123456"}).status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == "present"


def test_self_checkin_with_a_wrong_code_is_refused_on_the_page(world, client_for):
    meeting = open_meeting(world)
    response = client_for("member").post(reverse("meetings:checkin", args=[meeting.pk]), {"code": "000000"})
    assert response.status_code == 400 and "Mã điểm danh không đúng." in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


def test_an_outsider_cannot_check_in(world, client_for):
    meeting = open_meeting(world)
    assert client_for("outsider").post(reverse("meetings:checkin", args=[meeting.pk]), {"code": "123456"}).status_code == 404


def _sync(client: Client, items) -> dict:
    response = client.post(reverse("meetings:sync"), data=json.dumps(items), content_type="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_same_offline_checkin_synced_twice_changes_attendance_once(world, client_for):
    meeting = open_meeting(world)
    tap = {"client_id": str(uuid.uuid4()), "meeting": meeting.pk, "member": world.member.pk, "status": "present", "reason": "", "at": timezone.now().isoformat(), "code": "123456"}
    client = client_for("member")
    assert _sync(client, [tap])["results"][0]["outcome"] == "applied"
    assert _sync(client, [tap])["results"][0]["outcome"] == "duplicate"
    assert AuditEvent.objects.filter(verb="attendance.mark", object_id=meeting.pk).count() == 1


def test_sync_from_an_outsider_is_not_found_and_changes_nothing(world, client_for):
    meeting = open_meeting(world)
    tap = {"client_id": str(uuid.uuid4()), "meeting": meeting.pk, "member": world.member.pk, "status": "present", "at": timezone.now().isoformat()}
    assert _sync(client_for("outsider"), [tap])["results"][0]["outcome"] == "not_found"
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


def test_sync_with_a_body_that_is_not_json_is_a_clear_400(world, client_for):
    response = client_for("secretary").post(reverse("meetings:sync"), data="{oops", content_type="application/json")
    assert response.status_code == 400 and "không hợp lệ" in response.json()["error"]


def test_sync_needs_the_csrf_header(world):
    meeting = open_meeting(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["secretary"])
    page = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    tap = [{"client_id": str(uuid.uuid4()), "meeting": meeting.pk, "member": world.member.pk, "status": "present", "at": timezone.now().isoformat()}]
    assert client.post(reverse("meetings:sync"), data=json.dumps(tap), content_type="application/json").status_code == 403
    assert token
    response = client.post(reverse("meetings:sync"), data=json.dumps(tap), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["results"][0]["outcome"] == "applied"


def test_the_offline_script_is_served_locally(world, client_for):
    from django.contrib.staticfiles import finders

    assert finders.find("meetings/attendance.js")


def test_the_detail_page_links_to_the_record_pages_for_the_meeting_stage(world, client_for):
    meeting = approved_meeting(world)
    secretary_page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    member_page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for name in ("attendance", "minutes", "resolution", "quality", "correction"):
        assert reverse(f"meetings:{name}", args=[meeting.pk]) in secretary_page
    assert reverse("meetings:minutes", args=[meeting.pk]) in member_page
    assert reverse("meetings:correction", args=[meeting.pk]) not in member_page


# The timeline through the pages ----------------------------------------------------------------

VN = dt.timezone(dt.timedelta(hours=7))


def test_opening_before_the_day_from_the_attendance_page_says_to_move_the_meeting_first(world, client_for):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)  # 03/10/2026
    with time_machine.travel(dt.datetime(2026, 10, 2, 20, 0, tzinfo=VN), tick=False):
        response = client_for("secretary").post(reverse("meetings:record_open", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    assert "Chưa đến ngày họp (03/10/2026)" in page and "dời lịch họp" in page
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED


def test_the_minutes_page_before_opening_says_when_the_minutes_start_and_offers_the_opening_with_its_time(world, client_for):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert "Biên bản bắt đầu khi cuộc họp khai mạc." in client_for("member").get(url).content.decode()
    page = client_for("secretary").get(url).content.decode()
    assert 'name="time"' in page and reverse("meetings:record_open", args=[meeting.pk]) in page
    assert "minutes.pdf" not in page


def test_opening_with_a_bad_time_shows_the_error_under_the_time_field(world, client_for):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    with time_machine.travel(dt.datetime(2026, 10, 3, 19, 0, tzinfo=VN), tick=False):
        bad = client_for("secretary").post(reverse("meetings:record_open", args=[meeting.pk]), {"time": "25:99"})
        future = client_for("secretary").post(reverse("meetings:record_open", args=[meeting.pk]), {"time": "19:45"})
    assert bad.status_code == 400 and 'data-testid="error-time"' in bad.content.decode() and "HH:MM" in bad.content.decode()
    assert future.status_code == 400 and 'data-testid="error-time"' in future.content.decode() and "chưa tới" in future.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED


def test_opening_and_closing_with_actual_times_flags_a_short_meeting_on_its_pages(world, client_for):
    make_term(world.cell)
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    client = client_for("secretary")
    with time_machine.travel(dt.datetime(2026, 10, 3, 21, 0, tzinfo=VN), tick=False):
        assert client.post(reverse("meetings:record_open", args=[meeting.pk]), {"time": "19:35"}).status_code == 302
        for member in (world.member, world.secretary_member):
            services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=member.pk, status="present")
        refused = client.post(reverse("meetings:record_close", args=[meeting.pk]), {"time": "19:30"})
        assert refused.status_code == 400 and "không được trước giờ khai mạc" in refused.content.decode()
        assert client.post(reverse("meetings:record_close", args=[meeting.pk]), {"time": "20:50"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.opened_at == dt.datetime(2026, 10, 3, 19, 35, tzinfo=VN) and meeting.closed_at == dt.datetime(2026, 10, 3, 20, 50, tzinfo=VN)
    assert meeting.under_length
    for name in ("minutes", "quality", "detail"):
        page = client_for("member").get(reverse(f"meetings:{name}", args=[meeting.pk])).content.decode()
        assert 'data-testid="under-length"' in page, name
    assert "họp 75 phút" in client_for("member").get(reverse("meetings:quality", args=[meeting.pk])).content.decode()


def test_the_meeting_page_warns_when_no_term_covers_the_meeting_day_and_the_vote_is_refused_with_the_fix(world, client_for):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED, checkin_code="123456")
    meeting = services.meeting_open(actor=world.users["secretary"], meeting=meeting)
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="no-term"' in page
    for member in (world.member, world.secretary_member):
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=member.pk, status="present")
    services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="NQ", items=["Một"])
    votes = {f"vote_{world.member.pk}": "agree", f"vote_{world.secretary_member.pk}": "agree"}
    response = client_for("secretary").post(reverse("meetings:record_vote", args=[meeting.pk]), votes, follow=True)
    assert "Hãy ghi nhiệm kỳ của chi bộ trước" in response.content.decode()
    assert not Resolution.objects.get(meeting=meeting).adopted and not CellTerm.objects.exists()


# Forms: errors under their fields, lengths enforced, garbage refused ---------------------------


def test_a_too_long_guest_name_is_refused_with_a_message_and_nothing_stored(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(reverse("meetings:record_guests", args=[meeting.pk]), {"name": "A" * 201}, follow=True)
    assert "200" in response.content.decode() and not Guest.objects.exists()


def test_the_resolution_form_shows_each_error_under_its_field(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(reverse("meetings:resolution", args=[meeting.pk]), {"title": "T" * 301, "items": " \n "})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-title"' in html and 'data-testid="error-items"' in html and "Nghị quyết cần ít nhất một nội dung." in html
    assert not Resolution.objects.exists()


def test_the_correction_and_quality_forms_show_errors_under_their_fields(world, client_for):
    meeting = approved_meeting(world)
    bad = client_for("secretary").post(reverse("meetings:correction", args=[meeting.pk]), {"target": "nope", "after": "", "reason": ""})
    html = bad.content.decode()
    assert bad.status_code == 400 and all(f'data-testid="error-{f}"' in html for f in ("target", "after", "reason"))
    quality = client_for("secretary").post(reverse("meetings:quality", args=[meeting.pk]), {"rating": "excellent"})
    assert quality.status_code == 400 and "Hãy chọn mức tự đánh giá." in quality.content.decode()


def test_a_speech_without_text_shows_the_error_under_that_items_field(world, client_for):
    meeting = open_meeting(world)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Thông tin thời sự")
    response = client_for("secretary").post(reverse("meetings:minutes", args=[meeting.pk]), {"op": "speech", "item": item.pk, "member": world.member.pk, "text": ""})
    assert response.status_code == 400 and 'data-testid="error-text"' in response.content.decode() and "Hãy ghi nội dung phát biểu." in response.content.decode()
    bogus = client_for("secretary").post(reverse("meetings:minutes", args=[meeting.pk]), {"op": "drop_table"})
    assert bogus.status_code == 400 and "Thao tác không hợp lệ." in bogus.content.decode()


def test_an_agenda_template_hint_is_guidance_in_the_form_not_content_of_the_minutes(world, client_for):
    meeting = open_meeting(world)
    hint = "Giao nhiệm vụ cụ thể cho từng đảng viên (ghi rõ họ tên)."
    AgendaItem.objects.create(meeting=meeting, position=1, section="next_tasks", title="Nhiệm vụ tháng tới", details=hint)
    AgendaItem.objects.create(meeting=meeting, position=2, section="other", title="Việc khác", details="Đồng chí An phụ trách.")
    member_page = client_for("member").get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert hint not in member_page and "Đồng chí An phụ trách." in member_page
    secretary_page = client_for("secretary").get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert f'placeholder="{hint}"' in secretary_page


@pytest.mark.parametrize(
    "body",
    [[{"client_id": "not-a-uuid", "meeting": 1, "member": 1, "status": "present"}], [42], [{"client_id": str(uuid.UUID(int=1)), "meeting": "x", "member": 1, "status": "present"}],
     [{"client_id": str(uuid.UUID(int=1)), "meeting": 1, "member": 1, "status": "bogus"}], [{"client_id": str(uuid.UUID(int=1)), "meeting": 1, "member": 1, "status": "present", "reason": "x" * 301}]],
)
def test_sync_with_a_malformed_item_is_a_400_that_names_it_and_applies_nothing(world, client_for, body):
    meeting = open_meeting(world)
    good = {"client_id": str(uuid.uuid4()), "meeting": meeting.pk, "member": world.member.pk, "status": "present", "code": "123456"}
    response = client_for("member").post(reverse("meetings:sync"), data=json.dumps([good, *body]), content_type="application/json")
    assert response.status_code == 400 and response.json()["item"] == 2 and "không hợp lệ" in response.json()["error"]
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


def test_record_views_read_no_post_field_by_hand():
    import inspect

    from chibo.meetings import views_docs, views_record

    for module in (views_record, views_docs):
        assert "request.POST.get" not in inspect.getsource(module)
