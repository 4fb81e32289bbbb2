"""The briefings part of the home page: a committee's next briefing and overdue planned ones (its
staff), and the next briefing a secretary or village head is invited to. Three queries at most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from chibo.briefings.models import Briefing, BriefingAttendance, BriefingStatus
from chibo.core.access import Action, Policy
from chibo.core.dates import local_date
from chibo.meetings.selectors_home import committee_nodes
from chibo.orgs.models import OrgVersion


@dataclass
class CommitteeBriefings:
    node: OrgVersion
    next: Briefing | None = None
    overdue: list[Briefing] = field(default_factory=list)


@dataclass
class BriefingsHome:
    committees: list[CommitteeBriefings]
    invited: list[BriefingAttendance]

    def __bool__(self) -> bool:
        return bool(self.committees or self.invited)


def home(*, policy: Policy, today: dt.date) -> BriefingsHome:
    nodes = [n for n in committee_nodes(policy=policy, on=today) if policy.allows(Action.EDIT_MEMBER, org_id=n.org_id, path=n.path)]
    parts = {n.org_id: CommitteeBriefings(node=n) for n in nodes}
    if parts:
        rows = Briefing.objects.filter(committee_id__in=list(parts), status=BriefingStatus.PLANNED, year__gte=today.year - 1, year__lte=today.year + 1).order_by("starts_at", "pk")
        for b in rows:
            part = parts[b.committee_id]
            if local_date(b.starts_at) < today:
                part.overdue.append(b)
            elif part.next is None:
                part.next = b
    invited: list[BriefingAttendance] = []
    if policy.member_id:
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        invited = list(
            BriefingAttendance.objects.filter(member_id=policy.member_id, briefing__status=BriefingStatus.PLANNED, briefing__starts_at__gte=start)
            .select_related("briefing")
            .order_by("briefing__starts_at")[:1]
        )
    return BriefingsHome(committees=[p for p in parts.values() if p.next or p.overdue], invited=invited)
