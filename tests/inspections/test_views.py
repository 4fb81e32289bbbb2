"""Inspection pages: the rate page (query count pinned), the plan with its items, the record form,
follow-ups, bad input; the home parts; `chibo stats --json`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.briefings import services as briefing_services
from chibo.inspections import services
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan
from tests.briefings.factories import held_on
from tests.factories import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 5, 10, 10), tick=False):
        yield


def _item(world, plan, org, month):
    return services.item_add(actor=world.users["staff"], plan=plan, kind="inspection", target_org_id=org.pk, target_member_id=None, topic=f"Chủ đề {month:%m}", month_from=month, month_to=month)


def test_rate_page_query_count(world, client_for, frozen):
    plan = services.plan_create(actor=world.users["staff"], org=world.commune, year=2026)
    _item(world, plan, world.cell, dt.date(2026, 2, 1))
    client = client_for("province")
    url = reverse("inspections:org", args=[world.province.pk]) + "?year=2026"
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Đảng bộ xã Quảng Tân" in body and "Đảng bộ xã Đại Bình" in body
    for month in range(3, 9):
        _item(world, plan, world.cell2, dt.date(2026, month, 1))
    services.plan_create(actor=world.users["outsider"], org=world.other_commune, year=2026)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few) <= 10
    # drill-down: the commune's page, by cell
    body = client.get(reverse("inspections:org", args=[world.commune.pk]) + "?year=2026").content.decode()
    assert "Chi bộ thôn Trung Sơn" in body and 'data-testid="open-plan"' in body


def test_plan_page_query_count_and_item_form(world, client_for, frozen):
    client = client_for("staff")
    response = client.post(reverse("inspections:plan_create", args=[world.commune.pk]), {"year": "2026"})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspections:plan", args=[plan.pk])
    response = client.post(reverse("inspections:plan_create", args=[world.commune.pk]), {"year": "2026"})
    assert response.status_code == 400 and "Đã có kế hoạch kiểm tra, giám sát năm 2026." in response.content.decode()
    add = reverse("inspections:item_add", args=[plan.pk])
    response = client.post(add, {"kind": "inspection", "target_org": world.other_cell.pk, "topic": "", "month_from": "13/2026"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Hãy nhập nội dung kiểm tra, giám sát." in body and "“13/2026” không đúng dạng tháng mm/yyyy." in body
    assert not InspectionItem.objects.exists()
    response = client.post(add, {"kind": "supervision", "target_org": world.cell.pk, "topic": "Giám sát thu nộp đảng phí", "month_from": "03/2026", "month_to": "04/2026", "inspectors": "Đ/c Bình"})
    assert response.status_code == 302
    url = reverse("inspections:plan", args=[plan.pk])
    client.get(url)  # shows (and clears) the message of the redirect
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for month in range(5, 10):
        _item(world, plan, world.cell2, dt.date(2026, month, 1))
    with CaptureQueriesContext(connection) as more:
        body = client.get(url).content.decode()
    assert len(more) == len(few)
    assert "Giám sát thu nộp đảng phí" in body and "03/2026–04/2026" in body


def test_record_and_follow_up_pages(world, client_for, frozen):
    plan = services.plan_create(actor=world.users["staff"], org=world.commune, year=2026)
    item = _item(world, plan, world.cell, dt.date(2026, 4, 1))
    client = client_for("staff")
    record = reverse("inspections:item_record", args=[item.pk])
    response = client.post(record, {"status": "done", "findings": "Hồ sơ đầy đủ", "conclusions": "", "done_on": "32/04/2026"})
    assert response.status_code == 400 and "32/04/2026 không phải ngày có thật." in response.content.decode()
    response = client.post(record, {"status": "done", "findings": "Hồ sơ đầy đủ", "conclusions": "", "done_on": "20/04/2026"})
    assert response.status_code == 400 and "Hãy ghi kết quả kiểm tra, giám sát và kết luận." in response.content.decode()
    response = client.post(record, {"status": "done", "findings": "Hồ sơ đầy đủ", "conclusions": "Chi bộ làm tốt", "done_on": "20/04/2026"})
    assert response.status_code == 302
    follow = reverse("inspections:follow_up_add", args=[item.pk])
    response = client.post(follow, {"text": "Bổ sung biên bản", "responsible": world.other_member.pk, "due_on": "30/06/2026"})
    assert response.status_code == 400 and not FollowUp.objects.exists()
    response = client.post(follow, {"text": "Bổ sung biên bản", "responsible": world.member.pk, "due_on": "30/06/2026"})
    assert response.status_code == 302
    f = FollowUp.objects.get()
    assert f.task is not None  # the member's task tracks it: closed on the task page, not here
    response = client.post(reverse("inspections:follow_up_close", args=[f.pk]), {"status": "done"})
    f.refresh_from_db()
    assert f.status == "open"  # refused: the message says to close it on the task page
    response = client.post(follow, {"text": "Rà soát danh sách", "responsible": "", "due_on": "30/06/2026"})
    f = FollowUp.objects.get(task__isnull=True)
    response = client.post(reverse("inspections:follow_up_close", args=[f.pk]), {"status": "done"})
    f.refresh_from_db()
    assert f.status == "done"
    # the cell inspected reads its item, not the commune's plan
    member = client_for("member")
    body = member.get(reverse("inspections:item", args=[item.pk])).content.decode()
    assert "Chi bộ làm tốt" in body and "Bổ sung biên bản" in body and "Ghi kết quả" not in body
    assert member.get(reverse("inspections:plan", args=[plan.pk])).status_code == 404


def test_home_parts(world, client_for, frozen):
    plan = services.plan_create(actor=world.users["staff"], org=world.commune, year=2026)
    _item(world, plan, world.cell, dt.date(2026, 3, 1))  # overdue
    _item(world, plan, world.cell2, dt.date(2026, 5, 1))  # this month
    _item(world, plan, world.cell2, dt.date(2026, 11, 1))  # later
    body = client_for("staff").get("/").content.decode()
    assert 'data-testid="home-inspections-due"' in body and "Chủ đề 03" in body and "Chủ đề 05" in body and "Chủ đề 11" not in body
    assert "Quá hạn" in body
    body = client_for("secretary").get("/").content.decode()
    assert 'data-testid="home-inspections-cell"' in body and "Chủ đề 03" in body and "Chủ đề 05" not in body
    assert "home-inspections" not in client_for("outsider").get("/").content.decode()


def test_stats_json_sections(world, frozen):
    staff = world.users["staff"]
    briefings = briefing_services.plan_year(actor=staff, committee=world.commune, year=2026, days={})
    today_briefing = held_on(briefings[1], dt.date(2026, 5, 10))
    briefing_services.attendance_mark(actor=staff, briefing=today_briefing, member_id=world.secretary_member.pk, status="present")
    briefing_services.briefing_hold(actor=staff, briefing=today_briefing)
    briefing_services.briefing_cancel(actor=staff, briefing=briefings[3], reason="Bão")
    plan = services.plan_create(actor=staff, org=world.commune, year=2026)
    item = _item(world, plan, world.cell, dt.date(2026, 2, 1))
    _item(world, plan, world.cell, dt.date(2026, 8, 1))
    services.item_record(actor=staff, item=item, status="done", findings="a", conclusions="b", done_on=dt.date(2026, 2, 10))

    def run(*args: str) -> dict:
        out = StringIO()
        call_command("stats", "--json", *args, stdout=out)
        return json.loads(out.getvalue())

    data = run("--org", world.commune.code)
    assert data["briefings"] == {"planned": 3, "held": 1}
    assert data["inspections"] == {"planned": 2, "done": 1}
    assert run("--org", world.other_commune.code)["briefings"] == {"planned": 0, "held": 0}
    data = run("--year", "2025")
    assert data["briefings"] == {"planned": 0, "held": 0} and data["inspections"] == {"planned": 0, "done": 0}
    assert run()["inspections"] == {"planned": 2, "done": 1}  # the root: the province


def test_a_cell_plans_its_own_self_inspection(world, client_for, frozen):
    client = client_for("secretary")
    page = client.get(reverse("inspections:org", args=[world.cell.pk]) + "?year=2026").content.decode()
    assert 'data-testid="plan-create"' in page
    assert client.post(reverse("inspections:plan_create", args=[world.cell.pk]), {"year": "2026", "note": "Tự kiểm tra"}).status_code == 302
    plan = InspectionPlan.objects.get(org=world.cell)
    response = client.post(reverse("inspections:item_add", args=[plan.pk]), {
        "kind": "inspection", "target_member": world.member.pk, "topic": "Tự kiểm tra nhiệm vụ được phân công", "month_from": "06/2026",
    })  # fmt: skip
    assert response.status_code == 302
    assert InspectionItem.objects.get(plan=plan).target_org_id == world.cell.pk
    # the secretary cannot plan for the commune; the outsider sees none of it
    assert client.post(reverse("inspections:plan_create", args=[world.commune.pk]), {"year": "2026"}).status_code == 404
    assert client_for("outsider").get(reverse("inspections:plan", args=[plan.pk])).status_code == 404
    assert client_for("member").get(reverse("inspections:plan", args=[plan.pk])).status_code == 200


def test_a_bad_year_is_said_and_this_year_shown(world, client_for, frozen):
    body = client_for("staff").get(reverse("inspections:org", args=[world.commune.pk]) + "?year=3000").content.decode()
    assert 'data-testid="year-error"' in body and "Năm không hợp lệ (từ 2000 đến 2100)." in body
    assert "2026" in body
