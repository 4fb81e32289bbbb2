"""Admission figures for ``chibo stats --json`` (root keys ``admissions`` and ``villages_without_members``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery

from chibo.admissions.models import AdmissionQuota, Candidate, State
from chibo.admissions.selectors import white_villages
from chibo.core.dates import zone
from chibo.orgs.models import CELL_KINDS, SEGMENT, OrgVersion, path_segment
from chibo.orgs.selectors import versions_on


def topmost_targets(quotas: list[tuple[int, str, int]]) -> int:
    """The sum of the targets ``(org_id, path, target)`` of the topmost organisations that have one: a
    target set on an organisation under another one with a target is part of that one (a commune's
    target covers its cells' targets), so it is not added again."""
    with_target = {path_segment(org_id) for org_id, _path, _t in quotas}
    total = 0
    for _org_id, path, target in quotas:
        above = path[: len(path) - SEGMENT]  # the ancestors' segments
        if not any("/" + seg in above for seg in with_target):
            total += target
    return total


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, int]:
    """Two queries, over the subtree at ``path`` on the tree of ``on``:

    - ``candidates``: candidates of its cells added by ``on`` and neither admitted nor stopped on or
      before it (today: those "in progress", as the committee page counts them);
    - ``admitted``: candidates of its cells whose ceremony was held in ``year``, up to ``on``;
    - ``quota``: the targets of ``year`` set on the organisation and those under it, the topmost
      ones only (``topmost_targets``)."""
    subtree = versions_on(on).filter(path__startswith=path)
    cells = subtree.filter(kind__in=CELL_KINDS).values("org_id")
    next_day = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone())
    row = Candidate.objects.filter(cell_id__in=cells).aggregate(
        candidates=Count(
            "id",
            filter=Q(created_at__lt=next_day)
            & (Q(admitted_on__isnull=True) | Q(admitted_on__gt=on))
            & (Q(stopped_on__isnull=True) | Q(stopped_on__gt=on)),
        ),
        admitted=Count("id", filter=Q(state=State.ADMITTED, admitted_on__year=year, admitted_on__lte=on)),
    )
    org_path = subtree.filter(org_id=OuterRef("org_id")).values("path")[:1]
    quotas = [
        (q["org_id"], q["org_path"], q["target"])
        for q in AdmissionQuota.objects.filter(year=year, org_id__in=subtree.values("org_id"))
        .annotate(org_path=Subquery(org_path))
        .values("org_id", "org_path", "target")
    ]
    return {"candidates": int(row["candidates"] or 0), "admitted": int(row["admitted"] or 0), "quota": topmost_targets(quotas)}


def villages_without_members(*, version: OrgVersion, on: dt.date) -> int:
    """The residential areas of the communes in the subtree with no cell or no member, counted by the
    "white villages" page's own selector (three queries; members counted as that page does, today)."""
    return len(white_villages(version=version, on=on)["flagged"])
