"""The discipline part of the home page: for a cell's secretary, the flags to review and whether the
records' reconciliation is due; for committee staff, the removal proposals to decide and the cells
overdue for reconciliation under them. Three queries at most, none per cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from chibo.accounts.models import Grant
from chibo.core.access import Action, Policy
from chibo.discipline import selectors as sel
from chibo.discipline.models import FlagStatus, Removal, RemovalFlag, RemovalStatus
from chibo.orgs.models import CELL_KINDS, OrgVersion

SHOWN = 20


@dataclass
class DisciplineHome:
    flags: list[RemovalFlag] = field(default_factory=list)  # open flags of the secretary's cells
    due: list[sel.CellCheck] = field(default_factory=list)  # the secretary's cells overdue for reconciliation
    proposals: list[Removal] = field(default_factory=list)  # waiting for a decision under the user's committees
    overdue: int = 0  # cells overdue for reconciliation under the user's committees
    committees: list[OrgVersion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flags or self.due or self.proposals or self.overdue)


def home(*, policy: Policy, today: dt.date) -> DisciplineHome:
    out = DisciplineHome()
    if not policy.roles() & {"admin", "staff", "secretary"}:  # the grants, already read: no query for members
        return out
    nodes_qs = policy.versions(on=today, action=Action.EDIT_MEMBER)
    if policy.is_admin:
        nodes_qs = nodes_qs.filter(parent__isnull=True)
    else:
        nodes_qs = nodes_qs.filter(org_id__in=Grant.objects.filter(user_id=policy.user.pk, role__in=["staff", "secretary"]).values("org_id"))
    nodes = list(nodes_qs.select_related("org").annotate(last_check=sel._last_check()).order_by("depth", "name")[:SHOWN])
    cells = [n for n in nodes if n.kind in CELL_KINDS]
    out.committees = [n for n in nodes if n.kind not in CELL_KINDS]
    if cells:
        out.flags = list(RemovalFlag.objects.filter(cell_id__in=[c.org_id for c in cells], status=FlagStatus.OPEN).select_related("member").order_by("-raised_on", "pk")[:SHOWN])
        for c in cells:
            last = c.last_check  # type: ignore[attr-defined]
            due = sel.due_on(last or c.org.founded_on)
            if due < today:
                out.due.append(sel.CellCheck(version=c, last=last, due=due, overdue=True))
    if out.committees:
        under = Q(pk__in=[])
        for n in out.committees:
            under |= Q(path__startswith=n.path)
        cell_ids = OrgVersion.objects.filter(under, valid_from__lte=today, valid_to__gt=today, kind__in=CELL_KINDS).values("org_id")
        out.proposals = list(Removal.objects.filter(cell_id__in=cell_ids, status=RemovalStatus.PROPOSED).select_related("member").order_by("proposed_on", "pk")[:SHOWN])
        out.overdue = sel.overdue_count(paths=[n.path for n in out.committees], today=today)
    return out
