"""Inspection plans built through the services, for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.core.dates import today
from chibo.inspections import services
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan
from tests.factories import World


@dataclass
class InspectionScene:
    plan: InspectionPlan
    item: InspectionItem
    follow_up: FollowUp


def inspection_scene(world: World, *, year: int | None = None) -> InspectionScene:
    """The commune's plan of the year with one inspection of the cell (January) and one follow-up."""
    year = year or today().year
    staff = world.users["staff"]
    plan = services.plan_create(actor=staff, org=world.commune, year=year)
    item = services.item_add(
        actor=staff, plan=plan, kind="inspection", target_org_id=world.cell.pk, target_member_id=None,
        topic="Thực hiện nghị quyết về xây dựng nông thôn mới", month_from=dt.date(year, 1, 1), month_to=dt.date(year, 1, 1), inspectors="Ủy ban kiểm tra",
    )
    follow_up = services.follow_up_add(actor=staff, item=item, text="Bổ sung sổ ghi nghị quyết", responsible_id=world.secretary_member.pk, due_on=dt.date(year, 12, 31))
    return InspectionScene(plan=plan, item=item, follow_up=follow_up)
