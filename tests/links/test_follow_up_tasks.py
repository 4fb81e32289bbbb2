"""Inspection follow-ups tracked like member tasks (issue 8 §5): the follow-up with a responsible member
of a cell gets its task; its status then follows the task's, closing and re-opening alike."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.inspections import services
from chibo.inspections.models import FollowUp
from chibo.tasks import services as tasks
from chibo.tasks.models import Task
from tests.factories import vn

pytestmark = pytest.mark.django_db
NOW = vn(2026, 5, 10, 10, 0)
DUE = dt.date(2026, 6, 30)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _item(world, *, org, actor):
    plan = services.plan_create(actor=actor, org=org, year=2026)
    return services.item_add(actor=actor, plan=plan, kind="inspection", target_org_id=world.cell.pk, target_member_id=None,
                             topic="Thực hiện nghị quyết", month_from=dt.date(2026, 3, 1), month_to=dt.date(2026, 4, 1))


@pytest.mark.parametrize("planner", ["staff", "secretary"])  # the commune's inspection, the cell's self-inspection
def test_a_follow_up_becomes_the_members_task_and_follows_it(world, frozen, planner):
    actor = world.users[planner]
    item = _item(world, org=world.commune if planner == "staff" else world.cell, actor=actor)
    found = services.follow_up_add(actor=actor, item=item, text="Bổ sung hồ sơ đảng viên\nNộp về văn phòng", responsible_id=world.member.pk, due_on=DUE)
    task = Task.objects.get(pk=found.task_id)
    assert (task.cell_id, task.due_on, task.title) == (world.cell.pk, DUE, "Bổ sung hồ sơ đảng viên")
    assert task.expected_result == "Bổ sung hồ sơ đảng viên\nNộp về văn phòng"
    assert list(task.assignees.all()) == [world.member]
    # Not closed on the inspection page: the task is where it is checked.
    with pytest.raises(ChiboError, match="trang nhiệm vụ"):
        services.follow_up_close(actor=actor, follow_up=found, status="done")

    tasks.task_close(actor=world.users["secretary"], task=task, status="not_done", note="Chưa nộp")
    found.refresh_from_db()
    assert (found.status, found.closed_on, found.note) == ("not_done", dt.date(2026, 5, 10), "Chưa nộp")
    tasks.task_reopen(actor=world.users["secretary"], task=task, reason="Đã có hồ sơ")
    found.refresh_from_db()
    assert (found.status, found.closed_on, found.note) == ("open", None, "")
    tasks.task_close(actor=world.users["secretary"], task=task, status="done")
    found.refresh_from_db()
    assert (found.status, found.closed_on) == ("done", dt.date(2026, 5, 10))
    assert AuditEvent.objects.filter(verb="inspection.follow_up_task", object_id=str(found.pk)).count() == 3


def test_a_late_task_is_a_done_follow_up(world, frozen):
    item = _item(world, org=world.commune, actor=world.users["staff"])
    found = services.follow_up_add(actor=world.users["staff"], item=item, text="Khắc phục", responsible_id=world.member.pk, due_on=dt.date(2026, 5, 10))
    with time_machine.travel(vn(2026, 5, 12, 9), tick=False):
        tasks.task_close(actor=world.users["secretary"], task=found.task, status="done_late", note="Chậm hai ngày")  # type: ignore[arg-type]
    found.refresh_from_db()
    assert found.status == "done"


def test_without_a_member_no_task_and_a_bad_due_date_changes_nothing(world, frozen):
    item = _item(world, org=world.commune, actor=world.users["staff"])
    assert services.follow_up_add(actor=world.users["staff"], item=item, text="Rà soát", responsible_id=None, due_on=DUE).task is None
    with pytest.raises(ChiboError) as refused:
        services.follow_up_add(actor=world.users["staff"], item=item, text="Khắc phục", responsible_id=world.member.pk, due_on=dt.date(2026, 5, 1))
    assert refused.value.field == "due_on"
    assert FollowUp.objects.count() == 1 and Task.objects.count() == 0


def test_the_task_page_says_where_it_came_from(world, frozen, client):
    item = _item(world, org=world.commune, actor=world.users["staff"])
    found = services.follow_up_add(actor=world.users["staff"], item=item, text="Khắc phục", responsible_id=world.member.pk, due_on=DUE)
    client.force_login(world.users["member"])
    page = client.get(f"/tasks/{found.task_id}/")
    assert page.status_code == 200
    assert f'/inspections/items/{item.pk}/' in page.content.decode()
    client.force_login(world.users["staff"])
    assert f'/tasks/{found.task_id}/' in client.get(f"/inspections/items/{item.pk}/").content.decode()


def test_a_moved_due_date_moves_the_follow_ups(world, frozen):
    item = _item(world, org=world.commune, actor=world.users["staff"])
    found = services.follow_up_add(actor=world.users["staff"], item=item, text="Khắc phục", responsible_id=world.member.pk, due_on=DUE)
    task = Task.objects.get(pk=found.task_id)
    later = dt.date(2026, 7, 31)
    tasks.task_edit(actor=world.users["secretary"], task=task, title=task.title, expected_result=task.expected_result, due_on=later, assignees=[world.member])
    found.refresh_from_db()
    assert found.due_on == later
    event = AuditEvent.objects.get(verb="inspection.follow_up_task", object_id=str(found.pk))
    assert "31/07/2026" in event.summary
    # An edit that keeps the date writes nothing more.
    tasks.task_edit(actor=world.users["secretary"], task=task, title="Khắc phục ngay", expected_result=task.expected_result, due_on=later, assignees=[world.member])
    assert AuditEvent.objects.filter(verb="inspection.follow_up_task", object_id=str(found.pk)).count() == 1
