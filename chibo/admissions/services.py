"""Writes for admission (kết nạp), quotas and residential areas. Each service is one transaction with
its audit row; a refusal raises ChiboError with the reason in Vietnamese and changes nothing.

Rules (domain.md §2, "Numeric rules"; issue 9 §1):
- the nine steps in order (``models.STEPS``), each dated on or after the previous one and not in the
  future; step 5 may be skipped when ``CHIBO_ADMISSION_COMMENTS_REQUIRED`` is off on the vote's day (LOW);
- introducers: two official members (status official on the day of the step) who have worked with the
  candidate at least ``CHIBO_ADMISSION_INTRODUCER_MONTHS`` months (HIGH); a Youth Union candidate may
  have one with the Youth Union's resolution as the step's document (LOW, a versioned setting);
- the candidate is 18 to 60 at the cell's review (step 6), counted in months (HIGH);
- the cell's vote: yes votes at least 2/3 of the cell's official members on the day, counted from the
  records; the grassroots committee's vote: at least 2/3 of its members, entered with the vote (HIGH).
  A failed vote is recorded and may be held again;
- the decision within 60 working days of the cell's vote, extended once by 30 with a reason; the
  ceremony within 30 working days of the decision (232-QĐ/TW §4, HIGH; ``chibo.core.workdays``);
- the ceremony creates the member in the cell, probationary, admitted on the ceremony's day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.accounts.selectors import users_with_grant
from chibo.admissions.models import (
    STEP_NUMBER,
    STEPS,
    AdmissionQuota,
    AdmissionStep,
    Candidate,
    Introducer,
    ResidentialArea,
    Source,
    State,
    StepKind,
)
from chibo.core import audit
from chibo.core.dates import fmt_date, today
from chibo.core.errors import ChiboError
from chibo.core.rules import rule_on
from chibo.core.text import fold
from chibo.core.workdays import add_working_days, working_days_between
from chibo.meetings import notify
from chibo.meetings.services_prep import sniff
from chibo.members import services as member_services
from chibo.members import validation
from chibo.members.models import Member, Sex, Status, StatusPeriod
from chibo.members.selectors import official_member_count
from chibo.orgs.models import CELL_KINDS, AreaKind, Organisation, OrgKind, OrgVersion
from chibo.orgs.selectors import ancestors, versions_on

OWNER = "admissions"
CANDIDATE_FIELDS = ["surname", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id", "phone", "residence", "source"]
STATE_FIELDS = ["state", "step_done", "cell_vote_on", "extended", "deadline", "admitted_on", "member", "stopped_on", "stop_reason"]


# Helpers ---------------------------------------------------------------------------------------


def is_commune_level(version: OrgVersion) -> bool:
    """A commune-level organisation: marked by its administrative unit, or a grassroots committee."""
    return bool(version.admin_unit) or version.kind == OrgKind.GRASSROOTS_COMMITTEE


def deciding_org_id(cell_id: int, on: dt.date) -> int | None:
    """The committee that decides: the nearest grassroots (commune-level) committee above the cell; for
    a grassroots cell (chi bộ cơ sở), or when none is found, the cell's parent."""
    version = versions_on(on).filter(org_id=cell_id).first()
    if version is None:
        return None
    chain = ancestors(version, on=on)
    if version.kind != OrgKind.GRASSROOTS_CELL:
        for v in reversed(chain):
            if is_commune_level(v):
                return v.org_id
    return version.parent_id


