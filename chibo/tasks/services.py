"""Writes for member tasks. Each service is one transaction with its audit row; refusals are ChiboError.

Rules (issue 8 §2; guessed where the sources are silent, see docs/architecture.md):
- a task belongs to a cell and names one or more of its current members (official or probationary
  today); a member of another cell is refused;
- a new task's due date is today or later; it may come from an item of an ADOPTED resolution of the
  same cell;
- only an assignee reports, and only on an open task; a file is checked by content like meeting
  materials (meetings.services_prep.sniff, CHIBO_MATERIAL_MAX_BYTES);
- the chi ủy checks a task at a meeting of the same cell that is open or closed (not yet approved);
  a second check at the same meeting replaces the first;
- closing: "done" when the result was reached on or before the due date, "done late" after it (the
  day the result was reached, ``finished_on``, decides; a wrong choice is refused, not corrected),
  "not done" with a note; a closed task is reopened with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import fmt_date, today
from chibo.core.errors import ChiboError
from chibo.meetings import notify
from chibo.meetings.models import Meeting, MeetingStatus, ResolutionItem
from chibo.meetings.services_prep import sniff
from chibo.members.models import Member
from chibo.orgs.models import Organisation
from chibo.tasks import selectors as sel
from chibo.tasks.models import (
    CheckOutcome,
    Task,
    TaskAssignee,
    TaskCheck,
    TaskReport,
    TaskStatus,
)
from chibo.tasks.signals import edited, status_changed

TASK_FIELDS = ["title", "expected_result", "due_on", "status", "resolution_item", "petition", "area_matter", "finished_on", "closing_note", "closed_at", "closed_at_meeting"]
CHECKABLE_MEETING = (MeetingStatus.OPEN, MeetingStatus.CLOSED)


def _text(value: str | None, *, max_length: int) -> str:
    return (value or "").strip()[:max_length]


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _snapshot(task: Task, assignee_ids: Iterable[int] | None = None) -> dict[str, Any]:
    out = audit.snapshot(task, TASK_FIELDS)
    if assignee_ids is not None:
        out["assignees"] = sorted(assignee_ids)
    return out


def _task_url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])


def _recipients(members: Iterable[Member]) -> list[notify.Recipient]:
    from chibo.accounts.models import User

    members = list(members)
    users = {u.member_id: u for u in User.objects.filter(member_id__in=[m.pk for m in members], is_active=True)}
    return [notify.Recipient(user=users.get(m.pk), email=m.email or getattr(users.get(m.pk), "email", "") or "") for m in members]


def _check_fields(*, cell: Organisation, title: str, expected_result: str, due_on: dt.date | None, assignees: list[Member], new: bool) -> None:
    if not title:
        raise ChiboError(_("Hãy ghi nhiệm vụ."), field="title")
    if not expected_result:
        raise ChiboError(_("Hãy ghi kết quả cần đạt."), field="expected_result")
    if due_on is None:
        raise ChiboError(_("Hãy nhập hạn hoàn thành."), field="due_on")
    if new and due_on < today():
        raise ChiboError(_("Hạn hoàn thành không được trước hôm nay."), field="due_on")
    if not assignees:
        raise ChiboError(_("Hãy chọn ít nhất một đảng viên thực hiện."), field="assignees")
    allowed = set(sel.assignable_members(cell_id=cell.pk).values_list("pk", flat=True))
    outside = [m for m in assignees if m.pk not in allowed]
    if outside:
        raise ChiboError(
            _("Chỉ giao nhiệm vụ cho đảng viên đang sinh hoạt tại chi bộ: %(names)s không thuộc chi bộ.") % {"names": ", ".join(m.full_name for m in outside)},
            field="assignees",
        )


def _check_petition(cell: Organisation, petition: Any) -> None:
    """A task's residential-area matter is a petition of its own cell."""
    if petition is not None and petition.org_id != cell.pk:
        raise ChiboError(_("Chỉ liên kết với kiến nghị của chính chi bộ."), field="petition")


