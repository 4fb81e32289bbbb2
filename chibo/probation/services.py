"""Probation to official member: the cell's vote, the superior's decision, the reminders and flags.

Every change writes an audit row in its transaction; a refusal raises ChiboError and changes nothing.
The member's status moves only here, as the admissions lifecycle ("admissions" owns probationary →
official and the removal of a member not recognised, chibo.members.services.LIFECYCLE_OWNERS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.accounts.selectors import users_with_grant
from chibo.core import audit
from chibo.core.access import today
from chibo.core.dates import fmt_date
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.core.workdays import working_days_between
from chibo.members.models import Member, Membership, Status, StatusPeriod
from chibo.members.selectors import official_member_count
from chibo.members.services import member_set_status
from chibo.orgs.models import OrgVersion
from chibo.probation import rules
from chibo.probation.models import AWAITING_DECISION, CaseState, ProbationCase, ProbationVote

OWNER = "admissions"  # the lifecycle that owns probationary → official (members.services.LIFECYCLE_OWNERS)
CASE_FIELDS = ["ends_on", "state", "referred_on", "decided_on", "decided_by_id", "decision_number", "decision_late", "official_on", "reason"]


def current_status(member: Member) -> str | None:
    return StatusPeriod.objects.filter(member=member, valid_to=OPEN).values_list("status", flat=True).first()


def cell_on(member: Member, on: dt.date) -> int | None:
    """The organisation the member's record is in on ``on``."""
    return Membership.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True).first()


def superior_of(org_id: int, on: dt.date) -> int | None:
    """The organisation directly above ``org_id`` on ``on`` (the cell's superior, which decides)."""
    return OrgVersion.objects.filter(org_id=org_id, valid_from__lte=on, valid_to__gt=on).values_list("parent_id", flat=True).first()


def _lock_case(member: Member, *, actor: Any) -> ProbationCase:
    """The member's case, locked; created (and audited) when it does not exist yet."""
    case = ProbationCase.objects.select_for_update().filter(member=member).first()
    if case is not None:
        return case
    case = ProbationCase.objects.create(member=member, ends_on=rules.probation_end(member.admitted_on))
    audit.record(
        actor=actor, verb="probation.open", obj=case,
        summary=_("Mở hồ sơ xét chuyển đảng viên chính thức cho %(name)s (hết dự bị ngày %(end)s)") % {"name": member.full_name, "end": fmt_date(case.ends_on)},
        after=audit.snapshot(case, CASE_FIELDS),
    )  # fmt: skip
    return case


def _check_probationary(member: Member) -> None:
    if current_status(member) != Status.PROBATIONARY:
        raise ChiboError(_("Đảng viên này không ở trạng thái dự bị."))


