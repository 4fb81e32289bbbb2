"""Who acts on a probation case. Reading: VIEW_MEMBER on the member (the member themselves too).
The vote: EDIT_MEMBER on the member's cell (its secretary, or staff above). The decision: EDIT_MEMBER
on the cell's superior (the committee directly above it, or staff above that): a secretary's grant on
the cell does not answer for the committee. Out of scope answers 404 like missing."""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.members.models import Member
from chibo.probation.services import cell_on, superior_of


def can_vote(policy: Policy, member: Member) -> bool:
    cell = cell_on(member, today())
    return cell is not None and policy.can(Action.EDIT_MEMBER, org_id=cell)


def can_decide(policy: Policy, member: Member) -> bool:
    cell = cell_on(member, today())
    superior = superior_of(cell, today()) if cell is not None else None
    return superior is not None and policy.can(Action.EDIT_MEMBER, org_id=superior)


def decider_or_404(policy: Policy, member_id: int) -> Member:
    member = policy.member_or_404(member_id, Action.VIEW_MEMBER)
    if not can_decide(policy, member):
        raise Http404
    return member
