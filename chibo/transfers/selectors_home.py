"""The transfers part of the home page, for secretaries and staff: members to receive, letters to
issue and temporary transfers past their end, in the user's scope. Three queries at most; none for
a member or an outsider without such grants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chibo.core.access import Action, Policy
from chibo.transfers.models import Kind, State, Transfer
from chibo.transfers.selectors import with_names

SHOWN = 10


@dataclass
class TransfersHome:
    to_receive: list[Transfer] = field(default_factory=list)
    to_issue: list[Transfer] = field(default_factory=list)
    overdue_returns: list[Transfer] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.to_receive or self.to_issue or self.overdue_returns)


def home(*, policy: Policy, today: dt.date) -> TransfersHome:
    if not policy.roles() & {"secretary", "staff", "admin"}:
        return TransfersHome()
    scope = policy.versions(on=today, action=Action.EDIT_MEMBER).values("org_id")
    base = with_names(Transfer.objects.all(), on=today)
    to_receive = list(base.filter(to_org_id__in=scope, state__in=[State.IN_TRANSIT, State.PRESENTED]).order_by("present_due", "pk")[:SHOWN])
    to_issue = list(base.filter(from_org_id__in=scope, state=State.DECIDED).order_by("letter_due", "pk")[:SHOWN])
    overdue = list(base.filter(from_org_id__in=scope, kind=Kind.TEMPORARY, state=State.AWAY, ends_on__lt=today).order_by("ends_on", "pk")[:SHOWN])
    for t in to_receive:
        t.late = bool(t.present_due and t.state == State.IN_TRANSIT and t.present_due < today)  # type: ignore[attr-defined]
    for t in to_issue:
        t.late = bool(t.letter_due and t.letter_due < today)  # type: ignore[attr-defined]
    return TransfersHome(to_receive=to_receive, to_issue=to_issue, overdue_returns=overdue)
