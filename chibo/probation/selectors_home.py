"""The probation part of the home page: for a secretary, the probationers of their cells whose
probation ends within the reminder period or has ended and who wait for the cell's vote; for
committee staff, the cases waiting for a decision in their subtree (voted, escalated). A few queries,
none per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from chibo.core.access import Action, Policy
from chibo.core.models import OPEN
from chibo.meetings.selectors_home import committee_nodes, secretary_cells
from chibo.members.models import Membership
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.probation import selectors as sel
from chibo.probation.models import AWAITING_DECISION

SHOWN = 20
VOTE_STEPS = ("upcoming", "due", "vote_overdue")


@dataclass
class ProbationHome:
    to_vote: list[sel.Row]  # the secretary's cells
    to_decide: list[sel.Row]  # the committees' subtrees: voted or escalated
    committee_id: int | None = None

    def __bool__(self) -> bool:
        return bool(self.to_vote or self.to_decide)


def home(*, policy: Policy, today: dt.date) -> ProbationHome:
    to_vote: list[sel.Row] = []
    if "secretary" in policy.roles():
        cells = [c.org_id for c in secretary_cells(policy=policy, on=today)]
        if cells:
            to_vote = [r for r in sel.rows_under(org_ids=cells, today=today) if r.step in VOTE_STEPS][:SHOWN]
    to_decide: list[sel.Row] = []
    committee_id = None
    if policy.roles() & {"admin", "staff"}:
        nodes = [n for n in committee_nodes(policy=policy, on=today) if policy.allows(Action.EDIT_MEMBER, org_id=n.org_id, path=n.path)]
        if nodes:
            committee_id = nodes[0].org_id
            under = Q(pk__in=[])
            for n in nodes:
                under |= Q(path__startswith=n.path)
            subtree = OrgVersion.objects.filter(under, valid_from__lte=today, valid_to__gt=today, kind__in=CELL_KINDS).values("org_id")
            found = (
                Membership.objects.filter(valid_to=OPEN, org_id__in=subtree, member__probation_case__state__in=AWAITING_DECISION)
                .select_related("member", "member__probation_case")
                .order_by("member__probation_case__referred_on", "member_id")[:SHOWN]
            )
            to_decide = sel.rows_of(list(found), today=today)
    return ProbationHome(to_vote=to_vote, to_decide=to_decide, committee_id=committee_id)

