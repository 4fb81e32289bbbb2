"""The admissions part of the home page: for a secretary, the candidates of their cells in progress (the
next step, its deadline); for committee staff, the decisions due in their scope. Two queries at most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from chibo.admissions.models import STEP_NUMBER, Candidate, State, StepKind
from chibo.core.access import Action, Policy
from chibo.meetings.selectors_home import secretary_cells
from chibo.orgs.models import CELL_KINDS

SHOWN = 20
WAITING_DECISION = STEP_NUMBER[StepKind.COMMITTEE_VOTE]


@dataclass
class AdmissionsHome:
    cell: list[Candidate]  # the secretary's cells: next step to record
    decisions: list[Candidate]  # committees: decisions due
    today: dt.date

    def __bool__(self) -> bool:
        return bool(self.cell or self.decisions)


def _mark(candidates: list[Candidate], today: dt.date) -> list[Candidate]:
    for c in candidates:
        c.overdue = c.deadline is not None and c.deadline < today  # type: ignore[attr-defined]
    return candidates


def home(*, policy: Policy, today: dt.date) -> AdmissionsHome:
    roles = policy.roles()
    cell: list[Candidate] = []
    if "secretary" in roles:
        cells = secretary_cells(policy=policy, on=today).values("org_id")
        cell = list(
            Candidate.objects.filter(cell_id__in=cells, state=State.IN_PROGRESS).exclude(step_done=WAITING_DECISION)
            .order_by(F("deadline").asc(nulls_last=True), "-step_done", "pk")[:SHOWN]
        )
    decisions: list[Candidate] = []
    if roles & {"staff", "admin"}:
        committees = policy.versions(on=today, action=Action.EDIT_MEMBER).exclude(kind__in=CELL_KINDS).values("org_id")
        decisions = list(
            Candidate.objects.filter(state=State.IN_PROGRESS, step_done=WAITING_DECISION, deciding_org_id__in=committees)
            .order_by("deadline", "pk")[:SHOWN]
        )
    return AdmissionsHome(cell=_mark(cell, today), decisions=_mark(decisions, today), today=today)
