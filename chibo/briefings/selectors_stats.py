"""Briefing figures for `chibo stats --json`: held against planned in a year, over a subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chibo.briefings.models import Briefing, BriefingStatus
from chibo.orgs.selectors import versions_on


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, Any]:
    """``planned``: the briefings of ``year`` planned by committees under ``path`` (tree of ``on``),
    cancelled ones left out; ``held``: those of them held."""
    orgs = versions_on(on).filter(path__startswith=path).values("org_id")
    qs = Briefing.objects.filter(committee_id__in=orgs, year=year).exclude(status=BriefingStatus.CANCELLED)
    return {"planned": qs.count(), "held": qs.filter(status=BriefingStatus.HELD).count()}
