"""Inspection figures for `chibo stats --json`: plan items done against planned, over a subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chibo.inspections.models import InspectionItem, ItemStatus
from chibo.orgs.selectors import versions_on


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, Any]:
    """``planned``: the items of ``year``'s plans made by organisations under ``path`` (tree of
    ``on``), cancelled ones left out; ``done``: those of them done."""
    orgs = versions_on(on).filter(path__startswith=path).values("org_id")
    qs = InspectionItem.objects.filter(plan__org_id__in=orgs, plan__year=year).exclude(status=ItemStatus.CANCELLED)
    return {"planned": qs.count(), "done": qs.filter(status=ItemStatus.DONE).count()}
