"""The meeting itself, through its services: validity, votes, numbering, lock, corrections, offline sync, quality."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.demo.checks import stored_count_mismatches
from chibo.meetings import selectors_record as sel
from chibo.meetings import services_record as services
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    CellTerm,
    Correction,
    Meeting,
    MeetingStatus,
    QualityAssessment,
    Resolution,
    TapReceipt,
    Vote,
)
from chibo.members import services as member_services
from chibo.members.models import Position, PositionKind
from tests.factories import make_member
from tests.meetings.factories import add_attendance, make_meeting, make_term


@pytest.fixture
def cell_people(world):
    """The cell: 4 official members (member, secretary, an, binh), one probationary, one exempted,
    one temporarily transferred out, one who left (transferred out)."""
    people = {
        "member": world.member,
        "secretary": world.secretary_member,
        "an": make_member(world.cell, surname="Lê", middle_name="Văn", given_name="An", born=dt.date(1982, 1, 1)),
        "binh": make_member(world.cell, surname="Phạm", middle_name="Văn", given_name="Bình", born=dt.date(1983, 1, 1)),
        "du_bi": make_member(world.cell, surname="Hoàng", middle_name="Thị", given_name="Dung", sex="female", born=dt.date(1999, 1, 1), admitted_on=dt.date(2020, 3, 1), official_on=None, joined_on=dt.date(2020, 3, 1)),
        "mien": make_member(world.cell, surname="Vũ", middle_name="Văn", given_name="Mạnh", born=dt.date(1945, 1, 1), admitted_on=dt.date(1970, 1, 1), official_on=dt.date(1971, 1, 1)),
        "tam": make_member(world.cell, surname="Đỗ", middle_name="Văn", given_name="Tâm", born=dt.date(1990, 1, 1), admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1)),
        "di": make_member(world.cell, surname="Bùi", middle_name="Văn", given_name="Đi", born=dt.date(1991, 1, 1), admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1)),
    }
    for key, status, owner in (("mien", "exempted", "discipline"), ("tam", "temp_out", "transfers"), ("di", "transferred_out", "transfers")):
        member_services.member_set_status(actor=None, member=people[key], status=status, on=dt.date(2021, 1, 1), owner=owner)
    make_term(world.cell)  # 2025–2030: resolutions adopted in these tests take their numbers in it
    return people


def opened(world, month=dt.date(2026, 10, 1), **extra) -> Meeting:
    meeting = make_meeting(world.cell, month=month, status=MeetingStatus.PUBLISHED, **extra)
    return services.meeting_open(actor=world.users["secretary"], meeting=meeting)


def mark_all(world, meeting, statuses: dict, people: dict) -> None:
    for key, status in statuses.items():
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=people[key].pk, status=status, reason="Ốm" if status == "excused" else "")


OFFICIALS_PRESENT = {"member": "present", "secretary": "present", "an": "present", "binh": "present", "du_bi": "present", "mien": "excused"}


# Opening ----------------------------------------------------------------------------------------


def test_opening_lists_each_member_with_their_standing_and_leaves_out_those_who_left(world, cell_people):
    meeting = opened(world)
    standings = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "standing"))
    p = cell_people
    assert standings == {
        p["member"].pk: "official", p["secretary"].pk: "official", p["an"].pk: "official", p["binh"].pk: "official",
        p["du_bi"].pk: "probationary", p["mien"].pk: "exempted", p["tam"].pk: "temp_out",
    }
    assert meeting.status == MeetingStatus.OPEN and meeting.opened_at is not None
    assert len(meeting.checkin_code) == 6 and meeting.checkin_code.isdigit()
    assert AuditEvent.objects.filter(verb="meeting.open", object_type="meetings.meeting", object_id=meeting.pk).count() == 1


def test_opening_keeps_the_code_set_at_publishing(world, cell_people):
    meeting = opened(world, checkin_code="424242")
    assert meeting.checkin_code == "424242"


def test_opening_a_draft_meeting_is_refused_and_changes_nothing(world, cell_people):
    meeting = make_meeting(world.cell)
    with pytest.raises(ChiboError):
        services.meeting_open(actor=world.users["secretary"], meeting=meeting)
    assert not Attendance.objects.filter(meeting=meeting).exists()


# Validity ---------------------------------------------------------------------------------------


def test_base_of_four_with_two_present_is_not_valid(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "unexcused", "binh": "unexcused", "mien": "excused"}, cell_people)
    v = sel.meeting_validity(meeting)
    assert (v.base, v.present_in_base, v.needed, v.valid) == (4, 2, 3, False)


def test_base_of_four_with_three_present_is_valid(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "present", "binh": "unexcused", "mien": "excused"}, cell_people)
    v = sel.meeting_validity(meeting)
    assert (v.base, v.present_in_base, v.valid) == (4, 3, True)


def test_an_exempted_member_present_counts_in_the_base(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "unexcused", "binh": "unexcused", "mien": "present"}, cell_people)
    v = sel.meeting_validity(meeting)
    assert (v.base, v.present_in_base, v.valid) == (5, 3, True)


def test_an_exempted_member_absent_does_not_count_in_the_base(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "unexcused", "binh": "unexcused", "mien": "unexcused"}, cell_people)
    assert sel.meeting_validity(meeting).base == 4


def test_an_excused_absence_leaves_the_base(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "excused", "binh": "unexcused", "mien": "excused"}, cell_people)
    v = sel.meeting_validity(meeting)
    assert (v.base, v.present_in_base, v.valid) == (3, 2, True)


def test_probationary_and_temporarily_transferred_members_are_outside_the_base(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "present", "binh": "present", "du_bi": "present", "mien": "excused"}, cell_people)
    assert sel.meeting_validity(meeting).base == 4


def test_a_bad_attendance_status_is_refused_and_changes_nothing(world, cell_people):
    meeting = opened(world)
    with pytest.raises(ChiboError):
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=world.member.pk, status="maybe")
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


# Resolution, votes ------------------------------------------------------------------------------


def resolved(world, meeting, title="Nghị quyết tháng 10") -> Resolution:
    return services.resolution_save(actor=world.users["secretary"], meeting=meeting, title=title, items=["Thu đảng phí đủ", "Làm đường thôn"])


def test_a_vote_by_a_probationary_member_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    with pytest.raises(ChiboError, match="không có quyền biểu quyết"):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={cell_people["du_bi"].pk: "agree"})
    assert not Vote.objects.exists()


def test_a_vote_by_an_absent_member_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {**OFFICIALS_PRESENT, "binh": "unexcused"}, cell_people)
    resolved(world, meeting)
    with pytest.raises(ChiboError, match="không có quyền biểu quyết"):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={cell_people["member"].pk: "agree", cell_people["binh"].pk: "agree"})
    assert not Vote.objects.exists()


def test_a_vote_by_someone_not_on_the_list_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    with pytest.raises(ChiboError):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={world.other_member.pk: "agree"})


def test_adoption_at_exactly_half_of_the_base_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    p = cell_people
    res = services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p["member"].pk: "agree", p["secretary"].pk: "agree", p["an"].pk: "disagree", p["binh"].pk: "abstain"})
    assert (res.votes_agree, res.votes_disagree, res.votes_abstain, res.vote_base, res.adopted) == (2, 1, 1, 4, False)


def test_adoption_with_more_than_half_of_the_base(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    p = cell_people
    res = services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p["member"].pk: "agree", p["secretary"].pk: "agree", p["an"].pk: "agree", p["binh"].pk: "disagree"})
    assert res.adopted and res.vote_base == 4 and Vote.objects.filter(resolution=res).count() == 4


def test_voting_without_quorum_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present", "secretary": "present", "an": "unexcused", "binh": "unexcused", "mien": "excused", "du_bi": "present"}, cell_people)
    resolved(world, meeting)
    with pytest.raises(ChiboError, match="chưa đủ điều kiện"):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={world.member.pk: "agree"})


def adopt(world, meeting, people, title="Nghị quyết") -> Resolution:
    mark_all(world, meeting, OFFICIALS_PRESENT, people)
    resolved(world, meeting, title=title)
    p = people
    return services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p[k].pk: "agree" for k in ("member", "secretary", "an")})


def test_resolutions_are_numbered_01_02_within_a_term_and_restart_in_a_new_term(world, cell_people):
    CellTerm.objects.filter(org=world.cell).delete()
    make_term(world.cell, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 11, 1))
    make_term(world.cell, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2031, 11, 1))
    first = adopt(world, opened(world, month=dt.date(2026, 9, 1)), cell_people)
    second = adopt(world, opened(world, month=dt.date(2026, 10, 1)), cell_people)
    third = adopt(world, opened(world, month=dt.date(2026, 11, 1)), cell_people)
    assert [first.code, second.code, third.code] == ["Số 01-NQ/CB", "Số 02-NQ/CB", "Số 01-NQ/CB"]
    assert first.term_id == second.term_id != third.term_id


def test_a_draft_has_no_number_until_it_is_adopted(world, cell_people):
    meeting = opened(world)
    draft = resolved(world, meeting)
    assert (draft.number, draft.term_id, draft.code) == (None, None, "Số …-NQ/CB")
    adopted = adopt(world, meeting, cell_people)
    assert adopted.number == 1 and adopted.term.starts_on == dt.date(2025, 1, 1)


def test_a_rejected_draft_takes_no_number_so_the_next_adopted_one_is_01(world, cell_people):
    rejected_meeting = opened(world, month=dt.date(2026, 9, 1))
    mark_all(world, rejected_meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, rejected_meeting)
    p = cell_people
    rejected = services.votes_record(actor=world.users["secretary"], meeting=rejected_meeting, votes={p["member"].pk: "agree", p["an"].pk: "disagree"})
    assert not rejected.adopted and rejected.number is None and rejected.term_id is None
    assert adopt(world, opened(world, month=dt.date(2026, 10, 1)), cell_people).code == "Số 01-NQ/CB"


def test_a_tally_corrected_to_rejection_gives_the_last_number_back(world, cell_people):
    meeting = opened(world)
    assert adopt(world, meeting, cell_people).number == 1
    p = cell_people
    again = services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p["member"].pk: "agree", p["an"].pk: "disagree"})
    assert not again.adopted and again.number is None


def test_editing_a_resolution_keeps_its_number(world, cell_people):
    meeting = opened(world)
    first = adopt(world, meeting, cell_people)
    again = services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="Tiêu đề mới", items=["Một", "Hai", "Ba"])
    assert again.pk == first.pk and again.number == 1 and list(again.items.values_list("position", "text")) == [(1, "Một"), (2, "Hai"), (3, "Ba")]


def test_without_a_term_covering_the_meeting_day_the_adopting_vote_is_refused_and_no_term_is_invented(world, cell_people):
    CellTerm.objects.filter(org=world.cell).delete()
    make_term(world.cell, starts_on=dt.date(2020, 7, 3), ends_on=dt.date(2026, 10, 3))  # ends the day of the meeting
    meeting = opened(world)
    assert sel.needs_term(meeting)
    with pytest.raises(ChiboError, match="Hãy ghi nhiệm kỳ của chi bộ trước") as refused:
        adopt(world, meeting, cell_people)
    assert refused.value.field == "term" and "03/10/2026" in refused.value.message
    assert CellTerm.objects.filter(org=world.cell).count() == 1
    resolution = Resolution.objects.get(meeting=meeting)
    assert (resolution.adopted, resolution.number, resolution.votes_agree) == (False, None, 0) and not Vote.objects.exists()


def test_a_resolution_cannot_be_stored_adopted_without_a_number(world, cell_people):
    resolution = resolved(world, opened(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(adopted=True)


def test_a_resolution_without_items_is_refused(world, cell_people):
    meeting = opened(world)
    with pytest.raises(ChiboError):
        services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="Nghị quyết", items=["  ", ""])
    assert not Resolution.objects.exists()


# Closing, approval, lock, corrections -----------------------------------------------------------


def approved(world, people) -> Meeting:
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, people)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Kiểm điểm tháng trước")
    services.speech_add(actor=world.users["secretary"], meeting=meeting, item_id=item.pk, member_id=world.member.pk, text="Đồng ý với báo cáo.")
    services.conclusion_set(actor=world.users["secretary"], meeting=meeting, item_id=item.pk, text="Hoàn thành nhiệm vụ tháng.")
    resolved(world, meeting)
    services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={people[k].pk: "agree" for k in ("member", "secretary", "an", "binh")})
    services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=people["secretary"].pk, minute_taker_id=people["member"].pk)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    services.meeting_approve(actor=world.users["secretary"], meeting=meeting, as_role="chair")
    services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    meeting.refresh_from_db()
    return meeting


def test_closing_with_members_not_yet_marked_is_refused(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {"member": "present"}, cell_people)
    with pytest.raises(ChiboError, match="chưa điểm danh"):
        services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN


def test_both_approvals_lock_the_meeting(world, cell_people):
    meeting = approved(world, cell_people)
    assert meeting.status == MeetingStatus.APPROVED and meeting.approved_at is not None
    assert Resolution.objects.get(meeting=meeting).locked


def test_one_approval_does_not_lock(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=cell_people["secretary"].pk, minute_taker_id=cell_people["member"].pk)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CLOSED


def test_a_member_cannot_approve_for_the_chair(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    resolved(world, meeting)
    services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=cell_people["secretary"].pk, minute_taker_id=cell_people["an"].pk)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    with pytest.raises(ChiboError):
        services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="chair")
    with pytest.raises(ChiboError):
        services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    assert Meeting.objects.get(pk=meeting.pk).approved_by_chair_at is None


def test_a_meeting_that_closed_with_conclusions_only_is_approved_and_locked(world, cell_people):
    """No resolution (domain.md §3: "conclusion or resolution"): the minutes are approved and locked alone."""
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=cell_people["secretary"].pk, minute_taker_id=cell_people["member"].pk)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    services.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    with pytest.raises(ChiboError, match="không đổi chủ trì"):
        services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=cell_people["an"].pk, minute_taker_id=cell_people["member"].pk)
    services.meeting_approve(actor=world.users["secretary"], meeting=meeting, as_role="chair")
    locked = Meeting.objects.get(pk=meeting.pk)
    assert locked.status == MeetingStatus.APPROVED and not Resolution.objects.filter(meeting=meeting).exists()
    assert AuditEvent.objects.filter(verb="meeting.lock", object_id=meeting.pk).count() == 1
    with pytest.raises(ChiboError, match="khóa sổ"):
        services.resolution_save(actor=world.users["secretary"], meeting=locked, title="Nghị quyết viết sau", items=["X"])


def test_editing_a_locked_resolution_is_refused(world, cell_people):
    meeting = approved(world, cell_people)
    with pytest.raises(ChiboError, match="khóa sổ"):
        services.resolution_save(actor=world.users["secretary"], meeting=meeting, title="Sửa lén", items=["X"])
    with pytest.raises(ChiboError, match="khóa sổ"):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={world.member.pk: "disagree"})
    assert Resolution.objects.get(meeting=meeting).title == "Nghị quyết tháng 10"


def test_editing_locked_minutes_is_refused(world, cell_people):
    meeting = approved(world, cell_people)
    item = AgendaItem.objects.get(meeting=meeting)
    for call in (
        lambda: services.conclusion_set(actor=world.users["secretary"], meeting=meeting, item_id=item.pk, text="Khác"),
        lambda: services.speech_add(actor=world.users["secretary"], meeting=meeting, item_id=item.pk, member_id=world.member.pk, text="Thêm"),
        lambda: services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=world.member.pk, status="unexcused"),
        lambda: services.guest_add(actor=world.users["secretary"], meeting=meeting, name="Khách"),
        lambda: services.minutes_roles(actor=world.users["secretary"], meeting=meeting, chair_id=None, minute_taker_id=None),
    ):
        with pytest.raises(ChiboError):
            call()
    assert AgendaItem.objects.get(pk=item.pk).conclusion == "Hoàn thành nhiệm vụ tháng."


def test_corrections_are_numbered_applied_and_audited(world, cell_people):
    meeting = approved(world, cell_people)
    item = AgendaItem.objects.get(meeting=meeting)
    first = services.correction_make(actor=world.users["secretary"], meeting=meeting, target="resolution.item.2", after="Làm đường liên thôn", reason="Ghi sai tên công trình")
    second = services.correction_make(actor=world.users["staff"], meeting=meeting, target=f"agenda.{item.pk}.conclusion", after="Hoàn thành tốt nhiệm vụ tháng.", reason="Chủ trì kết luận lại")
    assert (first.number, second.number) == (1, 2)
    assert (first.before, first.after) == ("Làm đường thôn", "Làm đường liên thôn")
    assert Resolution.objects.get(meeting=meeting).items.get(position=2).text == "Làm đường liên thôn"
    assert AgendaItem.objects.get(pk=item.pk).conclusion == "Hoàn thành tốt nhiệm vụ tháng."
    events = AuditEvent.objects.filter(verb="meeting.correction", object_type="meetings.meeting", object_id=meeting.pk)
    assert events.count() == 2 and {e.after["number"] for e in events} == {1, 2}


def test_a_correction_without_a_reason_is_refused(world, cell_people):
    meeting = approved(world, cell_people)
    with pytest.raises(ChiboError, match="lý do"):
        services.correction_make(actor=world.users["secretary"], meeting=meeting, target="resolution.title", after="Khác", reason=" ")
    assert not Correction.objects.exists()


def test_a_correction_before_approval_is_refused(world, cell_people):
    meeting = opened(world)
    resolved(world, meeting)
    with pytest.raises(ChiboError):
        services.correction_make(actor=world.users["secretary"], meeting=meeting, target="resolution.title", after="Khác", reason="Lý do")


# Self check-in and offline sync -----------------------------------------------------------------


def test_self_checkin_with_the_right_code_marks_the_member_present(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    services.self_checkin(actor=world.users["member"], meeting=meeting, code="123456")
    row = Attendance.objects.get(meeting=meeting, member=world.member)
    assert (row.status, row.source) == ("present", "self")


def test_self_checkin_with_a_wrong_code_is_refused(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    with pytest.raises(ChiboError, match="Mã điểm danh không đúng"):
        services.self_checkin(actor=world.users["member"], meeting=meeting, code="654321")
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == ""


def test_self_checkin_before_opening_is_refused(world, cell_people):
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED, checkin_code="123456")
    with pytest.raises(ChiboError):
        services.self_checkin(actor=world.users["member"], meeting=meeting, code="123456")


def _tap(meeting, member, status, at, client_id=None, **extra):
    return {"client_id": str(client_id or uuid.uuid4()), "meeting": meeting.pk, "member": member.pk, "status": status, "reason": "", "at": at.isoformat(), **extra}


def test_a_duplicate_offline_checkin_changes_nothing_the_second_time(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    tap = _tap(meeting, world.member, "present", timezone.now(), code="123456")
    first = services.sync_taps(actor=world.users["member"], items=[tap])
    second = services.sync_taps(actor=world.users["member"], items=[tap, tap])
    assert first[0]["outcome"] == "applied"
    assert [r["outcome"] for r in second] == ["duplicate", "duplicate"]
    assert AuditEvent.objects.filter(verb="attendance.mark", object_id=meeting.pk).count() == 1
    assert Attendance.objects.filter(meeting=meeting, member=world.member).count() == 1


def test_a_duplicate_secretary_tap_is_acknowledged_even_after_a_later_tap(world, cell_people):
    meeting = opened(world)
    now = timezone.now()
    a = _tap(meeting, world.member, "present", now - dt.timedelta(minutes=2))
    b = _tap(meeting, world.member, "excused", now - dt.timedelta(minutes=1))
    services.sync_taps(actor=world.users["secretary"], items=[a, b])
    again = services.sync_taps(actor=world.users["secretary"], items=[a])
    assert again[0]["outcome"] == "duplicate"
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == "excused"


def test_the_later_tap_wins_whatever_order_they_arrive_in(world, cell_people):
    meeting = opened(world)
    now = timezone.now()
    later = _tap(meeting, world.member, "present", now - dt.timedelta(minutes=1))
    earlier = _tap(meeting, world.member, "unexcused", now - dt.timedelta(minutes=5))
    results = services.sync_taps(actor=world.users["secretary"], items=[later, earlier])
    assert [r["outcome"] for r in results] == ["applied", "superseded"]
    assert Attendance.objects.get(meeting=meeting, member=world.member).status == "present"


def test_an_offline_tap_for_a_meeting_out_of_scope_is_not_found(world, cell_people):
    other = make_meeting(world.other_cell, status=MeetingStatus.PUBLISHED)
    services.meeting_open(actor=world.users["outsider"], meeting=other)
    result = services.sync_taps(actor=world.users["secretary"], items=[_tap(other, world.other_member, "present", timezone.now())])
    assert result[0]["outcome"] == "not_found"
    assert Attendance.objects.get(meeting=other, member=world.other_member).status == ""


def test_a_member_cannot_sync_taps_for_someone_else(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    result = services.sync_taps(actor=world.users["member"], items=[_tap(meeting, world.secretary_member, "present", timezone.now(), code="123456")])
    assert result[0]["outcome"] == "not_found"
    assert Attendance.objects.get(meeting=meeting, member=world.secretary_member).status == ""


def test_a_malformed_offline_tap_is_refused_alone(world, cell_people):
    meeting = opened(world)
    good = _tap(meeting, world.member, "present", timezone.now())
    results = services.sync_taps(actor=world.users["secretary"], items=[{"client_id": "not-a-uuid"}, "junk", good])
    assert [r["outcome"] for r in results] == ["refused", "refused", "applied"]


def test_a_self_checkin_queued_while_open_is_kept_after_closing(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    tapped_at = timezone.now() - dt.timedelta(minutes=10)
    mark_all(world, meeting, OFFICIALS_PRESENT | {"member": "unexcused"}, cell_people)
    Attendance.objects.filter(meeting=meeting, member=world.member).update(checked_in_at=tapped_at - dt.timedelta(minutes=1))
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    result = services.sync_taps(actor=world.users["member"], items=[_tap(meeting, world.member, "present", tapped_at, code="123456")])
    assert result[0]["outcome"] == "applied"
    assert QualityAssessment.objects.get(meeting=meeting).no_unexcused


def test_a_client_id_already_used_on_another_meeting_is_a_duplicate(world, cell_people):
    meeting = opened(world)
    other = opened(world, month=dt.date(2026, 11, 1))
    client = uuid.uuid4()
    first = services.sync_taps(actor=world.users["secretary"], items=[_tap(meeting, world.member, "present", timezone.now(), client_id=client)])
    second = services.sync_taps(actor=world.users["secretary"], items=[_tap(other, world.member, "present", timezone.now(), client_id=client)])
    assert (first[0]["outcome"], second[0]["outcome"]) == ("applied", "duplicate")
    assert Attendance.objects.get(meeting=other, member=world.member).status == ""


def test_a_refused_self_checkin_leaves_no_receipt_so_a_retry_with_the_right_code_counts(world, cell_people):
    meeting = opened(world, checkin_code="123456")
    client = uuid.uuid4()
    with pytest.raises(ChiboError):
        services.self_checkin(actor=world.users["member"], meeting=meeting, code="000000", client_id=client)
    assert not TapReceipt.objects.filter(pk=client).exists()
    assert services.self_checkin(actor=world.users["member"], meeting=meeting, code="123456", client_id=client).outcome == "applied"
    assert TapReceipt.objects.get(pk=client).outcome == "applied"


def test_a_self_checkin_out_of_scope_answers_not_found_whatever_the_code(world, cell_people):
    other = make_meeting(world.other_cell, status=MeetingStatus.PUBLISHED, checkin_code="123456")
    services.meeting_open(actor=world.users["outsider"], meeting=other)
    for code in ("123456", "000000"):
        with pytest.raises(Http404):
            services.self_checkin(actor=world.users["member"], meeting=other.pk, code=code)
    with pytest.raises(Http404):
        services.self_checkin(actor=world.users["member"], meeting=999999, code="123456")


def test_the_stored_counts_follow_every_tap(world, cell_people):
    """Meeting.n_* (read by the statistics) stay equal to the rows through taps, duplicates,
    superseded taps, self check-ins, closing and a late tap after closing."""
    meeting = opened(world, checkin_code="123456")
    p, secretary, now = cell_people, world.users["secretary"], timezone.now()

    def stored():
        m = Meeting.objects.get(pk=meeting.pk)
        assert stored_count_mismatches(meeting_ids=[meeting.pk]) == []
        return (m.n_expected, m.n_present, m.n_excused, m.n_unexcused)

    assert stored() == (5, 0, 0, 0)  # 4 official + 1 probationary expected; exempted and temp_out are not
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["an"].pk, status="present")
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["binh"].pk, status="excused", reason="Ốm")
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["mien"].pk, status="present")  # exempted: not expected
    assert stored() == (5, 1, 1, 0)
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["an"].pk, status="unexcused")
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["an"].pk, status="unexcused")  # same status again
    assert stored() == (5, 0, 1, 1)
    tap = _tap(meeting, world.member, "present", now, code="123456")
    services.sync_taps(actor=world.users["member"], items=[tap, tap])
    services.sync_taps(actor=secretary, items=[_tap(meeting, world.member, "unexcused", now - dt.timedelta(minutes=5))])  # superseded
    assert stored() == (5, 1, 1, 1)
    services.self_checkin(actor=world.users["secretary"], meeting=meeting, code="123456")
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["du_bi"].pk, status="present")
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["mien"].pk, status="excused", reason="Tuổi cao")
    assert stored() == (5, 3, 2, 1)
    services.meeting_close(actor=secretary, meeting=meeting)
    services.attendance_mark(actor=secretary, meeting=meeting, member_id=p["an"].pk, status="present")  # corrected after closing
    assert stored() == (5, 4, 2, 0)


def test_a_stored_count_below_zero_is_refused_by_the_database(world, cell_people):
    meeting = opened(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(n_present=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(n_present=99)  # more present than expected


# Quality ----------------------------------------------------------------------------------------


def test_quality_is_assessed_at_closing(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, {**OFFICIALS_PRESENT, "binh": "unexcused"}, cell_people)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    q = QualityAssessment.objects.get(meeting=meeting)
    # expected: 4 official + 1 probationary; present 4 → 80.00%
    assert (str(q.attendance_rate), q.attendance_ok, q.no_unexcused, q.no_repeat_excused) == ("80.00", False, False, True)


def test_quality_is_good_when_everyone_expected_attends(world, cell_people):
    meeting = opened(world)
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    q = QualityAssessment.objects.get(meeting=meeting)
    assert (str(q.attendance_rate), q.attendance_ok, q.no_unexcused, q.no_repeat_excused) == ("100.00", True, True, True)


def test_a_fourth_excused_absence_in_a_row_in_the_year_fails_the_quality_part(world, cell_people):
    for month in (6, 7, 8):
        earlier = make_meeting(world.cell, month=dt.date(2026, month, 1), status=MeetingStatus.CLOSED)
        add_attendance(earlier, {world.member.pk: "excused"})
    meeting = opened(world)
    mark_all(world, meeting, {**OFFICIALS_PRESENT, "member": "excused"}, cell_people)
    assert sel.excused_streaks(meeting)[world.member.pk] == 4
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    assert not QualityAssessment.objects.get(meeting=meeting).no_repeat_excused


def test_excused_streaks_stop_at_a_present_meeting_and_at_the_new_year(world, cell_people):
    last_year = make_meeting(world.cell, month=dt.date(2025, 12, 1), status=MeetingStatus.CLOSED)
    add_attendance(last_year, {world.member.pk: "excused", world.secretary_member.pk: "excused"})
    for month, member_status in ((7, "excused"), (8, "present"), (9, "excused")):
        earlier = make_meeting(world.cell, month=dt.date(2026, month, 1), status=MeetingStatus.CLOSED)
        add_attendance(earlier, {world.member.pk: member_status, world.secretary_member.pk: "present"})
    meeting = opened(world)
    mark_all(world, meeting, {**OFFICIALS_PRESENT, "member": "excused"}, cell_people)
    streaks = sel.excused_streaks(meeting)
    assert streaks[world.member.pk] == 2 and streaks[world.secretary_member.pk] == 0


def test_the_secretary_rates_the_meeting_after_closing(world, cell_people):
    meeting = opened(world)
    with pytest.raises(ChiboError):
        services.quality_rate(actor=world.users["secretary"], meeting=meeting, rating="good")
    mark_all(world, meeting, OFFICIALS_PRESENT, cell_people)
    services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    with pytest.raises(ChiboError):
        services.quality_rate(actor=world.users["secretary"], meeting=meeting, rating="excellent")
    q = services.quality_rate(actor=world.users["secretary"], meeting=meeting, rating="good", note="Sinh hoạt đúng giờ.")
    assert (q.secretary_rating, q.secretary_note) == ("good", "Sinh hoạt đúng giờ.")


# The timeline: opening on the day, actual times, the minimum length ----------------------------

VN = dt.timezone(dt.timedelta(hours=7))


def published(world, *, day: dt.date, kind: str = "regular") -> Meeting:
    return make_meeting(world.cell, month=day.replace(day=1), day=day.day, kind=kind, status=MeetingStatus.PUBLISHED)


def test_opening_the_evening_before_the_meeting_day_is_refused_with_the_way_to_move_it(world, cell_people):
    meeting = published(world, day=dt.date(2026, 10, 3))
    with time_machine.travel(dt.datetime(2026, 10, 2, 23, 59, tzinfo=VN), tick=False), pytest.raises(ChiboError, match="dời lịch họp") as refused:
        services.meeting_open(actor=world.users["secretary"], meeting=meeting)
    assert "03/10/2026" in refused.value.message
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED and not Attendance.objects.filter(meeting=meeting).exists()


def test_opening_at_half_past_midnight_of_the_meeting_day_is_allowed(world, cell_people):
    meeting = published(world, day=dt.date(2026, 10, 3))
    with time_machine.travel(dt.datetime(2026, 10, 3, 0, 30, tzinfo=VN), tick=False):
        opened_meeting = services.meeting_open(actor=world.users["secretary"], meeting=meeting)
    assert opened_meeting.opened_at == dt.datetime(2026, 10, 3, 0, 30, tzinfo=VN)


def test_opening_records_the_actual_start_time_given(world, cell_people):
    meeting = published(world, day=dt.date(2026, 10, 3))
    with time_machine.travel(dt.datetime(2026, 10, 3, 21, 0, tzinfo=VN), tick=False):
        done = services.meeting_open(actor=world.users["secretary"], meeting=meeting, at=dt.datetime(2026, 10, 3, 19, 40, tzinfo=VN))
    assert done.opened_at == dt.datetime(2026, 10, 3, 19, 40, tzinfo=VN)
    assert AuditEvent.objects.filter(verb="meeting.open", object_id=meeting.pk).exists()


def test_an_opening_time_in_the_future_or_before_the_day_is_refused(world, cell_people):
    meeting = published(world, day=dt.date(2026, 10, 3))
    with time_machine.travel(dt.datetime(2026, 10, 3, 19, 0, tzinfo=VN), tick=False):
        with pytest.raises(ChiboError, match="chưa tới") as future:
            services.meeting_open(actor=world.users["secretary"], meeting=meeting, at=dt.datetime(2026, 10, 3, 19, 1, tzinfo=VN))
        assert future.value.field == "time"
        with pytest.raises(ChiboError, match="trước ngày họp") as early:
            services.meeting_open(actor=world.users["secretary"], meeting=meeting, at=dt.datetime(2026, 10, 2, 23, 59, tzinfo=VN))
        assert early.value.field == "date"
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED


def _held(world, people, *, kind="regular", start=dt.datetime(2026, 10, 3, 19, 30, tzinfo=VN)) -> Meeting:
    meeting = published(world, day=start.date(), kind=kind)
    with time_machine.travel(start, tick=False):
        meeting = services.meeting_open(actor=world.users["secretary"], meeting=meeting)
        mark_all(world, meeting, OFFICIALS_PRESENT, people)
    return meeting


@pytest.mark.parametrize(
    ("kind", "minutes", "flagged"),
    [("regular", 89, True), ("regular", 90, False), ("thematic", 89, True), ("combined", 119, True), ("combined", 120, False)],
)
def test_a_meeting_shorter_than_its_minimum_closes_and_is_flagged(world, cell_people, kind, minutes, flagged):
    start = dt.datetime(2026, 10, 3, 19, 30, tzinfo=VN)
    meeting = _held(world, cell_people, kind=kind, start=start)
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        closed = services.meeting_close(actor=world.users["secretary"], meeting=meeting, at=start + dt.timedelta(minutes=minutes))
    assert closed.status == MeetingStatus.CLOSED and closed.closed_at == start + dt.timedelta(minutes=minutes)
    assert Meeting.objects.get(pk=meeting.pk).under_length is flagged
    assert AuditEvent.objects.get(verb="meeting.close", object_id=meeting.pk).after["under_length"] is flagged


def test_the_minimum_length_comes_from_the_settings(world, cell_people, settings):
    settings.CHIBO_MEETING_MIN_MINUTES = 60
    start = dt.datetime(2026, 10, 3, 19, 30, tzinfo=VN)
    meeting = _held(world, cell_people, start=start)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        closed = services.meeting_close(actor=world.users["secretary"], meeting=meeting, at=start + dt.timedelta(minutes=60))
    assert closed.under_length is False


def test_the_end_before_the_start_is_refused_with_both_times(world, cell_people):
    start = dt.datetime(2026, 10, 3, 19, 30, tzinfo=VN)
    meeting = _held(world, cell_people, start=start)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False), pytest.raises(ChiboError, match="không được trước giờ khai mạc") as refused:
        services.meeting_close(actor=world.users["secretary"], meeting=meeting, at=start - dt.timedelta(minutes=1))
    assert "19:29" in refused.value.message and "19:30" in refused.value.message
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN


def test_closing_after_midnight_counts_the_length_across_the_day(world, cell_people):
    start = dt.datetime(2026, 10, 3, 22, 45, tzinfo=VN)
    meeting = _held(world, cell_people, start=start)
    with time_machine.travel(dt.datetime(2026, 10, 4, 0, 30, tzinfo=VN), tick=False):
        closed = services.meeting_close(actor=world.users["secretary"], meeting=meeting)
    assert closed.closed_at == dt.datetime(2026, 10, 4, 0, 30, tzinfo=VN) and closed.under_length is False


def test_the_database_refuses_an_end_before_the_start(world, cell_people):
    meeting = _held(world, cell_people)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(closed_at=meeting.opened_at - dt.timedelta(minutes=1))


# Chi ủy meetings: the committee, not the whole cell -------------------------------------------


def test_a_committee_meeting_lists_and_counts_only_the_cells_committee_on_the_day(world, cell_people):
    p = cell_people
    Position.objects.filter(org=world.cell).delete()
    Position.objects.create(member=p["secretary"], org=world.cell, kind=PositionKind.SECRETARY, valid_from=dt.date(2025, 1, 1))
    Position.objects.create(member=p["an"], org=world.cell, kind=PositionKind.DEPUTY_SECRETARY, valid_from=dt.date(2025, 1, 1))
    Position.objects.create(member=p["binh"], org=world.cell, kind=PositionKind.COMMITTEE_MEMBER, valid_from=dt.date(2025, 1, 1))
    # A committee member whose position ended before the meeting day is not on the list.
    Position.objects.create(member=p["member"], org=world.cell, kind=PositionKind.COMMITTEE_MEMBER, valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2026, 10, 1))
    meeting = published(world, day=dt.date(2026, 10, 3), kind="committee")
    with time_machine.travel(dt.datetime(2026, 10, 3, 8, 0, tzinfo=VN), tick=False):
        meeting = services.meeting_open(actor=world.users["secretary"], meeting=meeting)
        assert set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True)) == {p["secretary"].pk, p["an"].pk, p["binh"].pk}
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=p["secretary"].pk, status="present")
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=p["an"].pk, status="present")
        services.attendance_mark(actor=world.users["secretary"], meeting=meeting, member_id=p["binh"].pk, status="unexcused")
        validity = sel.meeting_validity(meeting)
        assert (validity.base, validity.present_in_base, validity.valid) == (3, 2, True)
        resolved(world, meeting)
        res = services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p["secretary"].pk: "agree", p["an"].pk: "agree"})
    assert (res.vote_base, res.adopted) == (3, True)
    with pytest.raises(ChiboError, match="không có tên"):
        services.votes_record(actor=world.users["secretary"], meeting=meeting, votes={p["member"].pk: "agree"})
