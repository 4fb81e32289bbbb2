"""`chibo bench followup` runs on whatever is loaded and prints one line per page (no timing asserted)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chibo.demo import bench_followup
from tests.followup.factories import build


def test_bench_followup_prints_a_line_per_page(world):
    build(world)
    out = StringIO()
    call_command("bench", "followup", repeat=2, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Dữ liệu: (không phải dữ liệu mẫu)" in text  # the dataset is named
    assert "canbotinh ở Đảng bộ tỉnh Quảng Ninh" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "p50" not in line]
    names = [
        name
        for name, _url in bench_followup.pages(
            root_id=world.province.pk, cell_id=world.cell.pk, year=2026
        )
    ]
    assert [row.split("|")[1].strip() for row in rows] == names
    assert f"/tasks/cell/{world.cell.pk}/" in text  # the cell with the most tasks
    for row in rows:
        p50, p95, queries = (row.split("|")[i].strip() for i in (2, 3, 4))
        assert float(p50) > 0 and float(p95) > 0 and int(queries) > 0


def test_bench_followup_needs_a_tree(db):
    with pytest.raises(CommandError):
        call_command("bench", "followup", repeat=1, stdout=StringIO(), stderr=StringIO())