@transaction.atomic
def vote_record(*, actor: Any, member: Member, held_on: dt.date, yes_votes: int, note: str = "") -> ProbationVote:
    """The cell's vote on one member. The official members are counted from the records on the vote
    day; the vote passes at 2/3 of them. A vote before the 12 months end is refused; one after the
    deadline is recorded and marked late. A passed vote sends the case to the superior; the third
    failed one escalates it there."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_probationary(member)
    end = rules.probation_end(member.admitted_on)
    if held_on > today():
        raise ChiboError(_("Ngày biểu quyết không được ở tương lai."), field="held_on")
    if held_on < end:
        raise ChiboError(
            _("Chưa hết 12 tháng dự bị: thời gian dự bị hết ngày %(end)s, chi bộ chỉ xét từ ngày đó.") % {"end": fmt_date(end)}, field="held_on"
        )
    if yes_votes < 0:
        raise ChiboError(_("Số phiếu tán thành không được âm."), field="yes_votes")
    case = _lock_case(member, actor=actor)
    if case.state != CaseState.PENDING:
        raise ChiboError(_("Hồ sơ đang ở bước “%(state)s”: chi bộ không biểu quyết nữa.") % {"state": CaseState(case.state).label})
    last = case.votes.order_by("-number").first()
    if last is not None and held_on < last.held_on:
        raise ChiboError(_("Ngày biểu quyết không được trước lần biểu quyết trước (%(date)s).") % {"date": fmt_date(last.held_on)}, field="held_on")
    org_id = cell_on(member, held_on)
    if org_id is None:
        raise ChiboError(_("Ngày %(date)s đảng viên không sinh hoạt ở chi bộ nào.") % {"date": fmt_date(held_on)}, field="held_on")
    official = official_member_count(org_id=org_id, on=held_on)
    if official < 1:
        raise ChiboError(_("Ngày %(date)s chi bộ không có đảng viên chính thức nào để biểu quyết.") % {"date": fmt_date(held_on)}, field="held_on")
    if yes_votes > official:
        raise ChiboError(
            _("Số phiếu tán thành (%(yes)s) nhiều hơn số đảng viên chính thức của chi bộ ngày %(date)s (%(n)s).")
            % {"yes": yes_votes, "date": fmt_date(held_on), "n": official},
            field="yes_votes",
        )
    before = audit.snapshot(case, CASE_FIELDS)
    passed = rules.passes(yes_votes=yes_votes, official_members=official)
    vote = ProbationVote.objects.create(
        case=case, number=(last.number + 1) if last else 1, org_id=org_id, held_on=held_on, official_members=official,
        yes_votes=yes_votes, passed=passed, late=held_on > rules.vote_deadline(end), note=note,
    )  # fmt: skip
    failed = case.votes.filter(passed=False).count()
    if passed:
        case.state, case.referred_on = CaseState.VOTED, held_on
    elif failed >= rules.max_failed_votes():
        case.state, case.referred_on = CaseState.ESCALATED, held_on
    case.ends_on = end
    case.save()
    if passed:
        summary = _("Chi bộ biểu quyết đề nghị công nhận %(name)s là đảng viên chính thức: %(yes)s/%(n)s tán thành (đạt)")
    else:
        summary = _("Chi bộ biểu quyết công nhận %(name)s là đảng viên chính thức: %(yes)s/%(n)s tán thành (không đạt)")
    audit.record(
        actor=actor, verb="probation.vote", obj=case, summary=summary % {"name": member.full_name, "yes": yes_votes, "n": official},
        before=before,
        after={**audit.snapshot(case, CASE_FIELDS), "vote": vote.number, "held_on": held_on, "official_members": official,
               "yes_votes": yes_votes, "passed": passed, "late": vote.late},
    )  # fmt: skip
    if case.state in AWAITING_DECISION:
        superior = superior_of(org_id, held_on)
        if case.state == CaseState.VOTED:
            subject = _("Đề nghị công nhận đảng viên chính thức: %(name)s") % {"name": member.full_name}
        else:
            subject = _("Ba lần biểu quyết không đạt, chuyển cấp trên xem xét: %(name)s") % {"name": member.full_name}
        body = _("Cấp trên quyết định trong %(n)s ngày làm việc, đến ngày %(date)s.") % {
            "n": rules.decision_workdays(), "date": fmt_date(rules.decision_deadline(held_on))}
        notify_users(users=users_with_grant(org_ids=[superior], roles=["staff"]), subject=subject, body=body, member=member)
    return vote


@transaction.atomic
def decide(
    *, actor: Any, member: Member, decided_on: dt.date, recognised: bool, number: str, official_on: dt.date | None = None, reason: str = ""
) -> ProbationCase:
    """The superior's decision on a case the cell sent up (a passed vote, or three failed ones).
    Recognised: official from the day the 12 months end, even when the decision is late (an official
    date before that day is refused). Not recognised: removed (xóa tên) from the decision day."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    case = ProbationCase.objects.select_for_update().filter(member=member).first()
    if case is None or case.state not in AWAITING_DECISION:
        raise ChiboError(_("Chi bộ chưa biểu quyết đề nghị: chưa có gì để cấp trên quyết định."))
    _check_probationary(member)
    assert case.referred_on is not None
    if decided_on > today():
        raise ChiboError(_("Ngày quyết định không được ở tương lai."), field="decided_on")
    if decided_on < case.referred_on:
        raise ChiboError(_("Ngày quyết định không được trước ngày chi bộ biểu quyết (%(date)s).") % {"date": fmt_date(case.referred_on)}, field="decided_on")
    number = number.strip()
    if not number:
        raise ChiboError(_("Hãy ghi số, ký hiệu của quyết định."), field="number")
    end = rules.probation_end(member.admitted_on)
    last_vote = case.votes.order_by("-number").first()
    org_id = last_vote.org_id if last_vote else cell_on(member, decided_on)
    superior = superior_of(org_id, decided_on) if org_id else None
    if superior is None:
        raise ChiboError(_("Chi bộ không có cấp trên trực tiếp để quyết định."))
    before = audit.snapshot(case, CASE_FIELDS)
    if recognised:
        official = official_on or end
        if official < end:
            raise ChiboError(
                _("Ngày chính thức không được trước ngày hết 12 tháng dự bị (%(end)s).") % {"end": fmt_date(end)}, field="official_on"
            )
        if official != end:
            raise ChiboError(
                _("Ngày chính thức là ngày hết 12 tháng dự bị (%(end)s), kể cả khi quyết định muộn.") % {"end": fmt_date(end)}, field="official_on"
            )
        try:
            member_set_status(actor=actor, member=member, status=Status.OFFICIAL, on=end, owner=OWNER, note=number[:300])
        except ChiboError as exc:
            raise ChiboError(exc.message, field="official_on") from None
        if member.official_on != end:
            member.official_on = end
            member.save(update_fields=["official_on", "updated_at"])
        case.state, case.official_on = CaseState.OFFICIAL, end
    else:
        reason = reason.strip()
        if not reason:
            raise ChiboError(_("Hãy ghi lý do không công nhận."), field="reason")
        member_set_status(actor=actor, member=member, status=Status.REMOVED, on=decided_on, owner=OWNER, note=reason[:300])
        case.state, case.reason = CaseState.NOT_RECOGNISED, reason
    case.ends_on = end
    case.decided_on, case.decided_by_id, case.decision_number = decided_on, superior, number
    case.decision_late = working_days_between(case.referred_on, decided_on) > rules.decision_workdays()
    case.save()
    if recognised:
        summary = _("Công nhận %(name)s là đảng viên chính thức từ ngày %(date)s (quyết định %(number)s)") % {
            "name": member.full_name, "date": fmt_date(end), "number": number}
    else:
        summary = _("Không công nhận %(name)s là đảng viên chính thức, xóa tên (quyết định %(number)s)") % {"name": member.full_name, "number": number}
    audit.record(actor=actor, verb="probation.decide", obj=case, summary=summary, before=before, after=audit.snapshot(case, CASE_FIELDS))
    notify_users(users=users_with_grant(org_ids=[org_id], roles=["secretary"]), subject=summary, body=summary, member=member)
    return case