def _text(value: str | None, *, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


def _state(candidate: Candidate) -> dict[str, Any]:
    return audit.snapshot(candidate, STATE_FIELDS)


def _wd(n: int) -> str:
    return _("%(n)s ngày làm việc") % {"n": n}


def _clean_candidate(data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "surname": validation.check_name_part(data.get("surname", ""), field="surname", label=_("Họ")),
        "middle_name": validation.check_name_part(data.get("middle_name", ""), field="middle_name", label=_("Tên đệm"), required=False),
        "given_name": validation.check_name_part(data.get("given_name", ""), field="given_name", label=_("Tên")),
    }
    if data.get("sex") not in Sex.values:
        raise ChiboError(_("Hãy chọn giới tính."), field="sex")
    out["sex"] = data["sex"]
    born = data.get("date_of_birth")
    if not isinstance(born, dt.date):
        raise ChiboError(_("Ngày sinh không được để trống."), field="date_of_birth")
    if born > today():
        raise ChiboError(_("Ngày sinh không được ở tương lai."), field="date_of_birth")
    out["date_of_birth"] = born
    if data.get("source") not in Source.values:
        raise ChiboError(_("Hãy chọn nguồn quần chúng."), field="source")
    out["source"] = data["source"]
    citizen = (data.get("citizen_id") or "").strip()
    if citizen:
        citizen = validation.check_citizen_id(citizen, date_of_birth=born, sex=out["sex"])
        if Member.objects.filter(citizen_id=citizen).exists():
            raise ChiboError(_("Số căn cước %(id)s đã có trong danh sách đảng viên.") % {"id": citizen}, field="citizen_id")
        others = Candidate.objects.filter(citizen_id=citizen, state=State.IN_PROGRESS)
        if exclude_pk:
            others = others.exclude(pk=exclude_pk)
        if others.exists():
            raise ChiboError(_("Số căn cước %(id)s đã có trong danh sách quần chúng đang xem xét.") % {"id": citizen}, field="citizen_id")
    out["citizen_id"] = citizen
    phone = (data.get("phone") or "").strip().replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        raise ChiboError(_("Số điện thoại không hợp lệ."), field="phone")
    out["phone"] = phone
    out["residence"] = _text(data.get("residence"), limit=300)
    return out


# Candidates ------------------------------------------------------------------------------------


@transaction.atomic
def candidate_create(*, actor: Any, cell: Organisation, data: dict[str, Any]) -> Candidate:
    version = versions_on(today()).filter(org_id=cell.pk).first()
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Quần chúng được theo dõi ở một chi bộ đang hoạt động."))
    clean = _clean_candidate(data)
    full_name = " ".join(p for p in (clean["surname"], clean["middle_name"], clean["given_name"]) if p)
    candidate = Candidate.objects.create(
        cell=cell, **clean, full_name=full_name, name_folded=fold(full_name), deciding_org_id=deciding_org_id(cell.pk, today()),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor, verb="admissions.candidate_create", obj=candidate,
        summary=_("Thêm quần chúng %(name)s vào danh sách theo dõi của %(cell)s") % {"name": full_name, "cell": version.name},
        after=audit.snapshot(candidate, CANDIDATE_FIELDS),
    )
    return candidate


@transaction.atomic
def candidate_stop(*, actor: Any, candidate: Candidate, on: dt.date | None, reason: str) -> Candidate:
    candidate = _lock(candidate)
    if candidate.state != State.IN_PROGRESS:
        raise ChiboError(_("Quần chúng này không còn trong quá trình xem xét."))
    reason = _text(reason, limit=500)
    if not reason:
        raise ChiboError(_("Hãy ghi lý do dừng xem xét."), field="reason")
    on = on or today()
    if on > today():
        raise ChiboError(_("Ngày không được ở tương lai."), field="on")
    before = _state(candidate)
    candidate.state, candidate.stopped_on, candidate.stop_reason, candidate.deadline = State.STOPPED, on, reason, None
    candidate.save()
    audit.record(
        actor=actor, verb="admissions.stop", obj=candidate,
        summary=_("Dừng xem xét kết nạp %(name)s. Lý do: %(reason)s") % {"name": candidate.full_name, "reason": reason},
        before=before, after=_state(candidate),
    )
    return candidate


# Steps -----------------------------------------------------------------------------------------


def expected_kinds(candidate: Candidate, on: dt.date) -> list[str]:
    """The steps that may be recorded next (the extension apart)."""
    if candidate.state != State.IN_PROGRESS or candidate.step_done >= len(STEPS):
        return []
    kinds = [STEPS[candidate.step_done]]
    if candidate.step_done == STEP_NUMBER[StepKind.COMMENTS] - 1 and not rule_on("CHIBO_ADMISSION_COMMENTS_REQUIRED", on):
        kinds.append(StepKind.CELL_VOTE)
    return kinds


def decision_deadline(candidate: Candidate) -> dt.date | None:
    if candidate.cell_vote_on is None:
        return None
    days = settings.CHIBO_ADMISSION_DECISION_WORKDAYS + (settings.CHIBO_ADMISSION_EXTENSION_WORKDAYS if candidate.extended else 0)
    return add_working_days(candidate.cell_vote_on, days)


def _check_order(candidate: Candidate, kind: str, on: dt.date) -> None:
    if candidate.state != State.IN_PROGRESS:
        raise ChiboError(_("Quần chúng này không còn trong quá trình xem xét (%(state)s).") % {"state": candidate.get_state_display()})
    allowed = expected_kinds(candidate, on)
    if kind not in allowed:
        expected = allowed[0] if allowed else None
        raise ChiboError(
            _("Chưa đến bước “%(kind)s”: bước tiếp theo là “%(next)s”.") % {"kind": StepKind(kind).label, "next": f"{STEP_NUMBER[expected]}. {StepKind(expected).label}" if expected else "—"},
            field="kind",
        )
    if on > today():
        raise ChiboError(_("Ngày không được ở tương lai."), field="on")
    last = AdmissionStep.objects.filter(candidate=candidate).order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise ChiboError(_("Ngày không được trước bước đã ghi ngày %(date)s.") % {"date": fmt_date(last)}, field="on")
    if on < candidate.date_of_birth:
        raise ChiboError(_("Ngày không được trước ngày sinh."), field="on")


def _attach(step: AdmissionStep, data: bytes | None, name: str) -> None:
    if not data:
        return
    limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
    if len(data) > limit:
        raise ChiboError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"}, field="file")
    content_type, ext = sniff(data)  # the meeting materials' check, by content
    step.original_name = os.path.basename((name or "").replace("\\", "/")).strip()[:200] or f"tai-lieu.{ext}"
    step.content_type, step.size, step.sha256 = content_type, len(data), hashlib.sha256(data).hexdigest()
    step.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)


