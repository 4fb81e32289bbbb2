"""The dues part of the home page: the member's own dues (what I owe, my latest receipts) and, for a
secretary, the members of their cells in arrears and this month's collection. Five queries at most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from chibo.core.access import Policy
from chibo.dues.models import DuesMonth, Receipt
from chibo.meetings.selectors_home import secretary_cells

SHOWN = 10


@dataclass
class CellPart:
    org_id: int
    name: str
    collected: int = 0
    receipts: int = 0
    in_arrears: list[tuple[int, str, int]] = field(default_factory=list)  # (member id, name, months)


@dataclass
class DuesHome:
    member_id: int | None = None
    owing_months: int = 0
    owing_vnd: int = 0
    receipts: list[Receipt] = field(default_factory=list)
    cells: list[CellPart] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.owing_months or self.receipts or self.cells)


def _unpaid(on: dt.date) -> Q:
    return Q(amount_vnd__gt=0, receipt__isnull=True)


def home(*, policy: Policy, today: dt.date) -> DuesHome:
    month = today.replace(day=1)
    out = DuesHome(member_id=policy.member_id)
    if policy.member_id:
        agg = DuesMonth.objects.filter(_unpaid(today), member_id=policy.member_id, month__lte=month).aggregate(n=Count("id"), v=Sum("amount_vnd"))
        out.owing_months, out.owing_vnd = agg["n"] or 0, agg["v"] or 0
        out.receipts = list(Receipt.objects.filter(member_id=policy.member_id).order_by("-paid_on", "-id")[:3])
    if "secretary" in policy.roles():
        cells = list(secretary_cells(policy=policy, on=today)[:5])
        if cells:
            ids = [c.org_id for c in cells]
            parts = {c.org_id: CellPart(org_id=c.org_id, name=c.name) for c in cells}
            for r in Receipt.objects.filter(cell_id__in=ids, paid_on__gte=month, paid_on__lte=today).values("cell_id").annotate(n=Count("id"), v=Sum("amount_vnd")):
                parts[r["cell_id"]].collected, parts[r["cell_id"]].receipts = r["v"] or 0, r["n"]
            late = (
                DuesMonth.objects.filter(_unpaid(today), month__lt=month, member__memberships__org_id__in=ids,
                                         member__memberships__valid_from__lte=today, member__memberships__valid_to__gt=today)
                .values("member__memberships__org_id", "member_id", "member__full_name").annotate(n=Count("id"))
                .order_by("-n", "member__full_name")[: SHOWN * len(ids)]
            )  # fmt: skip
            for row in late:
                part = parts[row["member__memberships__org_id"]]
                if len(part.in_arrears) < SHOWN:
                    part.in_arrears.append((row["member_id"], row["member__full_name"], row["n"]))
            out.cells = list(parts.values())
    return out