def _check_item(cell: Organisation, item: ResolutionItem | None) -> None:
    if item is None:
        return
    resolution = item.resolution
    if resolution.meeting.org_id != cell.pk or not resolution.adopted:
        raise ChiboError(_("Chỉ giao nhiệm vụ theo nghị quyết đã được thông qua của chính chi bộ."), field="resolution_item")


@transaction.atomic
def task_create(
    *, actor: Any, cell: Organisation, title: str, expected_result: str, due_on: dt.date | None, assignees: Iterable[Member],
    resolution_item: ResolutionItem | None = None, area_matter: str = "", petition: Any = None,
) -> Task:  # fmt: skip
    """``petition``: optionally the residential-area matter this task serves (a petition of the cell)."""
    if sel.cell_version(cell.pk) is None:
        raise ChiboError(_("Chỉ giao nhiệm vụ trong chi bộ đang hoạt động."))
    title, expected_result = _text(title, max_length=300), _text(expected_result, max_length=2000)
    members = list({m.pk: m for m in assignees}.values())
    _check_fields(cell=cell, title=title, expected_result=expected_result, due_on=due_on, assignees=members, new=True)
    _check_item(cell, resolution_item)
    _check_petition(cell, petition)
    assert due_on is not None
    task = Task.objects.create(
        cell=cell, title=title, expected_result=expected_result, due_on=due_on, resolution_item=resolution_item, petition=petition,
        area_matter=_text(area_matter, max_length=300), created_by=actor if getattr(actor, "pk", None) else None,
    )
    TaskAssignee.objects.bulk_create([TaskAssignee(task=task, member=m) for m in members])
    names = ", ".join(m.full_name for m in members)
    audit.record(
        actor=actor, verb="task.create", obj=task,
        summary=_("Giao nhiệm vụ “%(title)s” cho %(names)s, hạn %(due)s") % {"title": title, "names": names, "due": fmt_date(due_on)},
        after=_snapshot(task, [m.pk for m in members]),
    )
    notify.notify(
        recipients=_recipients(members),
        subject=_("Nhiệm vụ mới: %(title)s") % {"title": title},
        body=_("Chi bộ giao nhiệm vụ: %(title)s. Kết quả cần đạt: %(result)s. Hạn: %(due)s.") % {"title": title, "result": expected_result, "due": fmt_date(due_on)},
        url=_task_url(task),
    )
    return task


@transaction.atomic
def task_edit(
    *, actor: Any, task: Task, title: str, expected_result: str, due_on: dt.date | None, assignees: Iterable[Member], area_matter: str = "",
    petition: Any = None,
) -> Task:  # fmt: skip
    """Title, expected result, due date, area matter and the assignees of an open task. A member
    who already reported stays an assignee (their reports keep their author)."""
    task = _lock(task)
    if not task.is_open:
        raise ChiboError(_("Nhiệm vụ đã kết thúc; hãy mở lại trước khi sửa."))
    title, expected_result = _text(title, max_length=300), _text(expected_result, max_length=2000)
    members = list({m.pk: m for m in assignees}.values())
    old_ids = set(task.assignee_rows.values_list("member_id", flat=True))
    new_ids = {m.pk for m in members}
    cell = task.cell
    # Members kept from before may have left the cell since; only the added ones must be in it now.
    _check_fields(cell=cell, title=title, expected_result=expected_result, due_on=due_on, assignees=[m for m in members if m.pk not in old_ids] or members, new=False)
    if due_on is not None and due_on != task.due_on and due_on < today():
        raise ChiboError(_("Hạn hoàn thành mới không được trước hôm nay."), field="due_on")
    reporters = set(TaskReport.objects.filter(task=task).values_list("member_id", flat=True))
    removed_reporters = (old_ids - new_ids) & reporters
    if removed_reporters:
        raise ChiboError(_("Không bỏ được đảng viên đã báo cáo về nhiệm vụ này."), field="assignees")
    _check_petition(cell, petition)
    before = _snapshot(task, old_ids)
    assert due_on is not None
    task.title, task.expected_result, task.due_on, task.area_matter = title, expected_result, due_on, _text(area_matter, max_length=300)
    task.petition = petition
    task.save()
    TaskAssignee.objects.filter(task=task, member_id__in=old_ids - new_ids).delete()
    TaskAssignee.objects.bulk_create([TaskAssignee(task=task, member=m) for m in members if m.pk not in old_ids])
    audit.record(actor=actor, verb="task.edit", obj=task, summary=_("Sửa nhiệm vụ “%(title)s”") % {"title": title}, before=before, after=_snapshot(task, new_ids))
    edited.send(sender=Task, task=task, actor=actor)
    added = [m for m in members if m.pk not in old_ids]
    if added:
        notify.notify(recipients=_recipients(added), subject=_("Nhiệm vụ mới: %(title)s") % {"title": title}, body=_("Hạn: %(due)s.") % {"due": fmt_date(due_on)}, url=_task_url(task))
    return task