# Reminders and flags (the daily jobs) ------------------------------------------------------------


def notify_users(*, users: Iterable[Any], subject: str, body: str, member: Member, to_member: bool = False) -> int:
    from chibo.accounts.models import User
    from chibo.meetings import notify

    recipients = [notify.Recipient(user=u, email=getattr(u, "email", "") or "") for u in users]
    if to_member:
        user = User.objects.filter(member_id=member.pk, is_active=True).first()
        recipients.append(notify.Recipient(user=user, email=member.email or getattr(user, "email", "") or ""))
    return notify.notify(recipients=recipients, subject=subject, body=body, url=reverse("probation:member", args=[member.pk]))


def open_cases(members: list[Member], *, on: dt.date) -> dict[int, ProbationCase]:
    """The case of each member, created for those who have none (one audit row each)."""
    found = {c.member_id: c for c in ProbationCase.objects.select_for_update().filter(member__in=members)}
    new = [ProbationCase(member=m, ends_on=rules.probation_end(m.admitted_on)) for m in members if m.pk not in found]
    if new:
        ProbationCase.objects.bulk_create(new)
        created = list(ProbationCase.objects.filter(member_id__in=[c.member_id for c in new]))
        audit.record_many(actor=None, verb="probation.open", objs=list(created),
                          summary=_("Mở hồ sơ xét chuyển đảng viên chính thức (sắp hết hoặc đã hết thời gian dự bị)"),
                          after={"on": on})  # fmt: skip
        found.update({c.member_id: c for c in created})
    return found
