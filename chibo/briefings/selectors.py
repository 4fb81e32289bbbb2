"""Reads for briefings: who is invited, a committee's year, one briefing's page. Scoped by the callers
(views go through chibo.briefings.access)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from chibo.briefings.models import Briefing, BriefingAttendance, BriefingStatus, InviteRole
from chibo.core.dates import add_months, local_date
from chibo.core.text import sort_key
from chibo.members.models import (
    CommunityKind,
    CommunityPosition,
    Membership,
    Position,
    PositionKind,
)
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.orgs.selectors import versions_on

PERIOD_COUNTS = (1, 2, 3, 4, 6, 12)


def per_year() -> int:
    """How many briefings a committee plans a year (CHIBO_BRIEFING_PER_YEAR; a divisor of 12)."""
    n = int(getattr(settings, "CHIBO_BRIEFING_PER_YEAR", 4))
    return n if n in PERIOD_COUNTS else 4


def period_months(year: int, period: int, n: int) -> tuple[dt.date, dt.date]:
    """The first and the last month (first days) of period ``period`` of ``n`` in ``year``."""
    width = 12 // n
    first = dt.date(year, (period - 1) * width + 1, 1)
    return first, add_months(first, width - 1)


def default_day(year: int, period: int, n: int) -> dt.date:
    """The proposed day of a period's briefing: the 25th of its last month."""
    return period_months(year, period, n)[1].replace(day=25)


def period_label(briefing: Briefing) -> str:
    from django.utils.translation import gettext as _

    n = per_year()
    if n == 4:
        return _("Quý %(n)s năm %(year)s") % {"n": ("I", "II", "III", "IV")[briefing.period - 1], "year": briefing.year}
    if n == 2:
        return _("6 tháng %(which)s năm %(year)s") % {"which": _("đầu") if briefing.period == 1 else _("cuối"), "year": briefing.year}
    return _("Kỳ %(n)s năm %(year)s") % {"n": briefing.period, "year": briefing.year}


def period_phrase(briefing: Briefing) -> str:
    """The period inside a sentence: "quý II năm 2026"."""
    label = period_label(briefing)
    return label[:1].lower() + label[1:]


def is_committee(version: OrgVersion | None) -> bool:
    return version is not None and version.kind not in CELL_KINDS


@dataclass(frozen=True)
class Invitee:
    member_id: int
    cell_id: int
    role: str


def invitees(*, committee_id: int, on: dt.date) -> list[Invitee]:
    """The secretaries of the cells under the committee on ``on``, and the village heads whose record
    is in one of those cells that day (a secretary who heads the village is one person, role "both")."""
    version = versions_on(on).filter(org_id=committee_id).first()
    if version is None:
        return []
    cells = list(versions_on(on).filter(path__startswith=version.path, kind__in=CELL_KINDS).values_list("org_id", flat=True))
    secretaries = dict(
        Position.objects.filter(kind=PositionKind.SECRETARY, org_id__in=cells, valid_from__lte=on, valid_to__gt=on).values_list("member_id", "org_id")
    )
    heads_ids = CommunityPosition.objects.filter(kind=CommunityKind.VILLAGE_HEAD, valid_from__lte=on, valid_to__gt=on).values("member_id")
    heads = dict(
        Membership.objects.filter(member_id__in=heads_ids, org_id__in=cells, valid_from__lte=on, valid_to__gt=on).values_list("member_id", "org_id")
    )
    out = []
    for member_id in sorted(set(secretaries) | set(heads)):
        if member_id in secretaries and member_id in heads:
            out.append(Invitee(member_id, secretaries[member_id], InviteRole.BOTH))
        elif member_id in secretaries:
            out.append(Invitee(member_id, secretaries[member_id], InviteRole.SECRETARY))
        else:
            out.append(Invitee(member_id, heads[member_id], InviteRole.VILLAGE_HEAD))
    return out


def briefing_day(briefing: Briefing) -> dt.date:
    return local_date(briefing.starts_at)


@dataclass
class YearView:
    year: int
    briefings: list[Briefing]
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    overdue: list[Briefing] = field(default_factory=list)


def committee_year(*, committee_id: int, year: int, today: dt.date) -> YearView:
    """A committee's briefings of the year, with counts (2 queries whatever the number of briefings)."""
    from django.db.models import Count, Q

    rows: list[Briefing] = list(
        Briefing.objects.filter(committee_id=committee_id, year=year)
        .annotate(n_invited=Count("attendance", distinct=True), n_present=Count("attendance", filter=Q(attendance__status="present"), distinct=True))
        .order_by("starts_at", "pk")
    )
    view = YearView(year=year, briefings=list(rows))
    for b in rows:
        if b.status == BriefingStatus.HELD:
            view.held += 1
        elif b.status == BriefingStatus.CANCELLED:
            view.cancelled += 1
        else:
            view.planned += 1
            if briefing_day(b) < today:
                view.overdue.append(b)
    return view


def cell_briefings(*, cell_id: int, year: int) -> QuerySet[Briefing]:
    """The briefings a cell's people are invited to in ``year``."""
    ids = BriefingAttendance.objects.filter(cell_id=cell_id).values("briefing_id")
    return Briefing.objects.filter(pk__in=ids, year=year).order_by("starts_at", "pk")


@dataclass
class AttendanceRow:
    row: BriefingAttendance
    cell_name: str


def attendance_rows(briefing: Briefing) -> list[AttendanceRow]:
    """The attendance list in Vietnamese name order with each cell's name on the briefing day."""
    day = briefing_day(briefing)
    rows = list(BriefingAttendance.objects.filter(briefing=briefing).select_related("member"))
    names = dict(versions_on(day).filter(org_id__in={r.cell_id for r in rows}).values_list("org_id", "name"))
    out = [AttendanceRow(r, names.get(r.cell_id, "")) for r in rows]
    out.sort(key=lambda a: (sort_key(a.row.member.given_name), sort_key(a.row.member.full_name), a.row.member_id))
    return out


def detail(briefing: Briefing) -> dict[str, Any]:
    day = briefing_day(briefing)
    rows = attendance_rows(briefing)
    issues = list(briefing.issues.select_related("owner"))
    cell_names = dict(versions_on(day).filter(org_id__in={i.cell_id for i in issues if i.cell_id}).values_list("org_id", "name"))
    for issue in issues:
        issue.cell_name = cell_names.get(issue.cell_id or 0, "")  # type: ignore[attr-defined]
    counts: dict[str, int] = defaultdict(int)
    for a in rows:
        counts[a.row.status or "unmarked"] += 1
    return {"items": list(briefing.items.all()), "rows": rows, "issues": issues, "counts": dict(counts), "day": day}


def cells_under(*, committee_id: int, on: dt.date) -> list[OrgVersion]:
    version = versions_on(on).filter(org_id=committee_id).first()
    if version is None:
        return []
    cells = list(versions_on(on).filter(path__startswith=version.path, kind__in=CELL_KINDS))
    cells.sort(key=lambda v: sort_key(v.name))
    return cells


def member_in_subtree(*, member_id: int, committee_id: int, on: dt.date) -> bool:
    cells = [c.org_id for c in cells_under(committee_id=committee_id, on=on)]
    return Membership.objects.filter(member_id=member_id, org_id__in=cells, valid_from__lte=on, valid_to__gt=on).exists()


def member_cell(*, member_id: int | None, on: dt.date) -> int | None:
    """The cell the member belongs to on ``on`` (None when in none)."""
    if not member_id:
        return None
    row = Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).order_by("-valid_from").values_list("org_id", flat=True).first()
    return int(row) if row else None
