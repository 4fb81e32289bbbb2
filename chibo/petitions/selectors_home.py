"""The petitions part of the home page (three queries at most, none per row).

- The people handling petitions (exact staff or secretary grants on a committee): what waits at
  their level, the overdue first, and how many are overdue.
- A cell's secretary (a secretary grant on the cell itself): answers to read out at the next meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from chibo.core.access import Policy
from chibo.petitions import access
from chibo.petitions.models import HELD, Petition, Status
from chibo.petitions.selectors import Row, rows_for

SHOWN = 5


@dataclass
class PetitionsHome:
    waiting: list[Row] = field(default_factory=list)
    waiting_count: int = 0
    overdue_count: int = 0
    to_read_out: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.waiting_count or self.to_read_out)


def petitions_home(*, policy: Policy, on: dt.date) -> PetitionsHome:
    home = PetitionsHome()
    if not getattr(policy.user, "is_authenticated", False):
        return home
    handled = sorted(access.handled_org_ids(policy))
    cells = sorted({org_id for role, org_id in policy._grants if role == "secretary" and org_id is not None})
    if handled:
        held = Petition.objects.filter(status__in=HELD, holder_id__in=handled)
        figures = held.aggregate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=on)))
        home.waiting_count, home.overdue_count = figures["n"] or 0, figures["late"] or 0
        if home.waiting_count:
            home.waiting = rows_for(list(held.order_by("deadline", "pk")[:SHOWN]), on)
    if cells:
        answered = Petition.objects.filter(org_id__in=cells, status=Status.ANSWERED, read_out_at__isnull=True).order_by("answered_at", "pk")
        home.to_read_out = rows_for(list(answered[: SHOWN * 4]), on)
    return home
