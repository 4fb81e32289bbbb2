"""Transfers are reached through their two organisations: the sending cell and the receiving one.

One narrow rule beyond the global policy: while a member is in transit (letter issued, not yet
received) or away on a temporary transfer, the staff of the receiving side may open the member's
page (read only). The policy itself is not loosened: members.views.detail asks
:func:`member_in_transit_or_404` only after the policy has said no.
"""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.members.models import Member
from chibo.transfers.models import State, Transfer

HOST_STATES = (State.IN_TRANSIT, State.PRESENTED, State.AWAY)


def sides(policy: Policy, transfer: Transfer, action: Action) -> tuple[bool, bool]:
    """Whether the user may ``action`` on the sending side and on the receiving side."""
    on = today()
    sending = transfer.from_org_id is not None and policy.can(action, org_id=transfer.from_org_id, on=on)
    receiving = transfer.to_org_id is not None and policy.can(action, org_id=transfer.to_org_id, on=on)
    return sending, receiving


def transfer_or_404(policy: Policy, transfer_id: int, action: Action = Action.VIEW_MEMBER) -> Transfer:
    transfer = Transfer.objects.filter(pk=transfer_id).select_related("member").first()
    if transfer is None or not any(sides(policy, transfer, action)):
        raise Http404
    return transfer


def member_in_transit_or_404(policy: Policy, member_id: int) -> Member:
    """The member, for the receiving side of a transfer in transit (or a temporary host cell)."""
    for transfer in Transfer.objects.filter(member_id=member_id, state__in=HOST_STATES, to_org__isnull=False).select_related("member"):
        assert transfer.to_org_id is not None
        if transfer.member is not None and policy.can(Action.VIEW_MEMBER, org_id=transfer.to_org_id, on=today()):
            return transfer.member
    raise Http404
