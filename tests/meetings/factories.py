"""Meeting builders for tests: rows written directly, consistent with the world of tests/factories.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chibo.core.dates import local_date
from chibo.core.models import OPEN
from chibo.meetings.models import Attendance, CellTerm, Meeting, MeetingKind, MeetingStatus
from chibo.meetings.services_record import refresh_attendance_counts
from chibo.members.models import Membership, StatusPeriod
from chibo.orgs.models import Organisation
from tests.factories import VN


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
