"""The follow-up statistics page: figures, levels, drill-down, as-of tree, scope, charts, .xlsx,
query count, and agreement with `chibo stats --json`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chibo.orgs import services as org_services
from chibo.orgs.models import AreaKind, OrgKind, Sector
from tests.followup.factories import AFTER_MOVE, BEFORE_MOVE, YEAR, build, petition, task


def _url(org, name: str = "followup:stats", **params) -> str:
    url = reverse(name, args=[org.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _testid(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, testid
    return found.group(1).strip()


def _dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _json(org, on: dt.date) -> dict:
    out = io.StringIO()
    call_command(
        "stats",
        "--json",
        "--org",
        str(org.pk),
        "--year",
        str(YEAR),
        "--as-of",
        on.isoformat(),
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_province_page_figures_levels_and_charts(world, client_for):
    build(world)
    response = client_for("province").get(_url(world.province, year=YEAR, as_of=_dmy(AFTER_MOVE)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "31/03/2026" in _testid(html, "stats-period")
    # tasks: 3 open (2 past due on 31/03), 1 done, 1 done late, 1 not done; the 2025 task left out
    assert [
        _testid(html, f"tasks-{s}") for s in ("open", "done", "done_late", "not_done", "overdue")
    ] == ["3", "1", "1", "1", "2"]
    assert "66,67%" in html
    # petitions: open, answered, overdue, escalated (1 of 5: 20,00%), median of 9 and 20 working days
    assert [
        _testid(html, f"petitions-{k}")
        for k in ("open", "answered", "overdue", "escalated", "median")
    ] == ["3", "2", "1", "1", "14,5"]
    assert "20,00%" in html
    assert (
        _testid(html, "petitions-status-returned") == "1"
        and _testid(html, "petitions-status-closed") == "1"
    )
    assert (
        _testid(html, "petitions-category-environment") == "2"
        and _testid(html, "petitions-category-land") == "1"
    )
    assert [_testid(html, f"petitions-age-{b}") for b in ("le15", "le30", "gt30")] == [
        "1",
        "0",
        "2",
    ]
    levels = dict(re.findall(r'<tr data-level="(\w+)">(.*?)</tr>', html, re.S))
    assert list(levels) == ["provincial", "grassroots_committee", "external"]
    commune = re.findall(r'<td class="num"[^>]*>(.*?)</td>', levels["grassroots_committee"], re.S)
    assert commune == [
        "3",
        "1",
        "9,0",
        "1 (33,33%)",
    ]  # held 3, answered 1 in 9 working days, escalated 1 of 3
    assert re.findall(r'<td class="num"[^>]*>(.*?)</td>', levels["external"], re.S) == [
        "1",
        "1",
        "20,0",
        "0 (0,00%)",
    ]
    assert _testid(html, "briefings-held") == "3/7" and _testid(html, "inspections-done") == "2/3"
    # four charts, each an SVG with its title and description
    for ident, bars in (("tasks", 5), ("petitions", 24), ("briefings", 8), ("inspections", 24)):
        chart = html[html.index(f'data-testid="chart-{ident}"') :]
        svg = chart[chart.index("<svg") : chart.index("</svg>")]
        assert f'aria-labelledby="chart-{ident}-title chart-{ident}-desc"' in svg
        assert (
            f'<title id="chart-{ident}-title">' in svg and f'<desc id="chart-{ident}-desc">' in svg
        )
        assert svg.count("<rect ") == bars, ident
    tasks_svg = html[html.index('id="chart-tasks-desc"') :]
    assert (
        "01/2026: Đang thực hiện 2, Hoàn thành 1, Hoàn thành muộn 0, Không hoàn thành 0"
        in tasks_svg
    )
    assert "Quý 1: Kế hoạch 3, Đã tổ chức 3" in html
    # drill-down: one row per commune with a link to its page for the same year and date
    rows = dict(re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', html, re.S))
    assert set(rows) == {str(world.commune.pk), str(world.other_commune.pk)}
    assert f'href="{_url(world.commune)}?year=2026&amp;as_of=31%2F03%2F2026"' in html
    other = re.findall(r'<td class="num"[^>]*>(.*?)</td>', rows[str(world.other_commune.pk)], re.S)
    assert other == ["2", "0", "1", "2", "1", "0", "20,0", "1/2", "1/1"]


def test_as_of_counts_a_moved_cell_where_it_was(world, client_for):
    build(world)
    client = client_for("province")
    before = client.get(_url(world.commune, year=YEAR, as_of=_dmy(BEFORE_MOVE))).content.decode()
    after = client.get(_url(world.commune, year=YEAR, as_of=_dmy(AFTER_MOVE))).content.decode()
    # cell2 (two tasks, two petitions) is the commune's on 31/01, the other commune's on 31/03
    assert [_testid(before, f"tasks-{s}") for s in ("open", "not_done", "overdue")] == [
        "2",
        "1",
        "0",
    ]
    assert [_testid(after, f"tasks-{s}") for s in ("open", "not_done", "overdue")] == [
        "1",
        "0",
        "1",
    ]
    assert _testid(before, "petitions-open") == "3" and _testid(after, "petitions-open") == "1"
    before_rows = dict(
        re.findall(r'<tr data-org="(\d+)">', before)
        and re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', before, re.S)
    )
    assert set(before_rows) == {str(world.cell.pk), str(world.cell2.pk)}
    assert set(re.findall(r'<tr data-org="(\d+)">', after)) == {str(world.cell.pk)}
    # the other commune gets cell2 after the move only
    other = client.get(
        _url(world.other_commune, year=YEAR, as_of=_dmy(AFTER_MOVE))
    ).content.decode()
    assert _testid(other, "tasks-not_done") == "1"


@pytest.mark.parametrize("persona, org, on", [
    ("province", "province", AFTER_MOVE), ("province", "province", BEFORE_MOVE), ("staff", "commune", BEFORE_MOVE),
    ("staff", "commune", AFTER_MOVE), ("outsider", "other_commune", AFTER_MOVE), ("member", "cell", AFTER_MOVE),
])  # fmt: skip
def test_page_agrees_with_the_command(world, client_for, persona, org, on):
    build(world)
    node = getattr(world, org)
    response = client_for(persona).get(_url(node, year=YEAR, as_of=_dmy(on)))
    assert response.status_code == 200
    page = response.context["fig"].as_json()
    data = _json(node, on)
    assert page == {k: data[k] for k in ("tasks", "petitions", "briefings", "inspections")}
    html = response.content.decode()
    for key in ("open", "done", "done_late", "not_done", "overdue"):
        assert _testid(html, f"tasks-{key}") == str(data["tasks"][key])
    for key in ("open", "answered", "overdue", "escalated"):
        assert _testid(html, f"petitions-{key}") == str(data["petitions"][key])
    median = data["petitions"]["median_days_to_answer"]
    assert _testid(html, "petitions-median") == (
        "—" if median is None else f"{median:.1f}".replace(".", ",")
    )
    assert (
        _testid(html, "briefings-held")
        == f"{data['briefings']['held']}/{data['briefings']['planned']}"
    )
    assert (
        _testid(html, "inspections-done")
        == f"{data['inspections']['done']}/{data['inspections']['planned']}"
    )


def test_scope(world, client_for):
    build(world)
    staff, outsider, member = client_for("staff"), client_for("outsider"), client_for("member")
    q = {"year": YEAR, "as_of": _dmy(AFTER_MOVE)}
    for name in ("followup:stats", "followup:stats_xlsx"):
        assert outsider.get(_url(world.commune, name, **q)).status_code == 404
        assert outsider.get(_url(world.province, name, **q)).status_code == 404
        assert outsider.get(_url(world.cell, name, **q)).status_code == 404
        assert staff.get(_url(world.other_commune, name, **q)).status_code == 404
        assert member.get(_url(world.commune, name, **q)).status_code == 404
    assert outsider.get(_url(world.other_commune, **q)).status_code == 200
    # cell2 is the staff's on 31/01, the outsider's on 31/03
    assert staff.get(_url(world.cell2, year=YEAR, as_of=_dmy(BEFORE_MOVE))).status_code == 200
    assert staff.get(_url(world.cell2, **q)).status_code == 404
    assert outsider.get(_url(world.cell2, **q)).status_code == 200
    assert member.get(_url(world.cell, **q)).status_code == 200
    assert client_for("admin").get(_url(world.province)).status_code == 200


def test_bad_input_is_reported_not_a_500(world, client_for):
    build(world)
    html = (
        client_for("province")
        .get(_url(world.province, year="20x6", as_of="31/02/2026"))
        .content.decode()
    )
    assert 'data-testid="error-year"' in html and "Năm không hợp lệ (từ 2000 đến 2100)." in html
    assert 'data-testid="error-as_of"' in html and "31/02/2026" in html
    # The page still answers, for this year on today's tree.
    assert 'data-testid="tasks"' in html


def test_reachable_from_the_org_page_and_the_meeting_statistics(world, client_for):
    client = client_for("staff")
    target = reverse("followup:stats", args=[world.commune.pk])
    assert (
        f'href="{target}"'
        in client.get(reverse("orgs:detail", args=[world.commune.pk])).content.decode()
    )
    assert (
        f'href="{target}?year=2026'
        in client.get(
            reverse("meetings:stats", args=[world.commune.pk]) + "?month=2026-01"
        ).content.decode()
    )


def test_query_count_is_constant(world, client_for):
    build(world)
    client = client_for("province")

    def count(org) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(org, year=YEAR, as_of=_dmy(AFTER_MOVE))).status_code == 200
        return len(ctx.captured_queries)

    before = {
        "province": count(world.province),
        "commune": count(world.commune),
        "cell": count(world.cell),
    }
    for i in range(3):
        cell = org_services.org_create(
            actor=None, name=f"Chi bộ thôn Mới {i}", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2025, 1, 1),
            sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name=f"Mới {i}",
        )  # fmt: skip
        task(world, cell, dt.date(2026, 1, 5 + i))
        petition(world, cell, dt.date(2026, 2, 2 + i), "other")
    after = {
        "province": count(world.province),
        "commune": count(world.commune),
        "cell": count(world.cell),
    }
    assert after == before
    # session, user, grants; the node; children; tasks; petitions: counts, ages, answers, held and
    # escalated levels; briefings; inspections (the charts come from the same rows); below the root the breadcrumb (2);
    # a cell has no children query.
    assert before == {"province": 13, "commune": 15, "cell": 14}


def test_xlsx_export(world, client_for):
    build(world)
    response = client_for("province").get(
        _url(world.province, "followup:stats_xlsx", year=YEAR, as_of=_dmy(AFTER_MOVE))
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["Thong ke"].iter_rows(values_only=True))
    assert "Quảng Ninh" in rows[0][0] and "2026" in rows[0][0] and "31/03/2026" in rows[0][0]
    header = rows[1]
    table = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    assert set(table) == {"Đảng bộ tỉnh Quảng Ninh", "Đảng bộ xã Quảng Tân", "Đảng bộ xã Đại Bình"}
    node = table["Đảng bộ tỉnh Quảng Ninh"]
    assert (
        node["Nhiệm vụ: Đang thực hiện"] == 3
        and node["Nhiệm vụ quá hạn"] == 2
        and node["Tỷ lệ quá hạn trên số đang thực hiện (%)"] == 66.67
    )
    assert (
        node["Kiến nghị đang mở"] == 3
        and node["Kiến nghị đã trả lời"] == 2
        and node["Trung vị ngày làm việc để trả lời"] == 14.5
    )
    assert node["Lĩnh vực: Môi trường"] == 2 and node["Đang mở trên 30 ngày làm việc"] == 2
    assert (node["Giao ban theo kế hoạch"], node["Giao ban đã tổ chức"]) == (7, 3)
    assert (node["Kiểm tra, giám sát theo kế hoạch"], node["Kiểm tra, giám sát đã hoàn thành"]) == (
        3,
        2,
    )
    assert table["Đảng bộ xã Quảng Tân"]["Nhiệm vụ: Đang thực hiện"] == 1
    levels = list(wb["Kien nghi theo cap"].iter_rows(values_only=True))
    assert levels[2] == ("Đảng bộ cơ sở", 3, 1, 9.0, 1, 33.33)
    months = list(wb["Theo thang"].iter_rows(values_only=True))
    assert len(months) == 13 and months[1][0] == "01/2026" and months[1][1] == 2
    quarters = list(wb["Giao ban theo quy"].iter_rows(values_only=True))
    assert quarters[1] == ("1/2026", 3, 3)


def test_workday_index_agrees_with_working_days_between():
    from chibo.core.workdays import working_days_between
    from chibo.followup.selectors import WorkdayIndex

    index = WorkdayIndex()
    days = [
        dt.date(2026, 2, 20),
        dt.date(2025, 12, 30),
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 30),
        dt.date(2026, 9, 2),
        dt.date(2026, 2, 14),
    ]
    for a in days:
        for b in days:
            assert index(a, b) == working_days_between(a, b), (a, b)
