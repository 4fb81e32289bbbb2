"""Meeting builders for tests: rows written directly, consistent with the world of tests/factories.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chibo.core.dates import local_date
from chibo.core.models import OPEN
from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    CellTerm,
    Material,
    Meeting,
    MeetingKind,
    MeetingStatus,
    UpperAssignment,
)
from chibo.meetings.services_record import refresh_attendance_counts
from chibo.members.models import Membership, StatusPeriod
from chibo.orgs.models import Organisation
from tests.factories import VN

if TYPE_CHECKING:
    from tests.factories import World


def make_term(cell: Organisation, *, starts_on: dt.date = dt.date(2025, 1, 1), ends_on: dt.date = dt.date(2030, 1, 1)) -> CellTerm:
    return CellTerm.objects.create(org=cell, name=f"{starts_on.year}–{ends_on.year}", starts_on=starts_on, ends_on=ends_on)


# Meetings are not all at 19:30: the hour a test's meeting starts at depends on its day, so tests meet
# early-morning meetings (06:30 and 07:30 in Vietnam are the day before in UTC) and late ones.
HOURS = (dt.time(19, 30), dt.time(6, 30), dt.time(23, 15), dt.time(7, 30))


def meeting_time(month: dt.date, day: int) -> dt.time:
    return HOURS[(month.month + day) % len(HOURS)]


def make_meeting(
    cell: Organisation, *, month: dt.date = dt.date(2026, 10, 1), day: int = 3, at: dt.time | None = None,
    kind: str = MeetingKind.REGULAR, status: str = MeetingStatus.DRAFT, **extra: Any,
) -> Meeting:  # fmt: skip
    """A meeting on ``day`` of ``month`` at ``at`` (Vietnam time; by default one of HOURS)."""
    at = at or meeting_time(month, day)
    starts_at = dt.datetime.combine(dt.date(month.year, month.month, day), at, tzinfo=VN)
    if extra.get("closed_at") and not extra.get("opened_at"):
        extra["opened_at"] = starts_at  # a closed meeting was opened first (and never closes before it opens)
    return Meeting.objects.create(org=cell, month=month.replace(day=1), kind=kind, starts_at=starts_at, status=status, place="Nhà văn hóa thôn", **extra)


def add_attendance(meeting: Meeting, statuses: dict[int, str] | None = None) -> list[Attendance]:
    """One attendance row per member of the cell on the meeting day, standing from their status."""
    day = local_date(meeting.starts_at)  # the meeting's day in Vietnam
    member_ids = Membership.objects.filter(org_id=meeting.org_id, valid_from__lte=day, valid_to__gt=day).values_list("member_id", flat=True)
    standing = dict(StatusPeriod.objects.filter(member_id__in=member_ids, valid_from__lte=day, valid_to__gt=day).values_list("member_id", "status"))
    rows = [
        Attendance(meeting=meeting, member_id=mid, standing=standing.get(mid, "official"), status=(statuses or {}).get(mid, ""))
        for mid in member_ids
        if standing.get(mid) in ("official", "probationary", "exempted", "temp_out")
    ]
    created = Attendance.objects.bulk_create(rows)
    refresh_attendance_counts(meeting_ids=[meeting.pk])  # as meeting_open does
    return created


__all__ = ["HOURS", "OPEN", "add_attendance", "make_meeting", "make_term", "meeting_time"]


@dataclass
class Scene:
    """An approved meeting of the world's cell (with its term), as the access tests need it."""

    meeting: Meeting
    item: AgendaItem
    material: Material
    assignment: UpperAssignment


def lock_meeting(world: World, meeting: Meeting) -> Meeting:
    """Everyone present, a resolution adopted, closed, approved by the chair and the minute-taker."""
    secretary = world.users["secretary"]
    for member in (world.member, world.secretary_member):
        record.attendance_mark(actor=secretary, meeting=meeting, member_id=member.pk, status="present")
    record.minutes_roles(actor=secretary, meeting=meeting, chair_id=world.secretary_member.pk, minute_taker_id=world.member.pk)
    record.resolution_save(actor=secretary, meeting=meeting, title="Nghị quyết tháng", items=["Thu hoạch lúa xong trước ngày 30."])
    record.votes_record(actor=secretary, meeting=meeting, votes={world.member.pk: "agree", world.secretary_member.pk: "agree"})
    record.meeting_close(actor=secretary, meeting=meeting)
    record.meeting_approve(actor=secretary, meeting=meeting, as_role="chair")
    meeting = record.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    assert meeting.status == MeetingStatus.APPROVED
    return meeting


def approved_scene(world: World) -> Scene:
    """One approved meeting of the cell two days ago, with an agenda item, a material, an upper-level
    assignment and its numbered resolution (the cell's term is recorded)."""
    from django.utils import timezone

    secretary = world.users["secretary"]
    starts = timezone.localtime(timezone.now() - dt.timedelta(days=2)).replace(hour=19, minute=30, second=0, microsecond=0)
    make_term(world.cell, starts_on=starts.date() - dt.timedelta(days=400), ends_on=starts.date() + dt.timedelta(days=400))
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=starts.date().replace(day=1), starts_at=starts)
    item = prep.agenda_add(actor=secretary, meeting=meeting, section="other", title="Bàn việc thu hoạch lúa")
    material = prep.material_add(actor=secretary, meeting=meeting, name="bao-cao.pdf", data=b"%PDF-1.4\n%%EOF\n")
    prep.meeting_publish(actor=secretary, meeting=meeting, now=starts - dt.timedelta(days=3))
    assignment = prep.upper_assign(actor=world.users["staff"], cell=world.cell, month=meeting.month, attendee=world.users["staff"])
    meeting = lock_meeting(world, record.meeting_open(actor=secretary, meeting=meeting))
    return Scene(meeting=meeting, item=item, material=material, assignment=assignment)
