"""Discipline records built through the services, and months of unexcused absence built with the
meeting factories (tests/meetings/factories.py), for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.core.dates import today
from chibo.discipline import services
from chibo.discipline.models import DisciplineRecord, Exemption, Removal, RemovalFlag
from chibo.meetings.models import Attendance, Meeting, MeetingStatus
from chibo.members.models import Member
from chibo.orgs.models import Organisation
from tests.factories import World, make_member
from tests.meetings.factories import add_attendance, make_meeting


def absences(cell: Organisation, member: Member, months: list[dt.date], *, status: str = "unexcused", kind: str = "regular") -> list[Meeting]:
    """A closed meeting of ``cell`` in each month (the 3rd), everyone present but ``member``, who has ``status``."""
    meetings = []
    for month in months:
        meeting = make_meeting(cell, month=month, kind=kind, status=MeetingStatus.CLOSED)
        rows = add_attendance(meeting)
        Attendance.objects.filter(pk__in=[r.pk for r in rows]).update(status="present")
        Attendance.objects.filter(meeting=meeting, member=member).update(status=status, reason="Ốm" if status == "excused" else "")
        meetings.append(meeting)
    return meetings


@dataclass
class DisciplineScene:
    exemption: Exemption
    removal: Removal
    record: DisciplineRecord
    flag: RemovalFlag


def discipline_scene(world: World) -> DisciplineScene:
    """Two more members of the cell: one who applied for exemption and was reprimanded, one flagged
    for 3 months of absence and proposed for removal (each waiting for its decision)."""
    secretary = world.users["secretary"]
    day = today()
    old = make_member(world.cell, surname="Lê", middle_name="Văn", given_name="Bình", born=dt.date(1950, 3, 3), admitted_on=dt.date(1975, 1, 1), official_on=dt.date(1976, 1, 1))
    absent = make_member(world.cell, surname="Phạm", middle_name="Thị", given_name="Cúc", born=dt.date(1990, 6, 6), admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1))
    exemption = services.exemption_apply(actor=secretary, member=old, applied_on=day, form="written", ground="age")
    record = services.record_add(actor=secretary, member=old, kind="reprimand", decided_on=day, deciding_body="Chi bộ thôn Trung Sơn", reason="Vi phạm quy chế", document_number="01-QĐ/CB")
    months = [dt.date(day.year, 1, 1).isoformat()]
    flag = services.flag_raise(member_id=absent.pk, cell_id=world.cell.pk, year=day.year, ground="absence", months=months, evidence=[], on=day)
    assert flag is not None
    removal = services.removal_propose(actor=secretary, member=absent, ground="card", reason="Tự ý trả thẻ đảng viên", proposed_on=day)
    return DisciplineScene(exemption=exemption, removal=removal, record=record, flag=flag)
