"""Completion rates over a subtree: due items (last month passed) and the whole year, by child."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.dates import today
from chibo.inspections import selectors as sel
from chibo.inspections import services
from chibo.inspections.selectors_stats import json_figures
from chibo.orgs.selectors import versions_on
from tests.factories import vn

pytestmark = pytest.mark.django_db


def _add(actor, plan, org, month, status="planned"):
    item = services.item_add(actor=actor, plan=plan, kind="inspection", target_org_id=org.pk, target_member_id=None, topic="Chủ đề", month_from=month, month_to=month)
    if status == "done":
        services.item_record(actor=actor, item=item, status="done", findings="Kết quả", conclusions="Kết luận", done_on=month)
    elif status == "cancelled":
        services.item_record(actor=actor, item=item, status="cancelled", cancel_reason="Lý do")
    return item


@pytest.fixture
def rated(world):
    with time_machine.travel(vn(2026, 5, 10, 10), tick=False):
        staff, secretary = world.users["staff"], world.users["secretary"]
        commune_plan = services.plan_create(actor=staff, org=world.commune, year=2026)
        _add(staff, commune_plan, world.cell, dt.date(2026, 2, 1), "done")
        _add(staff, commune_plan, world.cell2, dt.date(2026, 3, 1))  # due, not done
        _add(staff, commune_plan, world.cell2, dt.date(2026, 9, 1))  # not yet due
        _add(staff, commune_plan, world.cell, dt.date(2026, 4, 1), "cancelled")
        cell_plan = services.plan_create(actor=secretary, org=world.cell, year=2026)
        _add(secretary, cell_plan, world.cell, dt.date(2026, 1, 1), "done")
        _add(secretary, cell_plan, world.cell, dt.date(2026, 5, 1))  # this month: not yet due
        yield world


def test_subtree_rates(rated):
    world = rated
    with time_machine.travel(vn(2026, 5, 10, 10), tick=False):
        on = today()
        province = versions_on(on).get(org_id=world.province.pk)
        rates = sel.subtree_rates(version=province, year=2026, on=on, today=on)
        assert (rates.total.total, rates.total.done, rates.total.due, rates.total.due_done) == (5, 2, 3, 2)
        assert rates.total.due_percent == 67 and rates.total.percent == 40
        assert rates.own.total == 0
        by_name = {r.version.name: r.rate for r in rates.children}
        assert (by_name["Đảng bộ xã Quảng Tân"].total, by_name["Đảng bộ xã Quảng Tân"].done) == (5, 2)
        assert by_name["Đảng bộ xã Đại Bình"].total == 0
        commune = versions_on(on).get(org_id=world.commune.pk)
        rates = sel.subtree_rates(version=commune, year=2026, on=on, today=on)
        assert (rates.own.total, rates.own.done, rates.own.due, rates.own.due_done) == (3, 1, 2, 1)
        by_name = {r.version.name: r.rate for r in rates.children}
        assert (by_name["Chi bộ thôn Trung Sơn"].total, by_name["Chi bộ thôn Trung Sơn"].done) == (2, 1)  # the cell's own plan
        assert json_figures(path=commune.path, year=2026, on=on) == {"planned": 5, "done": 2}
        assert json_figures(path=commune.path, year=2025, on=on) == {"planned": 0, "done": 0}
