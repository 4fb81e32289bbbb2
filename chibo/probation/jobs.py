"""Daily jobs of probation (run by the job queue's scheduler, each app's ``jobs.DAILY``).

Each job is idempotent: what it did is stored on the case (``reminded_on``, ``vote_overdue_on``,
``decision_overdue_on``), so a second run finds nothing left and each reminder or flag is sent once.
A member already probationary in the data gets a case the first time one of them needs it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chibo.accounts.selectors import grant_holders
from chibo.core import audit
from chibo.core.dates import fmt_date
from chibo.core.models import OPEN
from chibo.members.models import Member, Membership, Status
from chibo.orgs.models import OrgVersion
from chibo.probation import rules, services
from chibo.probation.models import AWAITING_DECISION, CaseState, ProbationCase


def _probationers(*, admitted_by: dt.date, pending: Q) -> list[Member]:
    return list(
        Member.objects.filter(status_periods__valid_to=OPEN, status_periods__status=Status.PROBATIONARY, admitted_on__lte=admitted_by)
        .filter(Q(probation_case__isnull=True) | pending)
        .order_by("admitted_on", "pk")
    )


def _places(member_ids: list[int], *, on: dt.date) -> dict[int, tuple[int, int | None]]:
    """member id → (current cell, its superior today): two queries."""
    cells = dict(Membership.objects.filter(member_id__in=member_ids, valid_to=OPEN).values_list("member_id", "org_id"))
    parents = dict(OrgVersion.objects.filter(org_id__in=set(cells.values()), valid_from__lte=on, valid_to__gt=on).values_list("org_id", "parent_id"))
    return {m: (c, parents.get(c)) for m, c in cells.items()}


@transaction.atomic
def remind_ending(*, today: dt.date) -> int:
    """CHIBO_PROBATION_REMIND_DAYS (30) days before a probation ends, the cell's secretary and the
    member are told once (a job that missed days catches up: any probation ending by then counts,
    the members found already past their end when chibo started included). Returns the members reminded."""
    members = _probationers(
        admitted_by=rules.admitted_by(today + dt.timedelta(days=rules.remind_days())),
        pending=Q(probation_case__state=CaseState.PENDING, probation_case__reminded_on__isnull=True),
    )
    if not members:
        return 0
    cases = services.open_cases(members, on=today)
    ProbationCase.objects.filter(pk__in=[c.pk for c in cases.values()]).update(reminded_on=today)
    audit.record_many(actor=None, verb="probation.remind", objs=list(cases.values()), summary=_("Nhắc sắp hết thời gian dự bị"), after={"reminded_on": today})
    places = _places([m.pk for m in members], on=today)
    secretaries = grant_holders(org_ids={c for c, _p in places.values()}, roles=["secretary"])
    for m in members:
        end = rules.probation_end(m.admitted_on)
        cell = places.get(m.pk, (0, None))[0]
        services.notify_users(
            users=secretaries.get(cell, []), member=m, to_member=True,
            subject=_("Sắp hết thời gian dự bị: %(name)s (ngày %(end)s)") % {"name": m.full_name, "end": fmt_date(end)},
            body=_("Thời gian dự bị của đồng chí %(name)s hết ngày %(end)s. Chi bộ xét, biểu quyết công nhận đảng viên chính thức "
                   "từ ngày đó, chậm nhất ngày %(deadline)s (%(n)s ngày làm việc).")
            % {"name": m.full_name, "end": fmt_date(end), "deadline": fmt_date(rules.vote_deadline(end)), "n": rules.vote_workdays()},
        )  # fmt: skip
    return len(members)


@transaction.atomic
def flag_overdue(*, today: dt.date) -> int:
    """Flag once each step past its deadline: the cell's vote not held CHIBO_PROBATION_VOTE_WORKDAYS
    working days after the end (the secretary and the superior's staff told), the superior's
    decision not made CHIBO_PROBATION_DECISION_WORKDAYS working days after the vote (its staff and the
    secretary told). Returns the cases flagged."""
    last_end = rules.latest_with_deadline_before(today, rules.vote_deadline)
    members = _probationers(
        admitted_by=rules.admitted_by(last_end),
        pending=Q(probation_case__state=CaseState.PENDING, probation_case__vote_overdue_on__isnull=True),
    )
    flagged = 0
    if members:
        cases = services.open_cases(members, on=today)
        ProbationCase.objects.filter(pk__in=[c.pk for c in cases.values()]).update(vote_overdue_on=today)
        audit.record_many(actor=None, verb="probation.vote_overdue", objs=list(cases.values()),
                          summary=_("Quá hạn chi bộ xét công nhận đảng viên chính thức"), after={"vote_overdue_on": today})  # fmt: skip
        flagged += _tell(members, today=today, vote=True)
    last_vote = rules.latest_with_deadline_before(today, rules.decision_deadline)
    waiting = list(
        ProbationCase.objects.filter(state__in=AWAITING_DECISION, referred_on__lte=last_vote, decision_overdue_on__isnull=True).select_related("member")
    )
    if waiting:
        ProbationCase.objects.filter(pk__in=[c.pk for c in waiting]).update(decision_overdue_on=today)
        audit.record_many(actor=None, verb="probation.decision_overdue", objs=list(waiting),
                          summary=_("Quá hạn cấp trên quyết định công nhận đảng viên chính thức"), after={"decision_overdue_on": today})  # fmt: skip
        flagged += _tell([c.member for c in waiting], today=today, vote=False)
    return flagged


def _tell(members: list[Member], *, today: dt.date, vote: bool) -> int:
    places = _places([m.pk for m in members], on=today)
    secretaries = grant_holders(org_ids={c for c, _p in places.values()}, roles=["secretary"])
    staff = grant_holders(org_ids={p for _c, p in places.values()}, roles=["staff"])
    for m in members:
        cell, superior = places.get(m.pk, (0, None))
        end = rules.probation_end(m.admitted_on)
        if vote:
            subject = _("Quá hạn xét công nhận đảng viên chính thức: %(name)s") % {"name": m.full_name}
            body = _("Thời gian dự bị hết ngày %(end)s; chi bộ phải biểu quyết chậm nhất ngày %(deadline)s.") % {
                "end": fmt_date(end), "deadline": fmt_date(rules.vote_deadline(end))}
        else:
            subject = _("Quá hạn quyết định công nhận đảng viên chính thức: %(name)s") % {"name": m.full_name}
            body = _("Chi bộ đã biểu quyết; cấp trên phải quyết định trong %(n)s ngày làm việc. Ngày chính thức vẫn là ngày %(end)s.") % {
                "n": rules.decision_workdays(), "end": fmt_date(end)}
        services.notify_users(users=[*secretaries.get(cell, []), *(staff.get(superior, []) if superior else [])], member=m, subject=subject, body=body)
    return len(members)


DAILY = [remind_ending, flag_overdue]
