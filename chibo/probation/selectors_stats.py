"""Probation figures for ``chibo stats --json`` (root key ``probation``)."""

from __future__ import annotations

import datetime as dt

from chibo.members.models import Membership, Status
from chibo.orgs.models import CELL_KINDS
from chibo.orgs.selectors import versions_on
from chibo.probation.models import CaseState, ProbationCase
from chibo.probation.selectors import classify


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, int]:
    """One query. The members whose record is in a cell under ``path`` on the tree of ``on`` and whose
    status on ``on`` is probationary (``probationary``), each classified as the pipeline page does
    (``selectors.classify``) on ``on``, its case taken as it stood then (a vote after ``on`` is not
    counted): ``due_for_vote`` — the 12 months have ended and no vote has passed, not escalated (the
    pipeline's "due" group); ``overdue`` — the vote or the decision is past its deadline (its "overdue"
    group). ``year`` does not apply: these are figures of a day."""
    del year
    cells = versions_on(on).filter(path__startswith=path, kind__in=CELL_KINDS).values("org_id")
    rows = (
        Membership.objects.filter(
            org_id__in=cells, valid_from__lte=on, valid_to__gt=on,
            member__status_periods__valid_from__lte=on, member__status_periods__valid_to__gt=on,
            member__status_periods__status=Status.PROBATIONARY,
        )
        .values_list("member_id", "member__admitted_on", "member__probation_case__state", "member__probation_case__referred_on")
    )  # fmt: skip
    members: dict[int, tuple[dt.date | None, str | None, dt.date | None]] = {
        member_id: (admitted_on, state, referred_on) for member_id, admitted_on, state, referred_on in rows
    }
    probationary, due, overdue = len(members), 0, 0
    for admitted_on, state, referred_on in members.values():
        if admitted_on is None:
            continue
        case = None
        if state in (CaseState.VOTED, CaseState.ESCALATED) and referred_on and referred_on <= on:
            case = ProbationCase(state=state, referred_on=referred_on)
        step, _deadline, late = classify(admitted_on=admitted_on, case=case, today=on)
        due += step in ("due", "vote_overdue")
        overdue += late
    return {"probationary": probationary, "due_for_vote": due, "overdue": overdue}
