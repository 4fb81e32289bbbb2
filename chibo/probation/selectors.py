"""Reads of probation: each probationary member with their end date and next step, for a cell, a
committee's subtree (the pipeline) and a member. They read the members themselves (status
probationary, current cell), and each one's case only for what has happened, so members whose case
is not created yet are never missed. Scope: the callers reach the organisation or the member through
the access policy first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.models import OPEN
from chibo.members.models import Member, Membership, Status
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.probation import rules
from chibo.probation.models import CaseState, ProbationCase, ProbationVote

# The next step of a probationer, in the order of the lifecycle.
STEPS: dict[str, Any] = {
    "probation": _("Đang dự bị"),
    "upcoming": _("Sắp hết dự bị"),
    "due": _("Chờ chi bộ biểu quyết"),
    "vote_overdue": _("Quá hạn chi bộ biểu quyết"),
    "voted": _("Chờ cấp trên quyết định"),
    "decision_overdue": _("Quá hạn cấp trên quyết định"),
    "escalated": _("Chuyển cấp trên xem xét (3 lần không đạt)"),
}
# The pipeline's groups (a step may sit in two: "overdue" gathers both overdue steps and late escalated cases).
GROUPS: dict[str, Any] = {
    "upcoming": _("Sắp hết dự bị (30 ngày)"),
    "due": _("Đến hạn biểu quyết"),
    "voted": _("Đã biểu quyết, chờ quyết định"),
    "overdue": _("Quá hạn"),
    "escalated": _("Chuyển cấp trên"),
}
PAGE = 50


@dataclass
class Row:
    member: Member
    cell_id: int
    end: dt.date
    case: ProbationCase | None
    step: str
    deadline: dt.date
    overdue: bool
    cell_name: str = ""

    @property
    def step_label(self) -> Any:
        return STEPS[self.step]

    @property
    def groups(self) -> list[str]:
        out = []
        if self.step == "upcoming":
            out.append("upcoming")
        elif self.step in ("due", "vote_overdue"):
            out.append("due")
        elif self.step in ("voted", "decision_overdue"):
            out.append("voted")
        elif self.step == "escalated":
            out.append("escalated")
        if self.overdue:
            out.append("overdue")
        return out


def classify(*, admitted_on: dt.date, case: ProbationCase | None, today: dt.date) -> tuple[str, dt.date, bool]:
    """(step, its deadline, overdue) of a probationary member on ``today``."""
    end = rules.probation_end(admitted_on)
    if case is not None and case.state in (CaseState.VOTED, CaseState.ESCALATED) and case.referred_on:
        deadline = rules.decision_deadline(case.referred_on)
        overdue = today > deadline
        if case.state == CaseState.ESCALATED:
            return "escalated", deadline, overdue
        return ("decision_overdue" if overdue else "voted"), deadline, overdue
    if today < end:
        return ("upcoming" if today >= rules.remind_from(end) else "probation"), end, False
    deadline = rules.vote_deadline(end)
    overdue = today > deadline
    return ("vote_overdue" if overdue else "due"), deadline, overdue


def _memberships(*, org_q: Q, today: dt.date, admitted_by: dt.date | None) -> QuerySet[Membership]:
    qs = Membership.objects.filter(
        org_q, valid_to=OPEN, member__status_periods__valid_to=OPEN, member__status_periods__status=Status.PROBATIONARY
    )
    if admitted_by is not None:
        qs = qs.filter(member__admitted_on__lte=admitted_by)
    return qs.select_related("member", "member__probation_case").order_by("member__admitted_on", "member__given_name", "member_id")


def rows_of(memberships: list[Membership], *, today: dt.date) -> list[Row]:
    rows = []
    for ms in memberships:
        m = ms.member
        case = getattr(m, "probation_case", None)
        step, deadline, overdue = classify(admitted_on=m.admitted_on, case=case, today=today)
        rows.append(Row(member=m, cell_id=ms.org_id, end=rules.probation_end(m.admitted_on), case=case, step=step, deadline=deadline, overdue=overdue))
    return rows


def cell_probationers(*, org_id: int, today: dt.date) -> list[Row]:
    """Every probationary member of the cell today, by end date (one query)."""
    return rows_of(list(_memberships(org_q=Q(org_id=org_id), today=today, admitted_by=None)), today=today)


def in_window(today: dt.date) -> dt.date:
    """The ``admitted_on`` filter of the members whose probation ends within the reminder period or has ended."""
    return rules.admitted_by(today + dt.timedelta(days=rules.remind_days()))


def rows_under(*, org_ids: QuerySet[Any] | list[int], today: dt.date) -> list[Row]:
    """Probationers in the cells ``org_ids`` whose probation ends within the reminder period or has ended."""
    return rows_of(list(_memberships(org_q=Q(org_id__in=org_ids), today=today, admitted_by=in_window(today))), today=today)


@dataclass
class Branch:
    version: OrgVersion
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Pipeline:
    totals: dict[str, int]
    branches: list[Branch]
    rows: list[Row]  # of the group shown


def pipeline(*, version: OrgVersion, today: dt.date, show: str = "") -> Pipeline:
    """The subtree's probationers by group, with one row per child organisation (drill-down). Three
    queries whatever the size: the subtree's probationers, their cells' versions, the children."""
    cells = OrgVersion.objects.filter(valid_from__lte=today, valid_to__gt=today, path__startswith=version.path, kind__in=CELL_KINDS)
    rows = rows_under(org_ids=cells.values("org_id"), today=today)
    versions = {v.org_id: v for v in OrgVersion.objects.filter(org_id__in={r.cell_id for r in rows}, valid_from__lte=today, valid_to__gt=today)}
    children = list(OrgVersion.objects.filter(parent_id=version.org_id, valid_from__lte=today, valid_to__gt=today).order_by("name"))
    branches = {c.org_id: Branch(version=c, counts=dict.fromkeys(GROUPS, 0)) for c in children}
    totals = dict.fromkeys(GROUPS, 0)
    width = len(version.path)
    for r in rows:
        cell = versions.get(r.cell_id)
        r.cell_name = cell.name if cell else ""
        branch = branches.get(int(cell.path[width : width + 8])) if cell and len(cell.path) > width else None
        for g in r.groups:
            totals[g] += 1
            if branch is not None:
                branch.counts[g] += 1
    shown = [r for r in rows if show in r.groups] if show in GROUPS else []
    return Pipeline(totals=totals, branches=list(branches.values()), rows=shown)


@dataclass
class Event:
    on: dt.date
    text: str
    flag: str = ""  # "late", "overdue", "ok"


def member_timeline(*, member: Member, case: ProbationCase | None, votes: list[ProbationVote], today: dt.date) -> list[Event]:
    """The member's probation as dated events: ceremony, reminder, end, votes, flags, decision."""
    end = rules.probation_end(member.admitted_on)
    events = [Event(member.admitted_on, str(_("Lễ kết nạp, bắt đầu thời gian dự bị")))]
    events.append(Event(end, str(_("Hết 12 tháng dự bị")) if today >= end else str(_("Sẽ hết 12 tháng dự bị"))))
    if case is not None:
        if case.reminded_on:
            events.append(Event(case.reminded_on, str(_("Đã nhắc chi bộ và đảng viên: sắp hết thời gian dự bị"))))
        if case.vote_overdue_on:
            events.append(Event(case.vote_overdue_on, str(_("Quá hạn chi bộ biểu quyết")), "overdue"))
        for v in votes:
            text = _("Chi bộ biểu quyết lần %(n)s: %(yes)s/%(total)s đảng viên chính thức tán thành") % {
                "n": v.number, "yes": v.yes_votes, "total": v.official_members}
            events.append(Event(v.held_on, str(text), "ok" if v.passed else "failed"))
            if v.late:
                events.append(Event(v.held_on, str(_("Biểu quyết muộn (quá %(n)s ngày làm việc sau khi hết dự bị)") % {"n": rules.vote_workdays()}), "late"))
        if not any(v.passed for v in votes) and sum(1 for v in votes if not v.passed) >= rules.max_failed_votes():
            events.append(Event(case.referred_on or today, str(_("Ba lần không đạt: chuyển cấp trên xem xét")), "overdue"))
        if case.decision_overdue_on:
            events.append(Event(case.decision_overdue_on, str(_("Quá hạn cấp trên quyết định")), "overdue"))
        if case.decided_on:
            if case.state == CaseState.OFFICIAL:
                text = _("Quyết định %(number)s: công nhận đảng viên chính thức từ ngày %(date)s") % {
                    "number": case.decision_number, "date": (case.official_on or end).strftime("%d/%m/%Y")}
            else:
                text = _("Quyết định %(number)s: không công nhận, xóa tên (%(reason)s)") % {"number": case.decision_number, "reason": case.reason}
            events.append(Event(case.decided_on, str(text), "late" if case.decision_late else "ok"))
    return sorted(events, key=lambda e: e.on)
