"""The inspections part of the home page: plan items due this month or overdue for the staff of a
committee, and the inspections of a secretary's cell planned soon. Three queries at most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from chibo.core.access import Action, Policy
from chibo.core.dates import add_months
from chibo.inspections.models import InspectionItem, ItemStatus
from chibo.meetings.selectors_home import committee_nodes, secretary_cells

OPEN = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)
SHOWN = 20


@dataclass
class InspectionsHome:
    due: list[InspectionItem]  # of the user's committees: this month's and overdue
    cell: list[InspectionItem]  # of the secretary's cells: planned up to next month

    def __bool__(self) -> bool:
        return bool(self.due or self.cell)


def home(*, policy: Policy, today: dt.date) -> InspectionsHome:
    month = today.replace(day=1)
    orgs = [n.org_id for n in committee_nodes(policy=policy, on=today) if policy.allows(Action.EDIT_MEMBER, org_id=n.org_id, path=n.path)]
    due: list[InspectionItem] = []
    if orgs:
        due = list(
            InspectionItem.objects.filter(plan__org_id__in=orgs, status__in=OPEN, month_from__lte=month)
            .select_related("plan")
            .order_by("month_to", "pk")[:SHOWN]
        )
        for item in due:
            item.overdue = item.month_to < month  # type: ignore[attr-defined]
    cells = [c.org_id for c in secretary_cells(policy=policy, on=today)] if "secretary" in policy.roles() else []
    cell: list[InspectionItem] = []
    if cells:
        cell = list(
            InspectionItem.objects.filter(Q(target_org_id__in=cells), status__in=OPEN, month_from__lte=add_months(month, 1))
            .select_related("plan")
            .order_by("month_from", "pk")[:SHOWN]
        )
    return InspectionsHome(due=due, cell=cell)