def _check_introducers(candidate: Candidate, on: dt.date, introducers: list[tuple[Member, dt.date | None]], has_document: bool) -> None:
    members = [m for m, _since in introducers]
    if len({m.pk for m in members}) != len(members):
        raise ChiboError(_("Hai người giới thiệu phải là hai đảng viên khác nhau."), field="introducers")
    one_allowed = candidate.source == Source.YOUTH_UNION and rule_on("CHIBO_ADMISSION_YOUTH_UNION_ONE_INTRODUCER", on)
    if len(members) == 1 and one_allowed:
        if not has_document:
            raise ChiboError(_("Đoàn viên có một người giới thiệu thì phải kèm nghị quyết giới thiệu của Đoàn."), field="file")
    elif len(members) != 2:
        raise ChiboError(
            _("Cần hai người giới thiệu (đoàn viên: một người giới thiệu và nghị quyết của Đoàn).") if one_allowed else _("Cần hai người giới thiệu."),
            field="introducers",
        )
    need = int(settings.CHIBO_ADMISSION_INTRODUCER_MONTHS)
    official = set(
        StatusPeriod.objects.filter(member_id__in=[m.pk for m in members], status=Status.OFFICIAL, valid_from__lte=on, valid_to__gt=on).values_list("member_id", flat=True)
    )
    for member, since in introducers:
        if member.pk not in official:
            raise ChiboError(
                _("%(name)s không phải đảng viên chính thức vào ngày %(date)s.") % {"name": member.full_name, "date": fmt_date(on)}, field="introducers"
            )
        if since is None:
            raise ChiboError(_("Hãy ghi ngày bắt đầu công tác cùng quần chúng của %(name)s.") % {"name": member.full_name}, field="introducers")
        months = validation.age_in_months(since, on) if since <= on else -1
        if months < need:
            raise ChiboError(
                _("%(name)s mới công tác cùng quần chúng %(n)s tháng (từ %(since)s); người giới thiệu phải công tác cùng ít nhất %(need)s tháng.")
                % {"name": member.full_name, "n": max(months, 0), "since": fmt_date(since), "need": need},
                field="introducers",
            )


