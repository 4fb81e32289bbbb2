"""Reads over the organisation tree. Every function takes the date it answers for."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import Substr

from chibo.core.access import Action, Policy
from chibo.members.models import (
    ACTIVE_STATUSES,
    CommunityPosition,
    Membership,
    Position,
    PositionKind,
    Status,
)
from chibo.members.selectors import HEAD_KINDS, same_area
from chibo.orgs.models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    SEGMENT,
    Organisation,
    OrgKind,
    OrgVersion,
    Sector,
)


def org_by_ref(ref: str) -> Organisation | None:
    """An organisation by its code, or by its id when no code matches (codes may be all digits)."""
    ref = ref.strip()
    org = Organisation.objects.filter(code=ref).first()
    if org is None and ref.isascii() and ref.isdigit() and len(ref) <= 18:
        org = Organisation.objects.filter(pk=int(ref)).first()
    return org


def versions_on(on: dt.date) -> QuerySet[OrgVersion]:
    return OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on)


def ancestors(version: OrgVersion, *, on: dt.date) -> list[OrgVersion]:
    """The chain from the root down to the parent of ``version``, as of ``on``."""
    ids = [int(seg) for seg in version.path.strip("/").split("/")[:-1]]
    found = {v.org_id: v for v in versions_on(on).filter(org_id__in=ids)}
    return [found[i] for i in ids if i in found]


def memberships_on(on: dt.date) -> QuerySet[Membership]:
    """Memberships valid on ``on``, with the member's status (``st``) and the cell's version (``ver``) of that day."""
    return (
        Membership.objects.filter(valid_from__lte=on, valid_to__gt=on)
        .annotate(
            ver=FilteredRelation(
                "org__versions",
                condition=Q(org__versions__valid_from__lte=on, org__versions__valid_to__gt=on),
            ),
            st=FilteredRelation(
                "member__status_periods",
                condition=Q(member__status_periods__valid_from__lte=on, member__status_periods__valid_to__gt=on),
            ),
        )
    )


@dataclass
class Counts:
    cells: int = 0
    members: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _branch_counts(*, path: str, on: dt.date) -> dict[str, Counts]:
    """Counts for each child branch of the node at ``path`` (key: the child's path; the node itself: ``path``)."""
    width = len(path) + SEGMENT
    out: dict[str, Counts] = defaultdict(Counts)
    cells = (
        versions_on(on)
        .filter(path__startswith=path, kind__in=CELL_KINDS)
        .annotate(branch=Substr("path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
    )
    for row in cells:
        out[row["branch"]].cells = row["n"]
    for branch, status, n in member_counts_by_branch(path=path, on=on, width=width):
        counts = out[branch]
        status = status or ""
        counts.by_status[status] = counts.by_status.get(status, 0) + n
        if status in ACTIVE_STATUSES:
            counts.members += n
    return out


# Member counts under a node on a date, grouped by branch and status. Hand-written because the ORM
# can only reach the version and status rows of the day through the organisation and member tables,
# and those two extra joins cost ~40% at province scale (docs/benchmarks.md). Portable SQL: the
# same text runs on SQLite and PostgreSQL; paths hold only digits and "/", so LIKE needs no escaping.
_MEMBER_COUNTS_SQL = """
SELECT SUBSTR(v.path, 1, %s) AS branch, s.status, COUNT(*)
FROM members_membership m
JOIN orgs_orgversion v ON v.org_id = m.org_id AND v.valid_from <= %s AND v.valid_to > %s
JOIN members_statusperiod s ON s.member_id = m.member_id AND s.valid_from <= %s AND s.valid_to > %s
WHERE m.valid_from <= %s AND m.valid_to > %s AND v.path LIKE %s
GROUP BY SUBSTR(v.path, 1, %s), s.status
"""


def member_counts_by_branch(*, path: str, on: dt.date, width: int) -> list[tuple[str, str, int]]:
    """(branch path prefix of ``width`` characters, status, count) for memberships under ``path`` on ``on``."""
    if not set(path) <= set("0123456789/"):
        raise ValueError("not an organisation path")
    with connection.cursor() as cursor:
        cursor.execute(_MEMBER_COUNTS_SQL, [width, on, on, on, on, on, on, path + "%", width])
        return [(branch, status, int(n)) for branch, status, n in cursor.fetchall()]


@dataclass
class Node:
    version: OrgVersion
    counts: Counts


def children_with_counts(*, policy: Policy, version: OrgVersion, on: dt.date) -> tuple[Counts, list[Node]]:
    """The node's own subtree counts and its visible children with theirs, in three queries."""
    children = list(
        policy.versions(on=on, action=Action.VIEW_ORG).filter(parent_id=version.org_id).order_by("name")
    )
    branches = _branch_counts(path=version.path, on=on)
    total = Counts()
    for counts in branches.values():
        total.cells += counts.cells
        total.members += counts.members
        for status, n in counts.by_status.items():
            total.by_status[status] = total.by_status.get(status, 0) + n
    nodes = [Node(version=child, counts=branches.get(child.path, Counts())) for child in children]
    return total, nodes


def org_stats(*, version: OrgVersion, on: dt.date) -> dict[str, Any]:
    """The figures of ``chibo stats``: structure and members under the node, as of ``on``."""
    below = versions_on(on).filter(path__startswith=version.path).exclude(pk=version.pk)
    org_counts = below.aggregate(
        directly_subordinate_committees=Count("id", filter=Q(kind=OrgKind.DIRECT)),
        grassroots_organisations=Count("id", filter=Q(kind__in=GRASSROOTS_KINDS)),
        grassroots_committees=Count("id", filter=Q(kind=OrgKind.GRASSROOTS_COMMITTEE)),
        grassroots_cells=Count("id", filter=Q(kind=OrgKind.GRASSROOTS_CELL)),
        partial_committees=Count("id", filter=Q(kind=OrgKind.PARTIAL_COMMITTEE)),
        cells=Count("id", filter=Q(kind=OrgKind.CELL)),
        residential_cells=Count("id", filter=Q(kind=OrgKind.CELL, sector=Sector.RESIDENTIAL)),
        commune_committees=Count("id", filter=~Q(admin_unit="") & ~Q(kind__in=CELL_KINDS)),
    )
    by_status: dict[str, int] = {}
    # A width of 0 puts every row in one branch: the node's whole subtree.
    for _branch, status, n in member_counts_by_branch(path=version.path, on=on, width=0):
        by_status[status or ""] = by_status.get(status or "", 0) + n
    members = sum(n for s, n in by_status.items() if s in ACTIVE_STATUSES)
    return {
        "org": {"id": version.org_id, "name": version.name, "kind": version.kind},
        "as_of": on.isoformat(),
        **org_counts,
        "members": members,
        "members_by_status": dict(sorted(by_status.items())),
        "cells_below_official_minimum": cells_below_official_minimum(version=version, on=on),
        "secretaries_also_village_heads": secretaries_also_village_heads(path=version.path, on=on),
    }


# Cells under a node, other than the node itself, with at least %s official members on a date.
# Official: status official, or exempted / temporarily away once their official date has come
# (chibo.members.selectors.official_member_count, the same rule for one cell). Portable SQL.
_CELLS_WITH_MINIMUM_SQL = """
SELECT COUNT(*) FROM (
  SELECT m.org_id
  FROM members_membership m
  JOIN orgs_orgversion v ON v.org_id = m.org_id AND v.valid_from <= %s AND v.valid_to > %s
  JOIN members_statusperiod s ON s.member_id = m.member_id AND s.valid_from <= %s AND s.valid_to > %s
  JOIN members_member p ON p.id = m.member_id
  WHERE m.valid_from <= %s AND m.valid_to > %s AND v.path LIKE %s AND v.org_id <> %s
    AND v.kind IN (%s, %s)
    AND (s.status = %s OR (s.status IN (%s, %s) AND p.official_on <= %s))
  GROUP BY m.org_id
  HAVING COUNT(DISTINCT m.member_id) >= %s
) enough
"""


def cells_below_official_minimum(*, version: OrgVersion, on: dt.date) -> int:
    """Cells under ``version`` (not itself) with fewer official members than a cell needs (Charter Art. 21, 24)."""
    if not set(version.path) <= set("0123456789/"):
        raise ValueError("not an organisation path")
    cells = versions_on(on).filter(path__startswith=version.path, kind__in=CELL_KINDS).exclude(pk=version.pk).count()
    if not cells:
        return 0
    params: list[Any] = [
        on, on, on, on, on, on, version.path + "%", version.org_id,
        *[str(k) for k in CELL_KINDS],
        str(Status.OFFICIAL), str(Status.EXEMPTED), str(Status.TEMP_OUT), on,
        settings.CHIBO_CELL_MIN_OFFICIAL,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_CELLS_WITH_MINIMUM_SQL, params)
        (enough,) = cursor.fetchone()
    return cells - int(enough)


def secretaries_also_village_heads(*, path: str, on: dt.date) -> int:
    """Secretaries of residential cells under ``path`` who head (village head, or head of the Front work
    committee) the very residential area their cell serves, as of ``on``. Heading another village does
    not count; names are compared folded (diacritics, đ, case and spacing ignored)."""
    areas = dict(
        versions_on(on)
        .filter(path__startswith=path, kind__in=CELL_KINDS, sector=Sector.RESIDENTIAL)
        .values_list("org_id", "area_name")
    )
    secretaries: dict[int, list[str]] = defaultdict(list)
    for member_id, org_id in Position.objects.filter(
        kind=PositionKind.SECRETARY, valid_from__lte=on, valid_to__gt=on, org_id__in=list(areas)
    ).values_list("member_id", "org_id"):
        secretaries[member_id].append(areas[org_id])
    headed = CommunityPosition.objects.filter(
        member_id__in=list(secretaries), kind__in=HEAD_KINDS, valid_from__lte=on, valid_to__gt=on
    ).values_list("member_id", "area_name")
    return len({member_id for member_id, area in headed if any(same_area(area, a) for a in secretaries[member_id])})
