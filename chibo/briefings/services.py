"""Writes for briefings. Each service is one transaction with its audit row; refusals are ChiboError.

Rules (issue 8 §4; guessed where the seeds are silent, see docs/architecture.md):
- only a committee (an organisation above cells) plans briefings, one per period of the year
  (CHIBO_BRIEFING_PER_YEAR periods, quarterly by default);
- the invitees are the secretaries of the cells under the committee on the briefing day, and the
  village heads whose record is in one of those cells; the list follows the date while the briefing
  is planned (rows already marked are kept);
- attendance is marked from the briefing day on, only for people on the list;
- a briefing is held once someone was present; a cancelled one needs a reason and is then read-only;
- an open issue of a held briefing, with an owner, becomes (issue_convert) a member task in the
  owner's cell with the owner as assignee, or a petition of its cell raised by the owner and sent
  to the briefing's committee; the issue then keeps the link and can no longer be edited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.briefings import selectors as sel
from chibo.briefings.models import (
    Briefing,
    BriefingAttendance,
    BriefingIssue,
    BriefingItem,
    BriefingStatus,
    IssueKind,
    IssueStatus,
)
from chibo.core import audit
from chibo.core.dates import fmt_date, fmt_datetime
from chibo.core.dates import today as local_today
from chibo.core.errors import ChiboError
from chibo.meetings.models import AttendanceStatus
from chibo.orgs.models import Organisation
from chibo.orgs.selectors import versions_on
from chibo.petitions import services as petitions
from chibo.petitions.models import Category, RaisedVia
from chibo.tasks import services as tasks

BRIEFING_FIELDS = ["starts_at", "place", "chair_name", "recorder_name", "status", "cancel_reason", "held_at"]
DEFAULT_TIME = dt.time(8, 0)
MAX_ITEMS = 40


def _fresh(briefing: Briefing) -> Briefing:
    return Briefing.objects.select_for_update().get(pk=briefing.pk)


def _not_cancelled(briefing: Briefing) -> None:
    if briefing.status == BriefingStatus.CANCELLED:
        raise ChiboError(_("Buổi giao ban đã hủy, không sửa được."))


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _committee_version(committee: Organisation, on: dt.date) -> Any:
    version = versions_on(on).filter(org_id=committee.pk).first()
    if not sel.is_committee(version):
        raise ChiboError(_("Chỉ cấp ủy cấp trên chi bộ (đảng bộ) mới lập kế hoạch giao ban."), field="year")
    return version


@transaction.atomic
def plan_year(*, actor: Any, committee: Organisation, year: int, days: dict[int, dt.date], time: dt.time = DEFAULT_TIME) -> list[Briefing]:
    """One planned briefing per period of ``year`` that has none yet, on the given days (a period left
    out takes its default day). Refused for an organisation that is not a committee, for a day outside
    the year, and when every period already has its briefing."""
    if not 2000 <= year <= 2100:
        raise ChiboError(_("Năm không hợp lệ."), field="year")
    n = sel.per_year()
    _committee_version(committee, max(dt.date(year, 1, 1), min(local_today(), dt.date(year, 12, 31))))
    for period, day in days.items():
        if not 1 <= period <= n:
            raise ChiboError(_("Kỳ giao ban không hợp lệ."))
        first, last = sel.period_months(year, period, n)
        end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if not first <= day <= end:
            raise ChiboError(
                _("Ngày giao ban kỳ %(n)s phải từ %(first)s đến %(last)s.") % {"n": period, "first": fmt_date(first), "last": fmt_date(end)},
                field=f"day_{period}",
            )
    existing = set(Briefing.objects.filter(committee=committee, year=year).values_list("period", flat=True))
    missing = [p for p in range(1, n + 1) if p not in existing]
    if not missing:
        raise ChiboError(_("Năm %(year)s đã có đủ %(n)s buổi giao ban theo kế hoạch.") % {"year": year, "n": n}, field="year")
    created = []
    for period in missing:
        day = days.get(period) or sel.default_day(year, period, n)
        briefing = Briefing.objects.create(committee=committee, year=year, period=period, starts_at=_aware(day, time))
        BriefingItem.objects.create(briefing=briefing, position=1, title=_("Tình hình thực hiện nhiệm vụ của các chi bộ trong kỳ"))
        BriefingItem.objects.create(briefing=briefing, position=2, title=_("Kiến nghị, đề xuất của các chi bộ"))
        BriefingItem.objects.create(briefing=briefing, position=3, title=_("Nhiệm vụ trọng tâm kỳ tới"))
        _refresh(briefing)
        audit.record(
            actor=actor, verb="briefing.plan", obj=briefing,
            summary=_("Lập kế hoạch giao ban %(period)s, %(when)s") % {"period": sel.period_label(briefing), "when": fmt_datetime(briefing.starts_at)},
            after=audit.snapshot(briefing, BRIEFING_FIELDS),
        )
        created.append(briefing)
    return created


def _refresh(briefing: Briefing) -> tuple[int, int]:
    """Bring the attendance list to the invitees of the briefing day: add the missing, drop unmarked
    rows of people no longer invited, keep every marked row. Returns (added, removed)."""
    wanted = {i.member_id: i for i in sel.invitees(committee_id=briefing.committee_id, on=sel.briefing_day(briefing))}
    rows = {r.member_id: r for r in BriefingAttendance.objects.filter(briefing=briefing)}
    stale = [r.pk for mid, r in rows.items() if mid not in wanted and not r.status]
    BriefingAttendance.objects.filter(pk__in=stale).delete()
    new = [BriefingAttendance(briefing=briefing, member_id=i.member_id, cell_id=i.cell_id, role=i.role) for mid, i in wanted.items() if mid not in rows]
    BriefingAttendance.objects.bulk_create(new)
    for mid, row in rows.items():
        if mid in wanted and (row.cell_id != wanted[mid].cell_id or row.role != wanted[mid].role) and not row.status:
            row.cell_id, row.role = wanted[mid].cell_id, wanted[mid].role
            row.save(update_fields=["cell", "role"])
    return len(new), len(stale)


@transaction.atomic
def refresh_invitees(*, actor: Any, briefing: Briefing) -> tuple[int, int]:
    briefing = _fresh(briefing)
    if briefing.status != BriefingStatus.PLANNED:
        raise ChiboError(_("Chỉ cập nhật danh sách mời khi buổi giao ban chưa tổ chức."))
    added, removed = _refresh(briefing)
    audit.record(
        actor=actor, verb="briefing.invite", obj=briefing,
        summary=_("Cập nhật danh sách mời: thêm %(a)s, bỏ %(r)s") % {"a": added, "r": removed},
        after={"added": added, "removed": removed},
    )
    return added, removed


@transaction.atomic
def briefing_update(*, actor: Any, briefing: Briefing, starts_at: dt.datetime, place: str, chair_name: str, recorder_name: str) -> Briefing:
    briefing = _fresh(briefing)
    _not_cancelled(briefing)
    before = audit.snapshot(briefing, BRIEFING_FIELDS)
    day = timezone.localtime(starts_at).date()
    if day.year != briefing.year:
        raise ChiboError(_("Ngày giao ban phải trong năm %(year)s.") % {"year": briefing.year}, field="date")
    if briefing.status == BriefingStatus.HELD and day > local_today():
        raise ChiboError(_("Buổi giao ban đã tổ chức, ngày không thể sau hôm nay."), field="date")
    briefing.starts_at, briefing.place, briefing.chair_name, briefing.recorder_name = starts_at, place, chair_name, recorder_name
    briefing.save(update_fields=["starts_at", "place", "chair_name", "recorder_name"])
    if briefing.status == BriefingStatus.PLANNED:
        _refresh(briefing)
    audit.record(
        actor=actor, verb="briefing.update", obj=briefing,
        summary=_("Sửa buổi giao ban %(period)s") % {"period": sel.period_label(briefing)},
        before=before, after=audit.snapshot(briefing, BRIEFING_FIELDS),
    )
    return briefing


@transaction.atomic
def attendance_mark(*, actor: Any, briefing: Briefing, member_id: int, status: str, reason: str = "") -> BriefingAttendance:
    """One tap: present, or absent with or without a reason."""
    briefing = _fresh(briefing)
    _not_cancelled(briefing)
    if status not in AttendanceStatus.values:
        raise ChiboError(_("Trạng thái điểm danh không hợp lệ."), field="status")
    row = BriefingAttendance.objects.filter(briefing=briefing, member_id=member_id).select_related("member").first()
    if row is None:
        raise ChiboError(_("Người này không có tên trong danh sách mời dự giao ban."), field="member")
    if sel.briefing_day(briefing) > local_today():
        raise ChiboError(_("Chưa đến ngày giao ban (%(day)s): chưa điểm danh được.") % {"day": fmt_date(sel.briefing_day(briefing))})
    before = {"status": row.status, "reason": row.reason}
    row.status = status
    row.reason = "" if status == AttendanceStatus.PRESENT else reason.strip()
    row.marked_at = timezone.now()
    row.save(update_fields=["status", "reason", "marked_at"])
    audit.record(
        actor=actor, verb="briefing.attendance", obj=briefing,
        summary=_("Điểm danh %(name)s: %(status)s") % {"name": row.member.full_name, "status": AttendanceStatus(status).label},
        before={"attendee": row.member_id, **before}, after={"attendee": row.member_id, "status": row.status, "reason": row.reason},
    )
    return row


@transaction.atomic
def briefing_hold(*, actor: Any, briefing: Briefing) -> Briefing:
    briefing = _fresh(briefing)
    if briefing.status != BriefingStatus.PLANNED:
        raise ChiboError(_("Chỉ ghi nhận đã tổ chức cho buổi giao ban đang dự kiến."))
    if sel.briefing_day(briefing) > local_today():
        raise ChiboError(_("Chưa đến ngày giao ban (%(day)s).") % {"day": fmt_date(sel.briefing_day(briefing))})
    if not BriefingAttendance.objects.filter(briefing=briefing, status=AttendanceStatus.PRESENT).exists():
        raise ChiboError(_("Hãy điểm danh trước: chưa có ai có mặt."))
    before = audit.snapshot(briefing, BRIEFING_FIELDS)
    briefing.status, briefing.held_at = BriefingStatus.HELD, timezone.now()
    briefing.save(update_fields=["status", "held_at"])
    audit.record(actor=actor, verb="briefing.hold", obj=briefing, summary=_("Đã tổ chức giao ban %(period)s") % {"period": sel.period_label(briefing)}, before=before, after=audit.snapshot(briefing, BRIEFING_FIELDS))
    return briefing


@transaction.atomic
def briefing_cancel(*, actor: Any, briefing: Briefing, reason: str) -> Briefing:
    briefing = _fresh(briefing)
    if briefing.status != BriefingStatus.PLANNED:
        raise ChiboError(_("Chỉ hủy được buổi giao ban đang dự kiến."))
    if not reason.strip():
        raise ChiboError(_("Hãy ghi lý do hủy."), field="reason")
    before = audit.snapshot(briefing, BRIEFING_FIELDS)
    briefing.status, briefing.cancel_reason = BriefingStatus.CANCELLED, reason.strip()
    briefing.save(update_fields=["status", "cancel_reason"])
    audit.record(actor=actor, verb="briefing.cancel", obj=briefing, summary=_("Hủy giao ban %(period)s: %(reason)s") % {"period": sel.period_label(briefing), "reason": briefing.cancel_reason}, before=before, after=audit.snapshot(briefing, BRIEFING_FIELDS))
    return briefing


# Agenda and minutes -----------------------------------------------------------------------------


@transaction.atomic
def item_add(*, actor: Any, briefing: Briefing, title: str) -> BriefingItem:
    briefing = _fresh(briefing)
    _not_cancelled(briefing)
    if not title.strip():
        raise ChiboError(_("Hãy nhập nội dung."), field="title")
    count = BriefingItem.objects.filter(briefing=briefing).count()
    if count >= MAX_ITEMS:
        raise ChiboError(_("Chương trình đã có quá nhiều mục."), field="title")
    last = BriefingItem.objects.filter(briefing=briefing).order_by("-position").values_list("position", flat=True).first() or 0
    item = BriefingItem.objects.create(briefing=briefing, position=last + 1, title=title.strip())
    audit.record(actor=actor, verb="briefing.item_add", obj=briefing, summary=_("Thêm nội dung giao ban: %(t)s") % {"t": item.title}, after={"title": item.title})
    return item


@transaction.atomic
def item_update(*, actor: Any, item: BriefingItem, title: str, content: str, conclusion: str) -> BriefingItem:
    _not_cancelled(_fresh(item.briefing))
    if not title.strip():
        raise ChiboError(_("Hãy nhập nội dung."), field="title")
    before = audit.snapshot(item, ["title", "content", "conclusion"])
    item.title, item.content, item.conclusion = title.strip(), content.strip(), conclusion.strip()
    item.save(update_fields=["title", "content", "conclusion"])
    audit.record(actor=actor, verb="briefing.item_update", obj=item, summary=_("Ghi biên bản: %(t)s") % {"t": item.title}, before=before, after=audit.snapshot(item, ["title", "content", "conclusion"]))
    return item


# Issues -----------------------------------------------------------------------------------------

ISSUE_FIELDS = ["text", "raised_by_name", "cell", "owner", "kind", "status", "task", "petition"]


def _check_issue(briefing: Briefing, *, cell_id: int | None, owner_id: int | None, kind: str, text: str) -> None:
    if not text.strip():
        raise ChiboError(_("Hãy ghi nội dung vấn đề."), field="text")
    if kind not in IssueKind.values:
        raise ChiboError(_("Loại xử lý không hợp lệ."), field="kind")
    day = sel.briefing_day(briefing)
    if cell_id is not None and cell_id not in {c.org_id for c in sel.cells_under(committee_id=briefing.committee_id, on=day)}:
        raise ChiboError(_("Chi bộ này không trực thuộc cấp ủy tổ chức giao ban."), field="cell")
    if owner_id is not None and not sel.member_in_subtree(member_id=owner_id, committee_id=briefing.committee_id, on=day):
        raise ChiboError(_("Người phụ trách phải là đảng viên của một chi bộ trực thuộc."), field="owner")


@transaction.atomic
def issue_add(*, actor: Any, briefing: Briefing, text: str, raised_by_name: str = "", cell_id: int | None = None, owner_id: int | None = None, kind: str = IssueKind.TASK) -> BriefingIssue:
    briefing = _fresh(briefing)
    _not_cancelled(briefing)
    _check_issue(briefing, cell_id=cell_id, owner_id=owner_id, kind=kind, text=text)
    issue = BriefingIssue.objects.create(briefing=briefing, text=text.strip(), raised_by_name=raised_by_name.strip(), cell_id=cell_id, owner_id=owner_id, kind=kind)
    audit.record(actor=actor, verb="briefing.issue_add", obj=issue, summary=_("Vấn đề tại giao ban: %(t)s") % {"t": issue.text}, after=audit.snapshot(issue, ISSUE_FIELDS))
    return issue


@transaction.atomic
def issue_update(*, actor: Any, issue: BriefingIssue, text: str, raised_by_name: str, cell_id: int | None, owner_id: int | None, kind: str, status: str) -> BriefingIssue:
    briefing = _fresh(issue.briefing)
    _not_cancelled(briefing)
    _check_issue(briefing, cell_id=cell_id, owner_id=owner_id, kind=kind, text=text)
    if status not in IssueStatus.values:
        raise ChiboError(_("Trạng thái không hợp lệ."), field="status")
    issue = BriefingIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == IssueStatus.CONVERTED:
        raise ChiboError(_("Vấn đề đã được chuyển thành nhiệm vụ hoặc kiến nghị, không sửa được nữa."))
    if status == IssueStatus.CONVERTED:
        raise ChiboError(_("Hãy dùng nút giao nhiệm vụ hoặc gửi kiến nghị trên trang giao ban."), field="status")
    before = audit.snapshot(issue, ISSUE_FIELDS)
    issue.text, issue.raised_by_name, issue.cell_id, issue.owner_id, issue.kind, issue.status = text.strip(), raised_by_name.strip(), cell_id, owner_id, kind, status
    issue.save()
    audit.record(actor=actor, verb="briefing.issue_update", obj=issue, summary=_("Sửa vấn đề tại giao ban: %(t)s") % {"t": issue.text}, before=before, after=audit.snapshot(issue, ISSUE_FIELDS))
    return issue


def _first_line(text: str, limit: int) -> str:
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _owner_cell(issue: BriefingIssue, on: dt.date) -> int:
    """The issue's cell, else the owner's cell on ``on``."""
    if issue.cell_id is not None:
        return issue.cell_id
    assert issue.owner_id is not None
    cell = sel.member_cell(member_id=issue.owner_id, on=on)
    if cell is None:
        raise ChiboError(_("Người phụ trách không còn sinh hoạt tại chi bộ nào; hãy chọn chi bộ cho vấn đề."), field="cell")
    return cell


@transaction.atomic
def issue_convert(*, actor: Any, issue: BriefingIssue, due_on: dt.date | None = None, category: str = Category.OTHER) -> BriefingIssue:
    """Turn an open issue of a held briefing into what its kind says, with its owner:
    - a task: in the owner's cell (the issue's cell when set), assigned to the owner, the issue text as
      the expected result, due on ``due_on``;
    - a petition: raised in the issue's cell (else the owner's) at a briefing, by the owner, then sent to
      the briefing's committee (which handles it like any petition sent to it).
    Refused unless the issue is open and has an owner. The issue keeps the link."""
    briefing = _fresh(issue.briefing)
    issue = BriefingIssue.objects.select_for_update().get(pk=issue.pk)
    if briefing.status != BriefingStatus.HELD:
        raise ChiboError(_("Chỉ chuyển vấn đề của buổi giao ban đã tổ chức."))
    if issue.status != IssueStatus.OPEN:
        raise ChiboError(_("Vấn đề không còn mở: đã chuyển hoặc đã xong."))
    if issue.owner is None:
        raise ChiboError(_("Hãy chọn người phụ trách cho vấn đề trước khi chuyển."), field="owner")
    on = local_today()
    cell = Organisation.objects.get(pk=_owner_cell(issue, on))
    before = audit.snapshot(issue, ISSUE_FIELDS)
    if issue.kind == IssueKind.TASK:
        issue.task = tasks.task_create(
            actor=actor, cell=cell, title=_first_line(issue.text, 300), expected_result=issue.text, due_on=due_on, assignees=[issue.owner],
        )
        summary = _("Giao nhiệm vụ từ vấn đề tại giao ban: %(t)s") % {"t": issue.task.title}
    else:
        in_cell = sel.member_cell(member_id=issue.owner_id, on=on) == cell.pk
        petition = petitions.petition_raise(
            actor=actor, cell=cell, raised_via=RaisedVia.BRIEFING, category=category, title=_first_line(issue.text, 200), text=issue.text,
            raised_by=issue.owner if in_cell else None, raised_by_name="" if in_cell else (issue.raised_by_name or issue.owner.full_name), on=on,
        )
        issue.petition = petitions.petition_send(
            actor=actor, petition=petition, to_org_id=briefing.committee_id,
            note=_("Vấn đề nêu tại giao ban %(period)s") % {"period": sel.period_label(briefing)},
        )
        summary = _("Gửi kiến nghị từ vấn đề tại giao ban: %(t)s") % {"t": petition.title}
    issue.status = IssueStatus.CONVERTED
    issue.save(update_fields=["task", "petition", "status"])
    audit.record(actor=actor, verb="briefing.issue_convert", obj=issue, summary=summary, before=before, after=audit.snapshot(issue, ISSUE_FIELDS))
    return issue