@transaction.atomic
def report_add(*, actor: Any, task: Task, text: str, data: bytes | None = None, name: str = "") -> TaskReport:
    task = _lock(task)
    member_id = getattr(actor, "member_id", None)
    if not member_id or not TaskAssignee.objects.filter(task=task, member_id=member_id).exists():
        raise ChiboError(_("Chỉ đảng viên được giao nhiệm vụ mới báo cáo được."))
    if not task.is_open:
        raise ChiboError(_("Nhiệm vụ đã kết thúc, không nhận báo cáo nữa."))
    text = _text(text, max_length=5000)
    if not text:
        raise ChiboError(_("Hãy ghi nội dung báo cáo."), field="text")
    report = TaskReport(task=task, member_id=member_id, text=text)
    after: dict[str, Any] = {"text": text}
    if data:
        limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
        if len(data) > limit:
            raise ChiboError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"}, field="file")
        content_type, ext = sniff(data)  # the meeting materials' check, by content
        report.original_name = os.path.basename((name or "").replace("\\", "/")).strip()[:200] or f"bao-cao.{ext}"
        report.content_type, report.size, report.sha256 = content_type, len(data), hashlib.sha256(data).hexdigest()
        report.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
        after.update({"file": report.file.name, "name": report.original_name, "sha256": report.sha256, "size": report.size})
    report.save()
    audit.record(actor=actor, verb="task.report", obj=task, summary=_("Báo cáo nhiệm vụ “%(title)s”") % {"title": task.title}, after=after)
    return report


def _check_meeting(task: Task, meeting: Meeting) -> None:
    if meeting.org_id != task.cell_id:
        raise ChiboError(_("Cuộc họp không phải của chi bộ giao nhiệm vụ."), field="meeting")
    if meeting.status not in CHECKABLE_MEETING:
        raise ChiboError(_("Chỉ kiểm tra nhiệm vụ tại cuộc họp đang họp hoặc đã kết thúc mà biên bản chưa duyệt."), field="meeting")


@transaction.atomic
def check_record(*, actor: Any, task: Task, meeting: Meeting, outcome: str, note: str = "") -> TaskCheck:
    task = _lock(task)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_meeting(task, meeting)
    if not task.is_open:
        raise ChiboError(_("Nhiệm vụ đã kết thúc."))
    if outcome not in CheckOutcome.values:
        raise ChiboError(_("Hãy chọn kết quả kiểm tra."), field="outcome")
    note = _text(note, max_length=1000)
    check = TaskCheck.objects.filter(task=task, meeting=meeting).first()
    before = audit.snapshot(check, ["outcome", "note"]) if check else {}
    if check is None:
        check = TaskCheck(task=task, meeting=meeting)
    check.outcome, check.note = outcome, note
    check.checked_by = actor if getattr(actor, "pk", None) else None
    check.save()
    audit.record(
        actor=actor, verb="task.check", obj=task,
        summary=_("Kiểm tra nhiệm vụ “%(title)s” tại cuộc họp %(meeting)s: %(outcome)s") % {"title": task.title, "meeting": meeting.month.strftime("%m/%Y"), "outcome": check.get_outcome_display()},
        before=before, after={"meeting": meeting.pk, "outcome": outcome, "note": note},
    )
    return check


