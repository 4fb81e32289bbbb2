"""Transfer figures for ``chibo stats --json`` (root key ``transfers``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from chibo.orgs.selectors import versions_on
from chibo.transfers.models import Kind, Transfer


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, int]:
    """Official transfers (a temporary one never moves the member's record) touching the subtree at
    ``path`` on the tree of ``on``, one query:

    - ``in_transit``: the letter issued on or before ``on``, not received (nor recorded as left chibo)
      nor cancelled by then, with the sending or the receiving cell in the subtree (counted once when
      both are);
    - ``incoming``: received in ``year`` up to ``on`` at a cell of the subtree from a cell outside it
      or from outside chibo;
    - ``outgoing``: received in ``year`` up to ``on`` at a cell outside the subtree, or recorded as
      left for an organisation outside chibo, from a cell of the subtree.
    A move between two cells of the subtree is neither incoming nor outgoing (it is both for each
    cell's own figures); the transfer pages list it on both sides."""
    orgs = versions_on(on).filter(path__startswith=path).values("org_id")
    into, out_of = Q(to_org_id__in=orgs), Q(from_org_id__in=orgs)
    done = Q(received_on__year=year, received_on__lte=on)
    row = Transfer.objects.filter(Q(kind=Kind.OFFICIAL) & (into | out_of)).aggregate(
        in_transit=Count(
            "id",
            filter=Q(letter_on__lte=on)
            & (Q(received_on__isnull=True) | Q(received_on__gt=on))
            & (Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=on)),
        ),
        incoming=Count("id", filter=done & into & (Q(from_org_id__isnull=True) | ~Q(from_org_id__in=orgs))),
        outgoing=Count("id", filter=done & out_of & (Q(to_org_id__isnull=True) | ~Q(to_org_id__in=orgs))),
    )
    return {k: int(row[k] or 0) for k in ("in_transit", "incoming", "outgoing")}
