"""Services of meeting preparation: schedule, agenda, publication with notifications, comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings import services_prep as services
from chibo.meetings.models import (
    AgendaSection,
    Comment,
    Meeting,
    MeetingDay,
    MeetingKind,
    MeetingStatus,
    Notification,
)
from chibo.meetings.selectors_prep import add_months, month_start
from chibo.orgs import services as org_services
from chibo.orgs.models import OrgKind, Sector
from tests.factories import START, World, make_member, make_user


def future_month(n: int = 2) -> dt.date:
    return add_months(month_start(timezone.localdate()), n)


def aware(y: int, m: int, d: int, hh: int = 19, mm: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CHIBO_NOTIFY_CHANNELS = ["inapp", "email"]
    mail.outbox = []
    return settings


def audit_verbs(meeting: Meeting) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="meetings.meeting", object_id=meeting.pk).values_list("verb", flat=True))


# Schedule ----------------------------------------------------------------------------------


def test_a_meeting_without_a_time_starts_on_the_settings_day_and_time(world: World, settings) -> None:
    settings.CHIBO_MEETING_DAY, settings.CHIBO_MEETING_TIME = 5, "08:15"
    month = future_month()
    meeting = services.meeting_create(actor=world.users["secretary"], cell=world.cell, month=month, place="Nhà văn hóa")
    assert timezone.localtime(meeting.starts_at).replace(tzinfo=None) == dt.datetime(month.year, month.month, 5, 8, 15)
    assert meeting.status == MeetingStatus.DRAFT
    assert audit_verbs(meeting) == ["meeting.create"]


def test_the_nearest_meeting_day_rule_up_the_tree_wins(world: World, settings) -> None:
    settings.CHIBO_MEETING_DAY = 3
    services.meeting_day_set(actor=world.users["province"], org=world.province, day_of_month=10, time=dt.time(7, 0))
    services.meeting_day_set(actor=world.users["staff"], org=world.commune, day_of_month=4, time=dt.time(19, 0))
    month = future_month()
    here = services.meeting_create(actor=None, cell=world.cell, month=month)
    there = services.meeting_create(actor=None, cell=world.other_cell, month=month)
    assert timezone.localtime(here.starts_at).day == 4 and timezone.localtime(here.starts_at).hour == 19
    assert timezone.localtime(there.starts_at).day == 10 and timezone.localtime(there.starts_at).hour == 7


def test_a_meeting_day_outside_1_to_28_is_refused(world: World) -> None:
    with pytest.raises(ChiboError, match="1 đến 28"):
        services.meeting_day_set(actor=None, org=world.commune, day_of_month=31, time=dt.time(19, 0))
    assert not MeetingDay.objects.exists()


def test_a_second_regular_meeting_in_a_month_gets_a_vietnamese_message(world: World) -> None:
    month = future_month()
    services.meeting_create(actor=None, cell=world.cell, month=month)
    with pytest.raises(ChiboError, match="Mỗi tháng chỉ có một cuộc sinh hoạt thường kỳ"):
        services.meeting_create(actor=None, cell=world.cell, month=month, kind=MeetingKind.COMBINED, topic="Chuyên đề")
    assert Meeting.objects.filter(org=world.cell).count() == 1


def test_thematic_and_committee_meetings_sit_beside_the_regular_one(world: World) -> None:
    month = future_month()
    services.meeting_create(actor=None, cell=world.cell, month=month)
    services.meeting_create(actor=None, cell=world.cell, month=month, kind=MeetingKind.THEMATIC, topic="Học tập Chỉ thị 05")
    services.meeting_create(actor=None, cell=world.cell, month=month, kind=MeetingKind.COMMITTEE)
    assert Meeting.objects.filter(org=world.cell, month=month).count() == 3


def test_a_thematic_meeting_needs_a_topic(world: World) -> None:
    with pytest.raises(ChiboError, match="chủ đề"):
        services.meeting_create(actor=None, cell=world.cell, month=future_month(), kind=MeetingKind.THEMATIC)


def test_meetings_are_only_for_cells(world: World) -> None:
    with pytest.raises(ChiboError, match="chi bộ"):
        services.meeting_create(actor=None, cell=world.commune, month=future_month())


def test_moving_a_meeting_needs_a_reason_and_is_audited(world: World) -> None:
    month = future_month()
    meeting = services.meeting_create(actor=None, cell=world.cell, month=month)
    new = aware(month.year, month.month, 6)
    with pytest.raises(ChiboError, match="lý do"):
        services.meeting_move(actor=world.users["secretary"], meeting=meeting, starts_at=new, reason="  ")
    meeting.refresh_from_db()
    assert meeting.starts_at != new
    services.meeting_move(actor=world.users["secretary"], meeting=meeting, starts_at=new, reason="Trùng lịch bầu cử")
    meeting.refresh_from_db()
    assert meeting.starts_at == new and meeting.moved_reason == "Trùng lịch bầu cử"
    assert "meeting.move" in audit_verbs(meeting)


# Agenda ------------------------------------------------------------------------------------


def test_a_residential_cell_gets_the_village_agenda_and_an_agency_cell_does_not(world: World) -> None:
    agency = org_services.org_create(actor=None, name="Chi bộ Văn phòng", kind=OrgKind.CELL, parent=world.commune, on=START, sector=Sector.AGENCY)
    month = future_month()
    village = services.meeting_create(actor=None, cell=world.cell, month=month)
    office = services.meeting_create(actor=None, cell=agency, month=month)
    village_titles = [i.title for i in village.agenda.all()]
    office_titles = [i.title for i in office.agenda.all()]
    assert village_titles[0] == "Phần mở đầu" and office_titles[0] == "Phần mở đầu"
    assert "Công việc ở thôn, tổ dân phố" in village_titles
    assert "Công việc ở thôn, tổ dân phố" not in office_titles
    assert any("chuyên môn" in t for t in office_titles)
    sections = [i.section for i in village.agenda.all()]
    for section in (AgendaSection.OPENING, AgendaSection.NEWS, AgendaSection.THINKING, AgendaSection.REVIEW, AgendaSection.STUDY, AgendaSection.NEXT_TASKS, AgendaSection.DISCUSSION, AgendaSection.CONCLUSION):
        assert section in sections
    assert sections[-1] == AgendaSection.CONCLUSION


def test_a_combined_meeting_adds_the_thematic_part(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month(), kind=MeetingKind.COMBINED, topic="Chuyên đề quý")
    assert "Nội dung chuyên đề" in [i.title for i in meeting.agenda.all()]


def test_agenda_items_can_be_added_edited_reordered_and_deleted(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    n = meeting.agenda.count()
    item = services.agenda_add(actor=None, meeting=meeting, section=AgendaSection.OTHER, title="Kết nạp đảng viên")
    assert item.position == n + 1
    services.agenda_move(actor=None, item=item, direction="up")
    titles = [i.title for i in meeting.agenda.order_by("position")]
    assert titles[-2] == "Kết nạp đảng viên"
    item.refresh_from_db()
    services.agenda_edit(actor=None, item=item, section=AgendaSection.DISCUSSION, title="Xét kết nạp", details="Đ/c Hồng báo cáo")
    first = meeting.agenda.order_by("position").first()
    assert first is not None
    services.agenda_delete(actor=None, item=first)
    positions = list(meeting.agenda.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, n + 1))
    assert {"meeting.agenda_add", "meeting.agenda_move", "meeting.agenda_edit", "meeting.agenda_delete"} <= set(audit_verbs(meeting))


def test_an_agenda_item_needs_a_title(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with pytest.raises(ChiboError, match="tên nội dung"):
        services.agenda_add(actor=None, meeting=meeting, section=AgendaSection.OTHER, title=" ")


# Publication -------------------------------------------------------------------------------


def test_publishing_in_time_notifies_members_in_app_and_by_email(world: World, locmem, django_capture_on_commit_callbacks) -> None:
    world.member.email = "hong@example.vn"
    world.member.save()
    make_member(world.cell, given_name="Lan", surname="Lê", middle_name="Thị", sex="female", born=dt.date(1980, 1, 1), email="lan@example.vn")  # no account: email only
    month = future_month()
    meeting = services.meeting_create(actor=None, cell=world.cell, month=month, place="Nhà văn hóa thôn")
    now = meeting.starts_at - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(actor=world.users["secretary"], meeting=meeting, now=now)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_at == now
    assert meeting.published_late is False
    assert len(meeting.checkin_code) == 6 and meeting.checkin_code.isdigit()
    assert set(Notification.objects.filter(meeting=meeting).values_list("user__username", flat=True)) == {"dangvien", "bithu"}
    assert sorted(m.to[0] for m in mail.outbox) == ["hong@example.vn", "lan@example.vn"]
    assert "Nhà văn hóa thôn" in mail.outbox[0].body
    assert "meeting.publish" in audit_verbs(meeting)


def test_publishing_less_than_a_day_ahead_is_allowed_but_flagged_late(world: World, locmem, django_capture_on_commit_callbacks) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(actor=None, meeting=meeting, now=meeting.starts_at - dt.timedelta(hours=5))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_late is True


def test_publishing_twice_is_refused(world: World, locmem) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    services.meeting_publish(actor=None, meeting=meeting)
    with pytest.raises(ChiboError, match="đã được thông báo"):
        services.meeting_publish(actor=None, meeting=meeting)


def test_members_who_are_not_official_or_probationary_on_the_day_are_not_invited(world: World, locmem) -> None:
    from chibo.members import services as member_services

    member_services.member_set_status(actor=None, member=world.member, status="exempted", on=dt.date(2024, 1, 1), note="Tuổi cao", owner="discipline")
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    services.meeting_publish(actor=None, meeting=meeting)
    assert list(Notification.objects.filter(meeting=meeting).values_list("user__username", flat=True)) == ["bithu"]


def test_the_assigned_upper_level_attendee_is_invited_too(world: World, locmem, django_capture_on_commit_callbacks) -> None:
    attendee = world.users["staff"]
    attendee.email = "canbo@xa.vn"
    attendee.save()
    month = future_month()
    services.upper_assign(actor=world.users["staff"], cell=world.cell, month=month, attendee=attendee)
    meeting = services.meeting_create(actor=None, cell=world.cell, month=month)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(actor=None, meeting=meeting)
    assert Notification.objects.filter(meeting=meeting, user=attendee).exists()
    assert [m.to for m in mail.outbox] == [["canbo@xa.vn"]]


def test_a_rolled_back_publication_sends_no_email(world: World, locmem, django_capture_on_commit_callbacks) -> None:
    world.member.email = "hong@example.vn"
    world.member.save()
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.meeting_publish(actor=None, meeting=meeting)
        raise RuntimeError("something later failed")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_only_the_in_app_channel_runs_when_configured_so(world: World, locmem, django_capture_on_commit_callbacks) -> None:
    locmem.CHIBO_NOTIFY_CHANNELS = ["inapp"]
    world.member.email = "hong@example.vn"
    world.member.save()
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(actor=None, meeting=meeting)
    assert mail.outbox == []
    assert Notification.objects.filter(meeting=meeting).count() == 2


def test_moving_a_published_meeting_tells_the_members(world: World, locmem) -> None:
    month = future_month()
    meeting = services.meeting_create(actor=None, cell=world.cell, month=month)
    services.meeting_publish(actor=None, meeting=meeting)
    services.meeting_move(actor=None, meeting=meeting, starts_at=aware(month.year, month.month, 7), reason="Mưa bão")
    assert Notification.objects.filter(meeting=meeting, subject__startswith="Thay đổi lịch").count() == 2


# Comments ----------------------------------------------------------------------------------


def test_a_member_comments_on_the_draft_and_on_an_agenda_item(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    item = meeting.agenda.order_by("position").last()
    services.comment_add(actor=world.users["member"], meeting=meeting, text="Đề nghị bổ sung nhiệm vụ vệ sinh môi trường.")
    services.comment_add(actor=world.users["member"], meeting=meeting, text="Đồng ý.", agenda_item=item)
    assert Comment.objects.filter(meeting=meeting, author=world.member).count() == 2
    assert audit_verbs(meeting).count("meeting.comment") == 2


def test_comments_are_refused_once_the_meeting_has_started(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with pytest.raises(ChiboError, match="đã bắt đầu"):
        services.comment_add(actor=world.users["member"], meeting=meeting, text="Muộn", now=meeting.starts_at + dt.timedelta(minutes=1))
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.OPEN)
    with pytest.raises(ChiboError, match="đã bắt đầu"):
        services.comment_add(actor=world.users["member"], meeting=meeting, text="Muộn")
    assert not Comment.objects.exists()


def test_someone_outside_the_cell_cannot_comment(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    stranger = make_user("lang-y", role="member", org=world.other_cell, member=world.other_member)
    with pytest.raises(ChiboError, match="Chỉ đảng viên của chi bộ"):
        services.comment_add(actor=stranger, meeting=meeting, text="Xin góp ý")
    with pytest.raises(ChiboError, match="Chỉ đảng viên của chi bộ"):
        services.comment_add(actor=world.users["staff"], meeting=meeting, text="Xin góp ý")


def test_an_empty_comment_is_refused(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    with pytest.raises(ChiboError, match="nội dung góp ý"):
        services.comment_add(actor=world.users["member"], meeting=meeting, text="   ")


def test_the_draft_resolution_is_saved_and_audited(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    services.meeting_update(actor=None, meeting=meeting, place="Hội trường", topic="", draft_resolution="1. Hoàn thành thu đảng phí.")
    meeting.refresh_from_db()
    assert meeting.draft_resolution == "1. Hoàn thành thu đảng phí."
    assert "meeting.update" in audit_verbs(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
    with pytest.raises(ChiboError):
        services.meeting_update(actor=None, meeting=meeting, place="Khác", topic="", draft_resolution="")


def test_a_new_channel_can_be_plugged_in(world: World, locmem) -> None:
    from chibo.meetings import notify

    sent: list[tuple[str, str]] = []

    class Sms:
        def send(self, *, user, subject, body, email="", meeting=None, url="") -> bool:  # type: ignore[no-untyped-def]
            if user is None:
                return False
            sent.append((user.username, subject))
            return True

    notify.register("sms-test", Sms())
    locmem.CHIBO_NOTIFY_CHANNELS = ["sms-test"]
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month())
    services.meeting_publish(actor=None, meeting=meeting)
    assert sorted(u for u, _ in sent) == ["bithu", "dangvien"]
    assert not Notification.objects.exists()


def test_a_committee_meeting_invites_only_the_cell_committee(world: World, locmem) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=future_month(), kind=MeetingKind.COMMITTEE)
    services.meeting_publish(actor=None, meeting=meeting)
    assert list(Notification.objects.filter(meeting=meeting).values_list("user__username", flat=True)) == ["bithu"]


# Late documents: counted, not refused (42-HD/BTCTW: at least 1 day ahead) ---------------------

PDF = b"%PDF-1.4\n%%EOF\n"
START_AT = aware(2026, 12, 10, 19, 30)  # a fixed start; "now" is given to each service


@pytest.fixture
def published(world: World, settings, tmp_path) -> Meeting:
    """A meeting starting 10/12/2026 19:30, published on time (3 days ahead)."""
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_create(actor=None, cell=world.cell, month=dt.date(2026, 12, 1), starts_at=START_AT)
    return services.meeting_publish(actor=None, meeting=meeting, now=START_AT - dt.timedelta(days=3))


@pytest.mark.parametrize(("before", "late"), [(dt.timedelta(hours=24), False), (dt.timedelta(hours=24) - dt.timedelta(seconds=1), True), (dt.timedelta(hours=24, seconds=1), False)])
def test_published_exactly_24_hours_ahead_is_in_time_and_a_second_less_is_late(world: World, locmem, before: dt.timedelta, late: bool) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=dt.date(2026, 12, 1), starts_at=START_AT)
    meeting = services.meeting_publish(actor=None, meeting=meeting, now=START_AT - before)
    assert meeting.published_late is late
    assert meeting.late_material is False and meeting.late_move is False


@pytest.mark.parametrize(("before", "late"), [(dt.timedelta(hours=24), False), (dt.timedelta(hours=23, minutes=59), True), (dt.timedelta(hours=1), True)])
def test_a_material_added_after_the_24_hour_point_makes_the_documents_late(world: World, published: Meeting, before: dt.timedelta, late: bool) -> None:
    services.material_add(actor=None, meeting=published, name="bao-cao.pdf", data=PDF, now=START_AT - before)
    published.refresh_from_db()
    assert published.late_material is late
    assert published.published_late is False  # the publication itself was in time
    event = AuditEvent.objects.filter(verb="meeting.material_add").latest("id")
    assert event.after["late_material"] is late
    assert ("tài liệu muộn" in event.summary) is late


def test_a_material_removed_after_the_24_hour_point_makes_the_documents_late(world: World, published: Meeting) -> None:
    material = services.material_add(actor=None, meeting=published, name="a.pdf", data=PDF, now=START_AT - dt.timedelta(days=2))
    published.refresh_from_db()
    assert not published.late_material
    services.material_delete(actor=None, material=material, now=START_AT - dt.timedelta(hours=2))
    published.refresh_from_db()
    assert published.late_material
    assert AuditEvent.objects.filter(verb="meeting.material_delete").latest("id").after == {"late_material": True}


def test_materials_of_a_draft_meeting_are_never_late(world: World, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_create(actor=None, cell=world.cell, month=dt.date(2026, 12, 1), starts_at=START_AT)
    services.material_add(actor=None, meeting=meeting, name="a.pdf", data=PDF, now=START_AT - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    assert not meeting.late_material


def test_moving_a_published_meeting_earlier_makes_it_late_and_later_does_not(world: World, published: Meeting, locmem) -> None:
    later = services.meeting_move(actor=None, meeting=published, starts_at=START_AT + dt.timedelta(days=1), reason="Trùng lịch họp xã")
    assert not later.late_move and not later.published_late
    earlier = services.meeting_move(actor=None, meeting=later, starts_at=START_AT - dt.timedelta(days=1), reason="Bão sắp đến")
    # published 3 days before the first start, i.e. 2 days before the new one: still in time
    assert earlier.late_move and not earlier.published_late
    event = AuditEvent.objects.filter(verb="meeting.move").latest("id")
    assert event.before["late_move"] is False and event.after["late_move"] is True
    assert "dời sớm hơn" in event.summary


def test_moving_earlier_to_less_than_24_hours_after_publishing_makes_the_publication_late(world: World, published: Meeting, locmem) -> None:
    # published at START_AT - 3 days; the new start is 23 hours after that
    new_start = START_AT - dt.timedelta(days=3) + dt.timedelta(hours=23)
    moved = services.meeting_move(actor=None, meeting=published, starts_at=new_start, reason="Cấp trên triệu tập")
    assert moved.late_move and moved.published_late
    event = AuditEvent.objects.filter(verb="meeting.move").latest("id")
    assert event.after["published_late"] is True and event.before["published_late"] is False


def test_moving_a_draft_meeting_earlier_is_not_late(world: World) -> None:
    meeting = services.meeting_create(actor=None, cell=world.cell, month=dt.date(2026, 12, 1), starts_at=START_AT)
    moved = services.meeting_move(actor=None, meeting=meeting, starts_at=START_AT - dt.timedelta(days=5), reason="Sớm hơn")
    assert not moved.late_move and not moved.published_late


def test_changing_the_draft_resolution_late_counts_as_a_late_document_but_the_place_does_not(world: World, published: Meeting) -> None:
    services.meeting_update(actor=None, meeting=published, place="Hội trường", topic="", draft_resolution="", now=START_AT - dt.timedelta(hours=2))
    published.refresh_from_db()
    assert not published.late_material
    services.meeting_update(actor=None, meeting=published, place="Hội trường", topic="", draft_resolution="Dự thảo", now=START_AT - dt.timedelta(hours=25))
    published.refresh_from_db()
    assert not published.late_material
    services.meeting_update(actor=None, meeting=published, place="Hội trường", topic="", draft_resolution="Dự thảo sửa", now=START_AT - dt.timedelta(hours=2))
    published.refresh_from_db()
    assert published.late_material
    assert AuditEvent.objects.filter(verb="meeting.update").latest("id").after["late_material"] is True
