"""The residence part of the home page: for the secretary of a residence cell, the registered
members not met this half-year and the comments due this year; for the secretary of a work cell, the
comments received this year. Three queries at most, none per cell or member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from chibo.core.access import Policy
from chibo.meetings.selectors_home import secretary_cells
from chibo.members.models import Membership
from chibo.orgs.models import OrgVersion, Sector
from chibo.residence import selectors as sel
from chibo.residence.models import Registration, ResidenceComment

SHOWN = 10


@dataclass
class CellDue:
    version: OrgVersion
    registered: int
    not_met: int
    comments_due: int


@dataclass
class ResidenceHome:
    cells: list[CellDue] = field(default_factory=list)  # residence cells with something to do
    received: list[ResidenceComment] = field(default_factory=list)  # this year's, newest first
    work_cells: list[OrgVersion] = field(default_factory=list)
    half: str = ""

    def __bool__(self) -> bool:
        return bool(self.cells or self.received)


def home(*, policy: Policy, today: dt.date) -> ResidenceHome:
    if "secretary" not in policy.roles():
        return ResidenceHome()
    cells = list(secretary_cells(policy=policy, on=today))
    out = ResidenceHome(half=sel.half_year_label(today))
    residence = {c.org_id: c for c in cells if c.sector == Sector.RESIDENTIAL}
    out.work_cells = [c for c in cells if c.sector != Sector.RESIDENTIAL]
    if residence:
        start, _end = sel.half_year(today)
        rows = (
            Registration.objects.filter(sel.open_on(today), residence_org_id__in=list(residence))
            .annotate(met=sel.met_since(start, today), commented=sel.has_comment(today.year))
            .values("residence_org_id")
            .annotate(n=Count("id"), not_met=Count("id", filter=Q(met=False)), due=Count("id", filter=Q(exemption="", commented=False)))
        )
        for row in rows:
            if row["not_met"] or row["due"]:
                out.cells.append(CellDue(version=residence[row["residence_org_id"]], registered=row["n"], not_met=row["not_met"], comments_due=row["due"]))
    if out.work_cells:
        members = Membership.objects.filter(valid_from__lte=today, valid_to__gt=today, org_id__in=[c.org_id for c in out.work_cells]).values("member_id")
        out.received = list(
            ResidenceComment.objects.filter(year=today.year, registration__member_id__in=members)
            .select_related("registration__member").order_by("-commented_on", "-pk")[:SHOWN]
        )  # fmt: skip
    return out
