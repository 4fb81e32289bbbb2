"""Scoped reads of transfers: an organisation's incoming and outgoing lists (its subtree), a
transfer's timeline, a member's transfers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from chibo.orgs.models import OrgVersion
from chibo.transfers.models import OPEN_STATES, Transfer, TransferEvent

PAGE_SIZE = 50


def with_names(qs: QuerySet[Transfer], *, on: dt.date) -> QuerySet[Transfer]:
    """Each transfer with ``from_name`` and ``to_name``: its organisations' names on ``on`` (the
    text of an organisation outside chibo otherwise, see the templates)."""
    def name(field: str) -> Subquery:
        return Subquery(OrgVersion.objects.filter(org_id=OuterRef(field), valid_from__lte=on, valid_to__gt=on).values("name")[:1])

    return qs.annotate(from_name=name("from_org_id"), to_name=name("to_org_id"))


def subtree_org_ids(version: OrgVersion, *, on: dt.date) -> QuerySet[OrgVersion, Any]:
    return OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=version.path).values("org_id")


def org_transfers(*, version: OrgVersion, direction: str, on: dt.date) -> QuerySet[Transfer]:
    """Incoming (``direction`` "in": to a cell of the subtree) or outgoing ("out": from one) transfers,
    the open ones first, newest first."""
    orgs = subtree_org_ids(version, on=on)
    qs = Transfer.objects.filter(to_org_id__in=orgs) if direction == "in" else Transfer.objects.filter(from_org_id__in=orgs)
    open_first = Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return with_names(qs, on=on).annotate(open_first=open_first).order_by("open_first", "-pk")


def timeline(transfer: Transfer) -> list[TransferEvent]:
    return list(transfer.events.select_related("actor").order_by("on", "pk"))


def member_transfers(*, member_id: int, on: dt.date, limit: int = 10) -> list[Transfer]:
    return list(with_names(Transfer.objects.filter(member_id=member_id), on=on).order_by("-pk")[:limit])


def name_of(transfer: Transfer, side: str, *, on: dt.date) -> str:
    """The name of one side (``"from"`` or ``"to"``): the cell's name on ``on``, or the outside text."""
    org_id = transfer.from_org_id if side == "from" else transfer.to_org_id
    if org_id is None:
        return transfer.from_text if side == "from" else transfer.to_text
    version = OrgVersion.objects.filter(org_id=org_id, valid_from__lte=on, valid_to__gt=on).first()
    return version.name if version else str(org_id)
