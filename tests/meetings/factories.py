"""Meeting builders for tests: rows written directly, consistent with the world of tests/factories.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chibo.core.models import OPEN
from chibo.meetings.models import Attendance, CellTerm, Meeting, MeetingKind, MeetingStatus
from chibo.meetings.services_record import refresh_attendance_counts
from chibo.members.models import Membership, StatusPeriod
from chibo.orgs.models import Organisation


def make_term(cell: Organisation, *, starts_on: dt.date = dt.date(2025, 1, 1), ends_on: dt.date = dt.date(2030, 1, 1)) -> CellTerm:
    return CellTerm.objects.create(org=cell, name=f"{starts_on.year}–{ends_on.year}", starts_on=starts_on, ends_on=ends_on)


def make_meeting(cell: Organisation, *, month: dt.date = dt.date(2026, 10, 1), day: int = 3, kind: str = MeetingKind.REGULAR, status: str = MeetingStatus.DRAFT, **extra: Any) -> Meeting:
    starts_at = timezone.make_aware(dt.datetime(month.year, month.month, day, 19, 30))
    return Meeting.objects.create(org=cell, month=month.replace(day=1), kind=kind, starts_at=starts_at, status=status, place="Nhà văn hóa thôn", **extra)


def add_attendance(meeting: Meeting, statuses: dict[int, str] | None = None) -> list[Attendance]:
    """One attendance row per member of the cell on the meeting day, standing from their status."""
    day = meeting.starts_at.date()
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


__all__ = ["OPEN", "add_attendance", "make_meeting", "make_term"]
