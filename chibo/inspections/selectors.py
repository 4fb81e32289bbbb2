"""Reads for inspection plans: a plan's items, the completion rate over a subtree with drill-down by
child organisation, and what concerns one cell. Scoped by the callers (views use chibo.inspections.access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from chibo.core.text import sort_key
from chibo.inspections.models import (
    FollowUp,
    InspectionItem,
    InspectionPlan,
    ItemStatus,
)
from chibo.members.models import Membership
from chibo.orgs.models import SEGMENT, OrgVersion
from chibo.orgs.selectors import versions_on


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass
class Rate:
    """Items of plans (cancelled ones left out): all of them, those whose last planned month has
    passed ("due"), and how many of each are done."""

    total: int = 0
    done: int = 0
    due: int = 0
    due_done: int = 0

    def add(self, status: str, month_to: dt.date, *, this_month: dt.date) -> None:
        if status == ItemStatus.CANCELLED:
            return
        is_done = status == ItemStatus.DONE
        self.total += 1
        self.done += is_done
        if month_to < this_month:
            self.due += 1
            self.due_done += is_done

    @property
    def due_percent(self) -> int | None:
        return round(100 * self.due_done / self.due) if self.due else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def plan_rate(plan: InspectionPlan, *, today: dt.date) -> Rate:
    rate = Rate()
    for status, month_to in plan.items.values_list("status", "month_to"):
        rate.add(status, month_to, this_month=first_of_month(today))
    return rate


@dataclass
class RateRow:
    version: OrgVersion
    rate: Rate


@dataclass
class SubtreeRates:
    total: Rate
    own: Rate
    children: list[RateRow] = field(default_factory=list)


def subtree_rates(*, version: OrgVersion, year: int, on: dt.date, today: dt.date) -> SubtreeRates:
    """The completion of every plan of ``year`` made by an organisation in the subtree (tree of ``on``),
    in total, for the node's own plan, and by child (2 queries whatever the size of the tree): the items
    are counted in SQL, grouped by the plan organisation's path cut to the child's width."""
    width = len(version.path) + SEGMENT  # the path of a child: the node's path and one segment
    children = sorted(versions_on(on).filter(parent_id=version.org_id), key=lambda v: sort_key(v.name))
    this_month = first_of_month(today)
    live = ~Q(status=ItemStatus.CANCELLED)
    done = live & Q(status=ItemStatus.DONE)
    due = Q(month_to__lt=this_month)
    groups = (
        InspectionItem.objects.filter(
            plan__year=year,
            plan__org__versions__valid_from__lte=on,
            plan__org__versions__valid_to__gt=on,
            plan__org__versions__path__startswith=version.path,
        )
        .annotate(branch=Substr("plan__org__versions__path", 1, width))
        .values("branch")
        .annotate(
            total=Count("pk", filter=live),
            done=Count("pk", filter=done),
            due=Count("pk", filter=live & due),
            due_done=Count("pk", filter=done & due),
        )
        .order_by()
    )
    by_child: dict[int, Rate] = {}
    out = SubtreeRates(total=Rate(), own=Rate())
    for row in groups:
        branch = row["branch"]
        own = branch == version.path  # the node's own plan; otherwise the branch is a child's path
        for rate in (out.total, out.own if own else by_child.setdefault(int(branch[-SEGMENT:-1]), Rate())):
            for name in ("total", "done", "due", "due_done"):
                setattr(rate, name, getattr(rate, name) + row[name])
    out.children = [RateRow(v, by_child.get(v.org_id, Rate())) for v in children]
    return out


def plan_items(plan: InspectionPlan) -> list[InspectionItem]:
    items = list(plan.items.select_related("target_member").order_by("month_from", "pk"))
    names = dict(versions_on(dt.date(plan.year, 12, 31)).filter(org_id__in={i.target_org_id for i in items}).values_list("org_id", "name"))
    fallback = dict(OrgVersion.objects.filter(org_id__in={i.target_org_id for i in items} - set(names)).order_by("valid_from").values_list("org_id", "name"))
    for item in items:
        item.target_name = names.get(item.target_org_id) or fallback.get(item.target_org_id, "")  # type: ignore[attr-defined]
    return items


def target_name(item: InspectionItem) -> str:
    version = OrgVersion.objects.filter(org_id=item.target_org_id).order_by("-valid_from").first()
    return version.name if version else ""


def in_subtree(*, root_id: int, org_id: int, on: dt.date) -> bool:
    root = versions_on(on).filter(org_id=root_id).first()
    return root is not None and versions_on(on).filter(org_id=org_id, path__startswith=root.path).exists()


def member_org_on(member_id: int, on: dt.date) -> int | None:
    return Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True).first()


def follow_ups(item: InspectionItem) -> QuerySet[FollowUp]:
    return item.follow_ups.select_related("responsible", "task").order_by("due_on", "pk")
