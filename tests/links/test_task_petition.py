"""A member task's residential-area matter is a petition of its own cell (issue 8 §2 with §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from chibo.core.dates import fmt_date, today
from chibo.core.errors import ChiboError
from chibo.petitions.models import Petition, Status
from chibo.tasks import services
from chibo.tasks.models import Task
from tests.factories import make_member
from tests.petitions.factories import raise_petition
from tests.tasks.factories import make_task

pytestmark = pytest.mark.django_db


def test_a_task_for_a_petition_of_its_cell_and_not_of_another(world):
    petition = raise_petition(world)
    task = make_task(world, petition=petition, area_matter="Cầu tràn xóm 3")
    assert (task.petition_id, task.area_matter) == (petition.pk, "Cầu tràn xóm 3")
    other = raise_petition(world, actor=world.users["admin"], cell=world.cell2, raised_by=make_member(world.cell2, surname="Lê", middle_name="Văn", given_name="Bình"))
    with pytest.raises(ChiboError) as refused:
        make_task(world, title="Khác", petition=other)
    assert refused.value.field == "petition"
    with pytest.raises(ChiboError):
        services.task_edit(actor=world.users["secretary"], task=task, title=task.title, expected_result=task.expected_result, due_on=task.due_on, assignees=[world.member], petition=other)
    assert Task.objects.get(pk=task.pk).petition_id == petition.pk and Task.objects.count() == 1


def test_the_form_offers_the_cells_open_petitions_and_the_petition_lists_its_tasks(world, client):
    open_one = raise_petition(world, title="Đèn đường hỏng")
    closed = raise_petition(world, title="Đã xong từ lâu")
    Petition.objects.filter(pk=closed.pk).update(status=Status.OUT_OF_SCOPE, closed_reason="Không thuộc thẩm quyền")
    raise_petition(world, actor=world.users["admin"], cell=world.cell2, title="Của chi bộ khác", raised_by=make_member(world.cell2, surname="Lê", middle_name="Văn", given_name="Bình"))
    client.force_login(world.users["secretary"])
    page = client.get(f"/tasks/cell/{world.cell.pk}/new/").content.decode()
    assert "Đèn đường hỏng" in page and "Đã xong từ lâu" not in page and "Của chi bộ khác" not in page
    due = fmt_date(today() + dt.timedelta(days=7))
    answer = client.post(f"/tasks/cell/{world.cell.pk}/new/", {
        "title": "Sửa đèn đường", "expected_result": "Đèn sáng", "due_on": due, "assignees": [world.member.pk], "petition": closed.pk,
    })
    assert answer.status_code == 400 and "Chỉ liên kết với kiến nghị chưa khép lại" in answer.content.decode() and not Task.objects.exists()
    answer = client.post(f"/tasks/cell/{world.cell.pk}/new/", {
        "title": "Sửa đèn đường", "expected_result": "Đèn sáng", "due_on": due, "assignees": [world.member.pk], "petition": open_one.pk,
    })
    task = Task.objects.get()
    assert answer.status_code == 302 and task.petition_id == open_one.pk
    assert f"/petitions/{open_one.pk}/" in client.get(f"/tasks/{task.pk}/").content.decode()
    detail = client.get(f"/petitions/{open_one.pk}/").content.decode()
    assert "linked-tasks" in detail and f"/tasks/{task.pk}/" in detail