@transaction.atomic
def task_close(
    *, actor: Any, task: Task, status: str, note: str = "", finished_on: dt.date | None = None, meeting: Meeting | None = None,
) -> Task:  # fmt: skip
    task = _lock(task)
    if not task.is_open:
        raise ChiboError(_("Nhiệm vụ đã kết thúc."))
    if status not in (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.NOT_DONE):
        raise ChiboError(_("Hãy chọn kết quả: hoàn thành, hoàn thành muộn hoặc không hoàn thành."), field="status")
    if meeting is not None:
        _check_meeting(task, Meeting.objects.select_for_update().get(pk=meeting.pk))
    note = _text(note, max_length=2000)
    day = today()
    if status == TaskStatus.NOT_DONE:
        if not note:
            raise ChiboError(_("Hãy ghi lý do nhiệm vụ không hoàn thành."), field="note")
        finished_on = None
    else:
        finished_on = finished_on or day
        if finished_on > day:
            raise ChiboError(_("Ngày hoàn thành không được sau hôm nay."), field="finished_on")
        if finished_on < timezone.localdate(task.created_at):
            raise ChiboError(_("Ngày hoàn thành không được trước ngày giao nhiệm vụ."), field="finished_on")
        if status == TaskStatus.DONE and finished_on > task.due_on:
            raise ChiboError(_("Hoàn thành sau hạn %(due)s: hãy chọn “Hoàn thành muộn”.") % {"due": fmt_date(task.due_on)}, field="status")
        if status == TaskStatus.DONE_LATE and finished_on <= task.due_on:
            raise ChiboError(_("Hoàn thành trong hạn %(due)s: hãy chọn “Hoàn thành”.") % {"due": fmt_date(task.due_on)}, field="status")
        if status == TaskStatus.DONE_LATE and not note:
            raise ChiboError(_("Hãy ghi nhận xét về việc hoàn thành muộn."), field="note")
    before = _snapshot(task)
    task.status, task.finished_on, task.closing_note = status, finished_on, note
    task.closed_at, task.closed_by, task.closed_at_meeting = timezone.now(), (actor if getattr(actor, "pk", None) else None), meeting
    task.save()
    status_changed.send(sender=Task, task=task, actor=actor)
    audit.record(
        actor=actor, verb="task.close", obj=task,
        summary=_("Kết thúc nhiệm vụ “%(title)s”: %(status)s") % {"title": task.title, "status": task.get_status_display()},
        before=before, after=_snapshot(task),
    )
    return task


@transaction.atomic
def task_reopen(*, actor: Any, task: Task, reason: str) -> Task:
    task = _lock(task)
    if task.is_open:
        raise ChiboError(_("Nhiệm vụ đang thực hiện, không cần mở lại."))
    reason = _text(reason, max_length=500)
    if not reason:
        raise ChiboError(_("Hãy ghi lý do mở lại nhiệm vụ."), field="reason")
    before = _snapshot(task)
    task.status, task.finished_on, task.closing_note = TaskStatus.OPEN, None, ""
    task.closed_at, task.closed_by, task.closed_at_meeting = None, None, None
    task.save()
    status_changed.send(sender=Task, task=task, actor=actor)
    audit.record(
        actor=actor, verb="task.reopen", obj=task,
        summary=_("Mở lại nhiệm vụ “%(title)s”. Lý do: %(reason)s") % {"title": task.title, "reason": reason},
        before=before, after={**_snapshot(task), "reason": reason},
    )
    return task
