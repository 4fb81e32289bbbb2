"""Inspection services: plans, items (targets inside the subtree), the record, follow-ups, a cell's
self-inspection; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.inspections import services
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan
from tests.factories import vn

pytestmark = pytest.mark.django_db
NOW = vn(2026, 5, 10, 10, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _item(world, plan, **kw):
    data = {"kind": "inspection", "target_org_id": world.cell.pk, "target_member_id": None, "topic": "Thực hiện nghị quyết", "month_from": dt.date(2026, 3, 1), "month_to": dt.date(2026, 4, 1)}
    data.update(kw)
    return services.item_add(actor=world.users["staff"], plan=plan, **data)


def test_plan_once_a_year_and_approval(world, frozen):
    staff = world.users["staff"]
    plan = services.plan_create(actor=staff, org=world.commune, year=2026)
    with pytest.raises(ChiboError, match="Đã có kế hoạch"):
        services.plan_create(actor=staff, org=world.commune, year=2026)
    with pytest.raises(ChiboError, match="chưa có nội dung"):
        services.plan_approve(actor=staff, plan=plan, on=dt.date(2026, 1, 10))
    _item(world, plan)
    with pytest.raises(ChiboError, match="sau hôm nay"):
        services.plan_approve(actor=staff, plan=plan, on=dt.date(2026, 6, 1))
    services.plan_approve(actor=staff, plan=plan, on=dt.date(2026, 1, 10))
    plan.refresh_from_db()
    assert plan.approved and plan.approved_on == dt.date(2026, 1, 10)
    assert InspectionPlan.objects.count() == 1


def test_target_must_be_in_the_subtree(world, frozen):
    plan = services.plan_create(actor=world.users["staff"], org=world.commune, year=2026)
    with pytest.raises(ChiboError, match="phải thuộc tổ chức lập kế hoạch") as exc:
        _item(world, plan, target_org_id=world.other_cell.pk)
    assert exc.value.field == "target_org"
    with pytest.raises(ChiboError, match="Đảng viên này không thuộc") as exc:
        _item(world, plan, target_org_id=None, target_member_id=world.other_member.pk)
    assert exc.value.field == "target_member"
    with pytest.raises(ChiboError, match="trong năm 2026"):
        _item(world, plan, month_from=dt.date(2025, 12, 1))
    with pytest.raises(ChiboError, match="Tháng kết thúc"):
        _item(world, plan, month_from=dt.date(2026, 5, 1), month_to=dt.date(2026, 4, 1))
    with pytest.raises(ChiboError, match="Hãy chọn"):
        _item(world, plan, target_org_id=None)
    assert not InspectionItem.objects.exists()
    # a member alone: the target organisation is the member's cell
    item = _item(world, plan, kind="supervision", target_org_id=None, target_member_id=world.member.pk, month_from=dt.date(2026, 7, 15), month_to=dt.date(2026, 7, 20))
    assert (item.target_org_id, item.month_from, item.month_to) == (world.cell.pk, dt.date(2026, 7, 1), dt.date(2026, 7, 1))


def test_record_in_progress_then_done(world, frozen):
    staff = world.users["staff"]
    item = _item(world, services.plan_create(actor=staff, org=world.commune, year=2026))
    services.item_record(actor=staff, item=item, status="in_progress", findings="Đang làm việc với chi bộ.")
    with pytest.raises(ChiboError, match="ngày hoàn thành") as exc:
        services.item_record(actor=staff, item=item, status="done", findings="Đủ hồ sơ", conclusions="Tốt")
    assert exc.value.field == "done_on"
    with pytest.raises(ChiboError, match="kết luận"):
        services.item_record(actor=staff, item=item, status="done", findings="Đủ hồ sơ", conclusions="", done_on=dt.date(2026, 4, 20))
    with pytest.raises(ChiboError, match="sau hôm nay"):
        services.item_record(actor=staff, item=item, status="done", findings="Đủ hồ sơ", conclusions="Tốt", done_on=dt.date(2026, 6, 1))
    item.refresh_from_db()
    assert (item.status, item.findings) == ("in_progress", "Đang làm việc với chi bộ.")
    services.item_record(actor=staff, item=item, status="done", findings="Đủ hồ sơ", conclusions="Chi bộ thực hiện tốt", done_on=dt.date(2026, 4, 20))
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", dt.date(2026, 4, 20))
    with pytest.raises(ChiboError, match="không sửa được"):
        services.item_record(actor=staff, item=item, status="cancelled", cancel_reason="x")
    assert AuditEvent.objects.filter(verb="inspection.item_record").count() == 2


def test_cancel_needs_a_reason(world, frozen):
    staff = world.users["staff"]
    item = _item(world, services.plan_create(actor=staff, org=world.commune, year=2026))
    with pytest.raises(ChiboError, match="lý do"):
        services.item_record(actor=staff, item=item, status="cancelled")
    services.item_record(actor=staff, item=item, status="cancelled", cancel_reason="Chi bộ sáp nhập")
    item.refresh_from_db()
    assert item.status == "cancelled"


def test_follow_ups(world, frozen):
    staff = world.users["staff"]
    item = _item(world, services.plan_create(actor=staff, org=world.commune, year=2026))
    with pytest.raises(ChiboError, match="Người chịu trách nhiệm") as exc:
        services.follow_up_add(actor=staff, item=item, text="Bổ sung hồ sơ", responsible_id=world.other_member.pk, due_on=dt.date(2026, 6, 30))
    assert exc.value.field == "responsible"
    assert not FollowUp.objects.exists()
    # No responsible member: closed here (one with a member in a cell is a task: tests/links/test_follow_up_tasks.py).
    f = services.follow_up_add(actor=staff, item=item, text="Bổ sung hồ sơ", responsible_id=None, due_on=dt.date(2026, 6, 30))
    assert f.status == "open" and f.task is None
    with pytest.raises(ChiboError, match="không hợp lệ"):
        services.follow_up_close(actor=staff, follow_up=f, status="open")
    services.follow_up_close(actor=staff, follow_up=f, status="not_done", note="Chưa bổ sung")
    f.refresh_from_db()
    assert (f.status, f.closed_on) == ("not_done", dt.date(2026, 5, 10))
    with pytest.raises(ChiboError, match="đã được đánh giá"):
        services.follow_up_close(actor=staff, follow_up=f, status="done")


def test_a_cells_self_inspection(world, frozen):
    secretary = world.users["secretary"]
    plan = services.plan_create(actor=secretary, org=world.cell, year=2026)
    item = services.item_add(actor=secretary, plan=plan, kind="inspection", target_org_id=world.cell.pk, target_member_id=world.member.pk,
                             topic="Tự kiểm tra việc thực hiện nhiệm vụ được phân công", month_from=dt.date(2026, 6, 1), month_to=dt.date(2026, 6, 1))
    assert item.target_org_id == world.cell.pk
    with pytest.raises(ChiboError, match="phải thuộc tổ chức lập kế hoạch"):
        services.item_add(actor=secretary, plan=plan, kind="inspection", target_org_id=world.cell2.pk, target_member_id=None, topic="x", month_from=dt.date(2026, 6, 1), month_to=dt.date(2026, 6, 1))
