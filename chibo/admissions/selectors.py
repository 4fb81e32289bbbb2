"""Reads of admissions, always through an organisation the caller's policy allowed (views.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from chibo.admissions.models import (
    STEPS,
    AdmissionQuota,
    AdmissionStep,
    Candidate,
    ResidentialArea,
    Source,
    State,
    StepKind,
)
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.members.models import ACTIVE_STATUSES, Membership
from chibo.orgs.models import CELL_KINDS, OrgVersion, path_segment
from chibo.orgs.selectors import versions_on


def subtree_versions(version: OrgVersion, on: dt.date) -> QuerySet[OrgVersion]:
    return versions_on(on).filter(path__contains="/" + path_segment(version.org_id))


def subtree_cells(version: OrgVersion, on: dt.date) -> QuerySet[OrgVersion]:
    return subtree_versions(version, on).filter(kind__in=CELL_KINDS)


def cell_candidates(*, cell_id: int) -> QuerySet[Candidate]:
    """The cell's candidates, those in progress first (by current step, furthest first), then the others."""
    return Candidate.objects.filter(cell_id=cell_id).order_by("state", "-step_done", "name_folded", "pk")


def candidate_steps(candidate: Candidate) -> list[AdmissionStep]:
    return list(AdmissionStep.objects.filter(candidate=candidate).prefetch_related("introducers__member").order_by("on", "pk"))


@dataclass
class SourceRow:
    source: str
    label: str
    in_progress: int = 0
    admitted: int = 0


@dataclass
class QuotaRow:
    quota: AdmissionQuota
    name: str
    admitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.admitted / self.quota.target) if self.quota.target else 0


@dataclass
class Summary:
    year: int
    by_step: list[tuple[str, str, int]]  # (kind, label, candidates waiting for it)
    by_source: list[SourceRow]
    in_progress: int
    admitted: int
    own_quota: QuotaRow | None
    quotas: list[QuotaRow] = field(default_factory=list)


def committee_summary(*, version: OrgVersion, year: int, on: dt.date) -> Summary:
    """Candidates at each step, admitted in ``year`` against the quotas, by source, over the subtree on
    today's tree (three queries)."""
    cells = subtree_cells(version, on).values("org_id")
    path = versions_on(on).filter(org_id=OuterRef("cell_id")).values("path")[:1]
    rows = list(
        Candidate.objects.filter(cell_id__in=cells)
        .filter(Q(state=State.IN_PROGRESS) | Q(state=State.ADMITTED, admitted_on__year=year))
        .annotate(cell_path=Subquery(path))
        .values("state", "source", "step_done", "cell_path")
        .annotate(n=Count("id"))
    )
    waiting = [0] * len(STEPS)
    sources = {s: SourceRow(s, str(label)) for s, label in Source.choices}
    admitted_paths: list[tuple[str, int]] = []
    for r in rows:
        if r["state"] == State.IN_PROGRESS:
            waiting[min(r["step_done"], len(STEPS) - 1)] += r["n"]
            sources[r["source"]].in_progress += r["n"]
        else:
            sources[r["source"]].admitted += r["n"]
            admitted_paths.append((r["cell_path"] or "", r["n"]))
    name = versions_on(on).filter(org_id=OuterRef("org_id")).values("name")[:1]
    quotas = list(
        AdmissionQuota.objects.filter(year=year, org_id__in=subtree_versions(version, on).values("org_id"))
        .annotate(org_name=Subquery(name)).order_by("org_name", "pk")[:500]
    )

    def progress(org_id: int) -> int:
        seg = "/" + path_segment(org_id)
        return sum(n for p, n in admitted_paths if seg in p)

    rows_q = [QuotaRow(q, q.org_name, progress(q.org_id)) for q in quotas]  # type: ignore[attr-defined]
    own = next((r for r in rows_q if r.quota.org_id == version.org_id), None)
    return Summary(
        year=year,
        by_step=[(k, f"{i + 1}. {StepKind(k).label}", waiting[i]) for i, k in enumerate(STEPS)],
        by_source=list(sources.values()),
        in_progress=sum(waiting),
        admitted=sum(n for _p, n in admitted_paths),
        own_quota=own,
        quotas=[r for r in rows_q if r is not own],
    )


@dataclass
class AreaRow:
    area: ResidentialArea
    commune_name: str
    cells: list[tuple[OrgVersion, int]]  # the cells serving it, with their members

    @property
    def problem(self) -> str:
        if not self.cells:
            return "no_cell"
        if not any(n for _c, n in self.cells):
            return "no_member"
        return ""


def white_villages(*, version: OrgVersion, on: dt.date) -> dict[str, Any]:
    """The residential areas of the communes in the subtree, each with the residential cells naming it
    (matched by folded name within the commune) and their members; flagged when no cell serves the
    area or none of its cells has a member. Three queries."""
    subtree = subtree_versions(version, on)
    commune_name = versions_on(on).filter(org_id=OuterRef("commune_id")).values("name")[:1]
    areas = list(ResidentialArea.objects.filter(commune_id__in=subtree.values("org_id")).annotate(commune_name=Subquery(commune_name)).order_by("commune_name", "name_folded", "pk"))
    cells = list(subtree.filter(kind__in=CELL_KINDS).exclude(area_name="").only("org_id", "name", "path", "area_name", "area_kind"))
    counts = dict(
        Membership.objects.filter(
            valid_to=OPEN, org_id__in=[c.org_id for c in cells], member__status_periods__valid_to=OPEN, member__status_periods__status__in=ACTIVE_STATUSES,
        ).values("org_id").annotate(n=Count("member_id", distinct=True)).values_list("org_id", "n")
    )  # fmt: skip
    by_name: dict[str, list[OrgVersion]] = {}
    for c in cells:
        by_name.setdefault(fold(c.area_name), []).append(c)
    rows = []
    for a in areas:
        seg = "/" + path_segment(a.commune_id)
        serving = [(c, counts.get(c.org_id, 0)) for c in by_name.get(a.name_folded, []) if seg in c.path]
        rows.append(AreaRow(a, a.commune_name or "", serving))  # type: ignore[attr-defined]
    flagged = [r for r in rows if r.problem]
    return {
        "rows": rows, "flagged": flagged, "total": len(rows),
        "no_cell": sum(1 for r in rows if r.problem == "no_cell"), "no_member": sum(1 for r in rows if r.problem == "no_member"),
    }