def _check_age_at_review(candidate: Candidate, on: dt.date) -> None:
    months = validation.age_in_months(candidate.date_of_birth, on)
    low, high = settings.CHIBO_ADMISSION_AGE_MIN, settings.CHIBO_ADMISSION_AGE_MAX
    age = _("%(y)s tuổi %(m)s tháng") % {"y": max(months, 0) // 12, "m": max(months, 0) % 12}
    if months < low * 12:
        raise ChiboError(
            _("Quần chúng phải đủ %(min)s tuổi (tính theo tháng) khi chi bộ xét: ngày %(date)s mới %(age)s.") % {"min": low, "date": fmt_date(on), "age": age},
            field="on",
        )
    if months > high * 12:
        raise ChiboError(
            _("Quần chúng không quá %(max)s tuổi (tính theo tháng) khi chi bộ xét; trên %(max)s tuổi do cấp ủy cấp tỉnh xem xét: ngày %(date)s đã %(age)s.")
            % {"max": high, "date": fmt_date(on), "age": age},
            field="on",
        )


def _passes(yes: int, base: int) -> bool:
    """At least two thirds, in whole numbers: 3 × yes ≥ 2 × base (exactly 2/3 passes)."""
    return 3 * yes >= 2 * base


@transaction.atomic
def step_record(
    *, actor: Any, candidate: Candidate, kind: str, on: dt.date | None, note: str = "", data: bytes | None = None, name: str = "",
    introducers: list[tuple[Member, dt.date | None]] | None = None, yes_votes: int | None = None, committee_members: int | None = None,
    decision_number: str = "", citizen_id: str = "",
) -> AdmissionStep:  # fmt: skip
    """Record the candidate's next step (``kind``). Votes may fail: the step is kept with ``passed``
    false and the candidate stays at the same step."""
    candidate = _lock(candidate)
    if kind not in STEP_NUMBER:
        raise ChiboError(_("Bước không hợp lệ."), field="kind")
    if on is None:
        raise ChiboError(_("Hãy nhập ngày."), field="on")
    _check_order(candidate, kind, on)
    step = AdmissionStep(candidate=candidate, kind=kind, on=on, note=_text(note, limit=1000), recorded_by=actor if getattr(actor, "pk", None) else None)
    before = _state(candidate)
    after_extra: dict[str, Any] = {}
    if kind == StepKind.INTRODUCERS:
        _check_introducers(candidate, on, introducers or [], bool(data))
    elif kind in (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE):
        if kind == StepKind.CELL_VOTE:
            _check_age_at_review(candidate, on)
            base = official_member_count(org_id=candidate.cell_id, on=on)
            if base == 0:
                raise ChiboError(_("Ngày %(date)s chi bộ không có đảng viên chính thức nào.") % {"date": fmt_date(on)}, field="on")
        else:
            if not committee_members or committee_members < 1:
                raise ChiboError(_("Hãy nhập số đảng ủy viên."), field="committee_members")
            base = committee_members
        if yes_votes is None or yes_votes < 0:
            raise ChiboError(_("Hãy nhập số phiếu tán thành."), field="yes_votes")
        if yes_votes > base:
            what = _("đảng viên chính thức của chi bộ") if kind == StepKind.CELL_VOTE else _("đảng ủy viên")
            raise ChiboError(
                _("Số phiếu tán thành (%(yes)s) nhiều hơn số %(what)s (%(base)s).") % {"yes": yes_votes, "what": what, "base": base}, field="yes_votes"
            )
        step.yes_votes, step.vote_base, step.passed = yes_votes, base, _passes(yes_votes, base)
        after_extra = {"yes_votes": yes_votes, "vote_base": base, "passed": step.passed}
    elif kind == StepKind.DECISION:
        deadline = decision_deadline(candidate)
        assert deadline is not None and candidate.cell_vote_on is not None
        if on > deadline:
            limit = settings.CHIBO_ADMISSION_DECISION_WORKDAYS + (settings.CHIBO_ADMISSION_EXTENSION_WORKDAYS if candidate.extended else 0)
            raise ChiboError(
                _("Quá hạn ra quyết định: %(limit)s kể từ ngày chi bộ biểu quyết %(vote)s là ngày %(deadline)s; ngày %(date)s là ngày làm việc thứ %(n)s.")
                % {"limit": _wd(limit), "vote": fmt_date(candidate.cell_vote_on), "deadline": fmt_date(deadline), "date": fmt_date(on),
                   "n": working_days_between(candidate.cell_vote_on, on)}
                + ("" if candidate.extended else " " + _("Cấp ủy có thể gia hạn một lần %(n)s trước khi hết hạn.") % {"n": _wd(settings.CHIBO_ADMISSION_EXTENSION_WORKDAYS)}),
                field="on",
            )  # fmt: skip
        step.decision_number = _text(decision_number, limit=50)
    elif kind == StepKind.CEREMONY:
        decision = AdmissionStep.objects.get(candidate=candidate, kind=StepKind.DECISION, passed=True)
        deadline = add_working_days(decision.on, settings.CHIBO_ADMISSION_CEREMONY_WORKDAYS)
        if on > deadline:
            raise ChiboError(
                _("Quá hạn tổ chức lễ kết nạp: %(limit)s kể từ ngày quyết định %(decision)s là ngày %(deadline)s.")
                % {"limit": _wd(settings.CHIBO_ADMISSION_CEREMONY_WORKDAYS), "decision": fmt_date(decision.on), "deadline": fmt_date(deadline)},
                field="on",
            )
        citizen = (citizen_id or "").strip() or candidate.citizen_id
        if not citizen:
            raise ChiboError(_("Hãy ghi số căn cước của quần chúng: hồ sơ đảng viên cần số căn cước."), field="citizen_id")
        member = member_services.member_create(
            actor=actor, org=candidate.cell,
            data={"surname": candidate.surname, "middle_name": candidate.middle_name, "given_name": candidate.given_name, "sex": candidate.sex,
                  "date_of_birth": candidate.date_of_birth, "admitted_on": on, "official_on": None, "citizen_id": citizen, "phone": candidate.phone},
            joined_on=on, status=Status.PROBATIONARY, age_on=candidate.cell_vote_on,
        )  # fmt: skip
        candidate.citizen_id, candidate.member, candidate.admitted_on, candidate.state = member.citizen_id, member, on, State.ADMITTED
        after_extra = {"member": member.pk}
    _attach(step, data, name)
    step.save()
    if kind == StepKind.INTRODUCERS:
        Introducer.objects.bulk_create([Introducer(step=step, member=m, worked_since=since) for m, since in introducers or [] if since])
        after_extra = {"introducers": [{"member": m.pk, "since": audit.jsonable(since)} for m, since in introducers or []]}
    if step.passed:
        candidate.step_done = STEP_NUMBER[kind]
        if kind == StepKind.CELL_VOTE:
            candidate.cell_vote_on = on
        if kind == StepKind.COMMITTEE_VOTE:
            candidate.deciding_org_id = deciding_org_id(candidate.cell_id, on) or candidate.deciding_org_id
            candidate.deadline, candidate.overdue_flagged_on = decision_deadline(candidate), None
        elif kind == StepKind.DECISION:
            candidate.deadline, candidate.overdue_flagged_on = add_working_days(on, settings.CHIBO_ADMISSION_CEREMONY_WORKDAYS), None
        elif kind == StepKind.CEREMONY:
            candidate.deadline = None
    candidate.save()
    label = StepKind(kind).label
    if step.yes_votes is not None:
        outcome = _("đạt") if step.passed else _("không đạt")
        summary = _("%(name)s: %(step)s ngày %(date)s, %(yes)s/%(base)s phiếu tán thành — %(outcome)s") % {
            "name": candidate.full_name, "step": label, "date": fmt_date(on), "yes": step.yes_votes, "base": step.vote_base, "outcome": outcome}
    else:
        summary = _("%(name)s: %(step)s ngày %(date)s") % {"name": candidate.full_name, "step": label, "date": fmt_date(on)}
    after = {"step": kind, "on": on, "note": step.note, **after_extra, **_state(candidate)}
    if step.file:
        after.update({"file": step.file.name, "name": step.original_name, "sha256": step.sha256})
    audit.record(actor=actor, verb=f"admissions.{kind}", obj=candidate, summary=summary, before=before, after=after)
    return step


@transaction.atomic
def extension_record(*, actor: Any, candidate: Candidate, on: dt.date | None, reason: str, data: bytes | None = None, name: str = "") -> AdmissionStep:
    """Extend the time for the decision once, by CHIBO_ADMISSION_EXTENSION_WORKDAYS, before it runs out."""
    candidate = _lock(candidate)
    if candidate.state != State.IN_PROGRESS or candidate.step_done != STEP_NUMBER[StepKind.COMMITTEE_VOTE]:
        raise ChiboError(_("Chỉ gia hạn khi hồ sơ đang chờ quyết định kết nạp."))
    if candidate.extended:
        raise ChiboError(_("Thời gian ra quyết định chỉ được gia hạn một lần."))
    reason = _text(reason, limit=1000)
    if not reason:
        raise ChiboError(_("Hãy ghi lý do gia hạn."), field="reason")
    if on is None:
        raise ChiboError(_("Hãy nhập ngày."), field="on")
    if on > today():
        raise ChiboError(_("Ngày không được ở tương lai."), field="on")
    deadline = decision_deadline(candidate)
    assert deadline is not None
    if on > deadline:
        raise ChiboError(_("Đã hết hạn ra quyết định ngày %(date)s; không gia hạn được nữa.") % {"date": fmt_date(deadline)}, field="on")
    last = AdmissionStep.objects.filter(candidate=candidate).order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise ChiboError(_("Ngày không được trước bước đã ghi ngày %(date)s.") % {"date": fmt_date(last)}, field="on")
    before = _state(candidate)
    step = AdmissionStep(candidate=candidate, kind=StepKind.EXTENSION, on=on, note=reason, recorded_by=actor if getattr(actor, "pk", None) else None)
    _attach(step, data, name)
    step.save()
    candidate.extended = True
    candidate.deadline, candidate.overdue_flagged_on = decision_deadline(candidate), None
    candidate.save()
    audit.record(
        actor=actor, verb="admissions.extension", obj=candidate,
        summary=_("%(name)s: gia hạn ra quyết định kết nạp đến %(date)s. Lý do: %(reason)s") % {"name": candidate.full_name, "date": fmt_date(candidate.deadline), "reason": reason},
        before=before, after={"on": on, "reason": reason, **_state(candidate)},
    )
    return step


# Deadlines (the daily job) ---------------------------------------------------------------------


def _users(org_id: int | None, role: str) -> list[Any]:
    return users_with_grant(org_ids=[org_id], roles=[role])


@transaction.atomic
def flag_overdue_one(*, candidate_id: int, on: dt.date) -> bool:
    """Flag a candidate whose decision or ceremony is overdue, once per deadline, and notify the cell's
    secretary and the deciding committee's staff. False when there is nothing (left) to flag."""
    candidate = Candidate.objects.select_for_update().filter(
        pk=candidate_id, state=State.IN_PROGRESS, deadline__lt=on, overdue_flagged_on__isnull=True,
    ).first()  # fmt: skip
    if candidate is None:
        return False
    candidate.overdue_flagged_on = on
    candidate.save(update_fields=["overdue_flagged_on"])
    waiting = StepKind.DECISION if candidate.step_done == STEP_NUMBER[StepKind.COMMITTEE_VOTE] else StepKind.CEREMONY
    summary = _("%(name)s: quá hạn %(step)s (hạn %(date)s)") % {"name": candidate.full_name, "step": StepKind(waiting).label.lower(), "date": fmt_date(candidate.deadline)}
    audit.record(actor=None, verb="admissions.overdue", obj=candidate, summary=summary, after={"step": waiting, "deadline": candidate.deadline, "flagged_on": on})
    users = {u.pk: u for u in _users(candidate.cell_id, "secretary") + _users(candidate.deciding_org_id, "staff")}
    notify.notify(
        recipients=[notify.Recipient(user=u, email=u.email or "") for u in users.values()],
        subject=summary, body=summary, url=reverse("admissions:candidate", args=[candidate.pk]),
    )
    return True


# Quotas and residential areas ------------------------------------------------------------------


@transaction.atomic
def quota_set(*, actor: Any, org: Organisation, year: int | None, target: int | None) -> AdmissionQuota:
    version = versions_on(today()).filter(org_id=org.pk).first()
    if version is None or not (version.kind in CELL_KINDS or is_commune_level(version)):
        raise ChiboError(_("Chỉ giao chỉ tiêu kết nạp cho chi bộ hoặc đảng bộ cấp xã."), field="org")
    if year is None or not 2000 <= year <= 2100:
        raise ChiboError(_("Năm không hợp lệ (từ 2000 đến 2100)."), field="year")
    if target is None or not 1 <= target <= 10000:
        raise ChiboError(_("Chỉ tiêu phải từ 1 đến 10.000 đảng viên."), field="target")
    quota = AdmissionQuota.objects.select_for_update().filter(org=org, year=year).first()
    before = audit.snapshot(quota, ["target"]) if quota else None
    if quota is None:
        quota = AdmissionQuota(org=org, year=year)
    quota.target, quota.set_by = target, actor if getattr(actor, "pk", None) else None
    quota.save()
    audit.record(
        actor=actor, verb="admissions.quota", obj=quota,
        summary=_("Chỉ tiêu kết nạp năm %(year)s của %(org)s: %(n)s đảng viên") % {"year": year, "org": version.name, "n": target},
        before=before, after={"org": version.name, "year": year, "target": target},
    )
    return quota


@transaction.atomic
def area_add(*, actor: Any, commune: Organisation, kind: str, name: str) -> ResidentialArea:
    version = versions_on(today()).filter(org_id=commune.pk).first()
    if version is None or not is_commune_level(version):
        raise ChiboError(_("Thôn, tổ dân phố thuộc một đảng bộ cấp xã."), field="name")
    if kind not in AreaKind.values or not kind:
        raise ChiboError(_("Hãy chọn loại: thôn, bản, khu phố hoặc tổ dân phố."), field="kind")
    name = _text(name, limit=200)
    if not name:
        raise ChiboError(_("Hãy ghi tên thôn, tổ dân phố."), field="name")
    if ResidentialArea.objects.filter(commune=commune, name_folded=fold(name)).exists():
        raise ChiboError(_("%(name)s đã có trong danh sách.") % {"name": name}, field="name")
    area = ResidentialArea.objects.create(commune=commune, kind=kind, name=name, name_folded=fold(name))
    audit.record(
        actor=actor, verb="admissions.area_add", obj=area,
        summary=_("Thêm %(kind)s %(name)s của %(org)s") % {"kind": area.get_kind_display(), "name": name, "org": version.name},
        after={"commune": version.name, "kind": kind, "name": name},
    )
    return area
