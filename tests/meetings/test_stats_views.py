"""The statistics page, its scope, its query count, the .xlsx export and `chibo stats --json`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chibo.meetings.models import Meeting, MeetingStatus
from chibo.orgs import services as org_services
from chibo.orgs.models import AreaKind, OrgKind, Sector
from tests.factories import VN, make_member
from tests.meetings.factories import add_attendance, make_meeting
from tests.meetings.test_stats_figures import JAN, build_stats_world


def _url(org, **params):
    url = reverse("meetings:stats", args=[org.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _testid(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, testid
    return found.group(1).strip()


def test_province_page_figures_and_drill_down(world, client_for):
    build_stats_world(world)
    response = client_for("province").get(_url(world.province, month="2026-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _testid(html, "cells-met") == "2/3"
    assert _testid(html, "attendance-rate") == "66,67%"
    assert _testid(html, "absent-unexcused") == "1"
    assert _testid(html, "absent-excused") == "1"
    assert _testid(html, "thematic") == "2/3"
    assert _testid(html, "upper") == "1/3"
    assert _testid(html, "published-late") == "2"
    assert _testid(html, "quality-ok") == "1/2"
    assert "01/2026" in html and "31/01/2026" in html
    # drill-down: links to both communes' pages for the same month
    for commune in (world.commune, world.other_commune):
        assert f'href="{reverse("meetings:stats", args=[commune.pk])}?month=2026-01"' in html
    # the chart: 12 bars, month labels mm/yyyy, accessible title and description
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('<rect class="bar"') == 12
    assert "<title" in svg and "<desc" in svg
    assert ">02/2025<" in svg and ">01/2026<" in svg
    assert "01/2026: sinh hoạt 66,67%, dự họp 66,67%" in svg
    assert "<polyline" in svg


def test_commune_page_lists_cells(world, client_for):
    build_stats_world(world)
    html = client_for("staff").get(_url(world.commune, month="2026-01")).content.decode()
    assert _testid(html, "cells-met") == "1/2"
    assert _testid(html, "attendance-rate") == "75,00%"
    rows = re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', html, re.S)
    assert {int(org) for org, _ in rows} == {world.cell.pk, world.cell2.pk}
    cell_row = dict(rows)[str(world.cell.pk)]
    assert "1/1 (100,00%)" in cell_row and "75,00%" in cell_row
    assert "0/1 (0,00%)" in dict(rows)[str(world.cell2.pk)]


def test_cell_page_lists_its_meetings_with_links(world, client_for):
    build_stats_world(world)
    response = client_for("member").get(_url(world.cell, month="2026-01"))
    assert response.status_code == 200
    html = response.content.decode()
    ids = list(Meeting.objects.filter(org=world.cell, month=JAN).order_by("starts_at").values_list("pk", flat=True))
    links = re.findall(r'<a href="([^"]+)" data-testid="meeting-link">', html)
    assert len(links) == 2
    assert all(link.rstrip("/").endswith(f"/{pk}") for link, pk in zip(links, ids, strict=True))
    assert _testid(html, "cells-met") == "1/1"


def test_scope(world, client_for):
    build_stats_world(world)
    staff, outsider, member = client_for("staff"), client_for("outsider"), client_for("member")
    assert outsider.get(_url(world.commune, month="2026-01")).status_code == 404
    assert outsider.get(_url(world.province, month="2026-01")).status_code == 404
    assert outsider.get(_url(world.other_commune, month="2026-01")).status_code == 200
    assert staff.get(_url(world.other_commune, month="2026-01")).status_code == 404
    assert staff.get(reverse("meetings:stats_xlsx", args=[world.other_commune.pk])).status_code == 404
    # cell2 belongs to the staff's commune in January, to the other commune from 15/02
    assert staff.get(_url(world.cell2, month="2026-01")).status_code == 200
    assert staff.get(_url(world.cell2, month="2026-02")).status_code == 404
    assert outsider.get(_url(world.cell2, month="2026-02")).status_code == 200
    assert member.get(_url(world.cell, month="2026-01")).status_code == 200
    assert member.get(_url(world.cell2, month="2026-01")).status_code == 404
    assert member.get(_url(world.commune, month="2026-01")).status_code == 404
    assert client_for("admin").get(_url(world.province)).status_code == 200


def test_as_of_and_bad_input(world, client_for):
    build_stats_world(world)
    client = client_for("province")
    html = client.get(_url(world.commune, month="2026-01", as_of="28/02/2026")).content.decode()
    assert _testid(html, "cells-met") == "1/1"  # cell2 had moved by 28/02
    html = client.get(_url(world.commune, month="2026-13", as_of="xx")).content.decode()
    assert html.count('class="errorbox"') == 2


def test_query_count_is_constant(world, client_for):
    build_stats_world(world)
    client = client_for("province")

    def count(org) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(org, month="2026-01")).status_code == 200
        return len(ctx.captured_queries)

    before = {"province": count(world.province), "commune": count(world.commune), "cell": count(world.cell)}
    for i in range(3):
        cell = org_services.org_create(
            actor=None, name=f"Chi bộ thôn Mới {i}", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2025, 1, 1),
            sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name=f"Mới {i}",
        )  # fmt: skip
        make_member(cell, given_name=["Một", "Hai", "Ba"][i], born=dt.date(1980 + i, 3, 3), joined_on=dt.date(2025, 1, 1))
        for month in (dt.date(2025, 12, 1), JAN):
            add_attendance(make_meeting(cell, month=month, status=MeetingStatus.CLOSED))
    after = {"province": count(world.province), "commune": count(world.commune), "cell": count(world.cell)}
    assert after == before
    # session, user, grants; the node; children (at a cell: its meetings); cells, the month's meetings
    # (with the stored attendance counts), the quarter's thematic meetings, upper assignments by branch;
    # the 12-month series (node versions, whether the subtree changed in the window, cells, meetings);
    # below the root, the breadcrumb's ancestors and which of them are visible.
    assert before == {"province": 13, "commune": 15, "cell": 15}


def test_xlsx_export(world, client_for):
    build_stats_world(world)
    response = client_for("province").get(reverse("meetings:stats_xlsx", args=[world.commune.pk]) + "?month=2026-01")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Thong ke"]
    rows = list(ws.iter_rows(values_only=True))
    assert "Quảng Tân" in rows[0][0] and "01/2026" in rows[0][0]
    header = rows[2]
    assert header[:4] == ("Tổ chức", "Số chi bộ", "Chi bộ đã sinh hoạt thường kỳ", "Tỷ lệ chi bộ sinh hoạt (%)")
    table = {r[0]: dict(zip(header, r, strict=True)) for r in rows[3:]}
    node = table["Đảng bộ xã Quảng Tân"]
    assert node["Số chi bộ"] == 2 and node["Chi bộ đã sinh hoạt thường kỳ"] == 1 and node["Tỷ lệ chi bộ sinh hoạt (%)"] == 50.0
    assert node["Lượt đảng viên phải dự"] == 4 and node["Lượt có mặt"] == 3 and node["Tỷ lệ đảng viên dự họp (%)"] == 75.0
    assert node["Vắng có lý do"] == 1 and node["Vắng không lý do"] == 0
    assert node["Chi bộ sinh hoạt chuyên đề trong quý"] == 1 and node["Chi bộ có cấp trên dự"] == 1
    assert node["Buổi thông báo muộn"] == 2 and node["Buổi đạt đủ 3 tiêu chí"] == 1 and node["Tự đánh giá: Tốt"] == 1
    assert table["Chi bộ thôn Trung Sơn"]["Chi bộ đã sinh hoạt thường kỳ"] == 1
    assert table["Chi bộ thôn Đồng Tâm"]["Chi bộ đã sinh hoạt thường kỳ"] == 0
    assert table["Chi bộ thôn Đồng Tâm"]["Tỷ lệ đảng viên dự họp (%)"] is None
    series = list(wb["12 thang"].iter_rows(values_only=True))
    assert series[0][0] == "Tháng" and len(series) == 13
    assert series[-1][:4] == ("01/2026", 2, 1, 50.0)
    assert "Buoi sinh hoat" not in wb.sheetnames

    cell = load_workbook(io.BytesIO(client_for("member").get(reverse("meetings:stats_xlsx", args=[world.cell.pk]) + "?month=2026-01").content))
    meetings = list(cell["Buoi sinh hoat"].iter_rows(values_only=True))
    assert meetings[1][:7] == ("03/01/2026", "Sinh hoạt thường kỳ", "Đã duyệt, khóa sổ", 2, 2, 0, 0)
    assert meetings[2][:7] == ("20/01/2026", "Sinh hoạt chuyên đề", "Đã kết thúc", 2, 1, 1, 0)


def _stats_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("stats", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_json_meetings_section(world):
    build_stats_world(world)
    data = _stats_json("--month", "2026-01")
    assert data["org"]["id"] == world.province.pk and "members" in data  # existing keys stay
    m = data["meetings"]
    assert (m["month"], m["as_of"], m["quarter"]) == ("2026-01", "2026-01-31", ["2026-01", "2026-03"])
    assert (m["cells_expected"], m["cells_met"], m["attendance_rate"], m["absent_without_reason"]) == (3, 2, 66.67, 1)
    assert (m["held_share"], m["cells_thematic"], m["cells_upper_attended"], m["published_late"], m["quality_ok"]) == (66.67, 2, 1, 2, 1)

    commune = _stats_json("--month", "2026-02", "--org", str(world.other_commune.pk))["meetings"]
    assert (commune["cells_expected"], commune["cells_met"], commune["absent_without_reason"]) == (2, 1, 1)
    earlier = _stats_json("--month", "2026-01", "--org", world.other_commune.code)["meetings"]
    assert (earlier["cells_expected"], earlier["cells_met"]) == (1, 1)
    as_of = _stats_json("--month", "2026-01", "--as-of", "28/02/2026", "--org", world.other_commune.code)["meetings"]
    assert (as_of["as_of"], as_of["cells_expected"]) == ("2026-02-28", 2)
    # the default month is this month in Vietnam: at 00:30 on 1 December there, UTC is still in November
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=VN), tick=False):
        assert _stats_json()["meetings"]["month"] == "2026-12"


def test_command_text_output(world):
    build_stats_world(world)
    out = io.StringIO()
    call_command("stats", "--month", "2026-02", stdout=out)
    text = out.getvalue()
    assert "members: 6" in text
    assert "meetings 2026-02" in text and "cells_met: 2" in text
