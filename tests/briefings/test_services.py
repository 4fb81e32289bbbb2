"""Briefing services: planning, invitees, attendance, holding, issues; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.briefings import services
from chibo.briefings.models import (
    Briefing,
    BriefingAttendance,
    BriefingIssue,
    BriefingStatus,
    InviteRole,
)
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.members import services as member_services
from tests.briefings.factories import held_on
from tests.factories import make_member, vn

pytestmark = pytest.mark.django_db
NOW = vn(2026, 5, 10, 10, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_plan_year_one_per_quarter_with_invitees(world, frozen):
    staff = world.users["staff"]
    created = services.plan_year(actor=staff, committee=world.commune, year=2026, days={2: dt.date(2026, 6, 12)})
    assert [b.period for b in created] == [1, 2, 3, 4]
    assert [b.starts_at.astimezone(vn(2026, 1, 1).tzinfo).date() for b in created] == [
        dt.date(2026, 3, 25), dt.date(2026, 6, 12), dt.date(2026, 9, 25), dt.date(2026, 12, 25)
    ]
    rows = list(BriefingAttendance.objects.filter(briefing=created[0]))
    # the cell's secretary also heads the village: one person, both roles
    assert [(r.member_id, r.cell_id, r.role) for r in rows] == [(world.secretary_member.pk, world.cell.pk, InviteRole.BOTH)]
    assert AuditEvent.objects.filter(verb="briefing.plan").count() == 4
    with pytest.raises(ChiboError, match="đã có đủ"):
        services.plan_year(actor=staff, committee=world.commune, year=2026, days={})


def test_plan_year_per_year_setting(world, frozen, settings):
    settings.CHIBO_BRIEFING_PER_YEAR = 2
    created = services.plan_year(actor=world.users["staff"], committee=world.commune, year=2026, days={})
    assert [b.starts_at.date() for b in created] == [dt.date(2026, 6, 25), dt.date(2026, 12, 25)]


def test_plan_refused_for_a_cell_and_for_a_day_outside_the_period(world, frozen):
    staff = world.users["staff"]
    with pytest.raises(ChiboError, match="Chỉ cấp ủy"):
        services.plan_year(actor=staff, committee=world.cell, year=2026, days={})
    with pytest.raises(ChiboError, match="kỳ 1 phải từ 01/01/2026 đến 31/03/2026") as exc:
        services.plan_year(actor=staff, committee=world.commune, year=2026, days={1: dt.date(2026, 4, 2)})
    assert exc.value.field == "day_1"
    assert not Briefing.objects.exists() and not AuditEvent.objects.filter(verb__startswith="briefing").exists()


def test_invitees_follow_the_date_and_new_secretaries(world, frozen):
    staff = world.users["staff"]
    briefing = services.plan_year(actor=staff, committee=world.commune, year=2026, days={})[1]
    newcomer = make_member(world.cell2, surname="Lê", middle_name="Thị", given_name="Mai", sex="female", born=dt.date(1982, 1, 1))
    member_services.position_assign(actor=None, member=newcomer, kind="secretary", on=dt.date(2026, 5, 1))
    added, removed = services.refresh_invitees(actor=staff, briefing=briefing)
    assert (added, removed) == (1, 0)
    assert set(BriefingAttendance.objects.filter(briefing=briefing).values_list("member_id", "role")) == {
        (world.secretary_member.pk, InviteRole.BOTH), (newcomer.pk, InviteRole.SECRETARY),
    }
    # moved before the new secretary took office: she is no longer invited
    services.briefing_update(actor=staff, briefing=briefing, starts_at=vn(2026, 4, 20, 8), place="Hội trường xã", chair_name="", recorder_name="")
    assert list(BriefingAttendance.objects.filter(briefing=briefing).values_list("member_id", flat=True)) == [world.secretary_member.pk]


def test_attendance_only_for_invitees_from_the_day(world, frozen):
    staff = world.users["staff"]
    briefings = services.plan_year(actor=staff, committee=world.commune, year=2026, days={})
    future = briefings[1]
    with pytest.raises(ChiboError, match="Chưa đến ngày giao ban"):
        services.attendance_mark(actor=staff, briefing=future, member_id=world.secretary_member.pk, status="present")
    today = held_on(future, dt.date(2026, 5, 10))
    with pytest.raises(ChiboError, match="không có tên trong danh sách mời") as exc:
        services.attendance_mark(actor=staff, briefing=today, member_id=world.member.pk, status="present")
    assert exc.value.field == "member"
    with pytest.raises(ChiboError, match="không hợp lệ"):
        services.attendance_mark(actor=staff, briefing=today, member_id=world.secretary_member.pk, status="maybe")
    assert not BriefingAttendance.objects.filter(briefing=today).exclude(status="").exists()
    with pytest.raises(ChiboError, match="chưa có ai có mặt"):
        services.briefing_hold(actor=staff, briefing=today)
    services.attendance_mark(actor=staff, briefing=today, member_id=world.secretary_member.pk, status="excused", reason="Đi công tác")
    row = BriefingAttendance.objects.get(briefing=today, member=world.secretary_member)
    assert (row.status, row.reason) == ("excused", "Đi công tác")
    services.attendance_mark(actor=staff, briefing=today, member_id=world.secretary_member.pk, status="present", reason="x")
    row.refresh_from_db()
    assert (row.status, row.reason) == ("present", "")
    held = services.briefing_hold(actor=staff, briefing=today)
    assert held.status == BriefingStatus.HELD and held.held_at is not None
    with pytest.raises(ChiboError):
        services.briefing_hold(actor=staff, briefing=held)


def test_cancel_needs_a_reason_and_freezes(world, frozen):
    staff = world.users["staff"]
    briefing = services.plan_year(actor=staff, committee=world.commune, year=2026, days={})[3]
    with pytest.raises(ChiboError, match="lý do"):
        services.briefing_cancel(actor=staff, briefing=briefing, reason="  ")
    services.briefing_cancel(actor=staff, briefing=briefing, reason="Trùng lịch bầu cử")
    with pytest.raises(ChiboError, match="đã hủy"):
        services.item_add(actor=staff, briefing=briefing, title="Thêm")


def test_issue_owner_and_cell_must_be_under_the_committee(world, frozen):
    staff = world.users["staff"]
    briefing = services.plan_year(actor=staff, committee=world.commune, year=2026, days={})[0]
    with pytest.raises(ChiboError, match="Người phụ trách") as exc:
        services.issue_add(actor=staff, briefing=briefing, text="Xin kinh phí sửa đường", owner_id=world.other_member.pk)
    assert exc.value.field == "owner"
    with pytest.raises(ChiboError, match="không trực thuộc"):
        services.issue_add(actor=staff, briefing=briefing, text="Xin kinh phí sửa đường", cell_id=world.other_cell.pk)
    with pytest.raises(ChiboError, match="nội dung"):
        services.issue_add(actor=staff, briefing=briefing, text="   ")
    assert not BriefingIssue.objects.exists()
    issue = services.issue_add(actor=staff, briefing=briefing, text="Xin kinh phí sửa đường", raised_by_name="Ông Hùng", cell_id=world.cell.pk, owner_id=world.member.pk, kind="petition")
    assert (issue.owner_id, issue.kind, issue.status) == (world.member.pk, "petition", "open")
    services.issue_update(actor=staff, issue=issue, text=issue.text, raised_by_name="", cell_id=world.cell.pk, owner_id=world.secretary_member.pk, kind="task", status="closed")
    issue.refresh_from_db()
    assert (issue.owner_id, issue.kind, issue.status) == (world.secretary_member.pk, "task", "closed")
    assert AuditEvent.objects.filter(verb__startswith="briefing.issue").count() == 2


def test_minutes_per_item(world, frozen):
    staff = world.users["staff"]
    briefing = services.plan_year(actor=staff, committee=world.commune, year=2026, days={})[0]
    item = services.item_add(actor=staff, briefing=briefing, title="Công tác phát triển đảng viên")
    assert item.position == 4
    services.item_update(actor=staff, item=item, title=item.title, content="Các chi bộ báo cáo.", conclusion="Mỗi chi bộ kết nạp ít nhất 1 đảng viên.")
    item.refresh_from_db()
    assert item.conclusion == "Mỗi chi bộ kết nạp ít nhất 1 đảng viên."
    with pytest.raises(ChiboError):
        services.item_update(actor=staff, item=item, title=" ", content="", conclusion="")
