"""Writes for inspection plans. Each service is one transaction with its audit row.

Rules (issue 8 §5; guessed where the seeds are silent):
- one plan per organisation and year; a committee plans for its subtree, a cell for itself (its
  self-inspection of assigned tasks: the cell is then both the plan's organisation and the target);
- a target is an organisation in the plan's subtree, or a member whose record is in one of them
  (the organisation is then the member's cell) on the first planned day;
- planned months lie in the plan's year; an approved plan can still get items (a supplement);
- an item moves planned → in progress → done (with its date, findings and conclusions) or cancelled
  (with a reason); done and cancelled are final;
- a follow-up has a responsible member of the target's subtree, a due date, and the states of a
  member task: open, then done or not done;
- when the responsible member is in a cell, the follow-up is tracked as a member task of that cell
  (tasks.services.task_create, in the same transaction): reports, the monthly check and the closing
  happen on the task, and the follow-up's status follows it (follow_task, on the tasks' signal); it
  is not closed here. A cell's self-inspection uses the same records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import fmt_date
from chibo.core.dates import today as local_today
from chibo.core.errors import ChiboError
from chibo.inspections import selectors as sel
from chibo.inspections.models import (
    FollowUp,
    FollowUpStatus,
    InspectionItem,
    InspectionKind,
    InspectionPlan,
    ItemStatus,
)
from chibo.orgs.models import Organisation
from chibo.orgs.selectors import versions_on
from chibo.tasks import selectors as task_sel
from chibo.tasks import services as tasks
from chibo.tasks.models import Task, TaskStatus

ITEM_FIELDS = ["kind", "target_org", "target_member", "topic", "month_from", "month_to", "inspectors", "status", "findings", "conclusions", "done_on", "cancel_reason"]
FOLLOW_FIELDS = ["text", "responsible", "due_on", "status", "closed_on", "note", "task"]


def _year_check(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ChiboError(_("Năm không hợp lệ."), field="year")


@transaction.atomic
def plan_create(*, actor: Any, org: Organisation, year: int, note: str = "") -> InspectionPlan:
    _year_check(year)
    on = max(dt.date(year, 1, 1), min(local_today(), dt.date(year, 12, 31)))
    if not versions_on(on).filter(org_id=org.pk).exists():
        raise ChiboError(_("Tổ chức không tồn tại trong năm %(year)s.") % {"year": year}, field="year")
    if InspectionPlan.objects.filter(org=org, year=year).exists():
        raise ChiboError(_("Đã có kế hoạch kiểm tra, giám sát năm %(year)s.") % {"year": year}, field="year")
    plan = InspectionPlan.objects.create(org=org, year=year, note=note.strip())
    audit.record(actor=actor, verb="inspection.plan_create", obj=plan, summary=_("Lập kế hoạch kiểm tra, giám sát năm %(year)s") % {"year": year}, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def plan_approve(*, actor: Any, plan: InspectionPlan, on: dt.date) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.approved_on is not None:
        raise ChiboError(_("Kế hoạch đã được duyệt ngày %(day)s.") % {"day": fmt_date(plan.approved_on)})
    if not plan.items.exists():
        raise ChiboError(_("Kế hoạch chưa có nội dung nào để duyệt."))
    if on > local_today():
        raise ChiboError(_("Ngày duyệt không thể sau hôm nay."), field="on")
    plan.approved_on = on
    plan.save(update_fields=["approved_on"])
    audit.record(actor=actor, verb="inspection.plan_approve", obj=plan, summary=_("Duyệt kế hoạch kiểm tra, giám sát năm %(year)s") % {"year": plan.year}, after={"approved_on": on})
    return plan


def _check_item(plan: InspectionPlan, *, kind: str, target_org_id: int | None, target_member_id: int | None, month_from: dt.date, month_to: dt.date, topic: str) -> int:
    """The target organisation after the checks (a member's cell when only a member is named)."""
    if kind not in InspectionKind.values:
        raise ChiboError(_("Loại không hợp lệ."), field="kind")
    if not topic.strip():
        raise ChiboError(_("Hãy nhập nội dung kiểm tra, giám sát."), field="topic")
    if month_from.year != plan.year or month_to.year != plan.year:
        raise ChiboError(_("Thời gian phải trong năm %(year)s của kế hoạch.") % {"year": plan.year}, field="month_from")
    if month_to < month_from:
        raise ChiboError(_("Tháng kết thúc phải từ tháng bắt đầu trở đi."), field="month_to")
    on = month_from
    if target_member_id is not None:
        cell = sel.member_org_on(target_member_id, on) or sel.member_org_on(target_member_id, local_today())
        if cell is None or not sel.in_subtree(root_id=plan.org_id, org_id=cell, on=local_today()):
            raise ChiboError(_("Đảng viên này không thuộc tổ chức lập kế hoạch."), field="target_member")
        if target_org_id is None:
            target_org_id = cell
    if target_org_id is None:
        raise ChiboError(_("Hãy chọn tổ chức hoặc đảng viên được kiểm tra, giám sát."), field="target_org")
    if not (sel.in_subtree(root_id=plan.org_id, org_id=target_org_id, on=on) or sel.in_subtree(root_id=plan.org_id, org_id=target_org_id, on=local_today())):
        raise ChiboError(_("Đối tượng kiểm tra, giám sát phải thuộc tổ chức lập kế hoạch."), field="target_org")
    return target_org_id


@transaction.atomic
def item_add(
    *, actor: Any, plan: InspectionPlan, kind: str, target_org_id: int | None, target_member_id: int | None, topic: str,
    month_from: dt.date, month_to: dt.date, inspectors: str = "",
) -> InspectionItem:
    month_from, month_to = sel.first_of_month(month_from), sel.first_of_month(month_to)
    target = _check_item(plan, kind=kind, target_org_id=target_org_id, target_member_id=target_member_id, month_from=month_from, month_to=month_to, topic=topic)
    item = InspectionItem.objects.create(
        plan=plan, kind=kind, target_org_id=target, target_member_id=target_member_id, topic=topic.strip(),
        month_from=month_from, month_to=month_to, inspectors=inspectors.strip(),
    )
    audit.record(actor=actor, verb="inspection.item_add", obj=item, summary=_("Thêm nội dung kế hoạch: %(t)s") % {"t": item.topic}, after=audit.snapshot(item, ITEM_FIELDS))
    return item


def _open(item: InspectionItem) -> InspectionItem:
    item = InspectionItem.objects.select_for_update().get(pk=item.pk)
    if item.status in (ItemStatus.DONE, ItemStatus.CANCELLED):
        raise ChiboError(_("Nội dung này đã %(status)s, không sửa được.") % {"status": item.get_status_display().lower()})
    return item


@transaction.atomic
def item_update(
    *, actor: Any, item: InspectionItem, kind: str, target_org_id: int | None, target_member_id: int | None, topic: str,
    month_from: dt.date, month_to: dt.date, inspectors: str = "",
) -> InspectionItem:
    item = _open(item)
    month_from, month_to = sel.first_of_month(month_from), sel.first_of_month(month_to)
    target = _check_item(item.plan, kind=kind, target_org_id=target_org_id, target_member_id=target_member_id, month_from=month_from, month_to=month_to, topic=topic)
    before = audit.snapshot(item, ITEM_FIELDS)
    item.kind, item.target_org_id, item.target_member_id, item.topic = kind, target, target_member_id, topic.strip()
    item.month_from, item.month_to, item.inspectors = month_from, month_to, inspectors.strip()
    item.save()
    audit.record(actor=actor, verb="inspection.item_update", obj=item, summary=_("Sửa nội dung kế hoạch: %(t)s") % {"t": item.topic}, before=before, after=audit.snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def item_record(
    *, actor: Any, item: InspectionItem, status: str, findings: str = "", conclusions: str = "", done_on: dt.date | None = None, cancel_reason: str = "",
) -> InspectionItem:
    """Carry the item forward: in progress (findings so far), done (date, findings and conclusions
    required) or cancelled (a reason required)."""
    item = _open(item)
    before = audit.snapshot(item, ITEM_FIELDS)
    if status not in ItemStatus.values or status == ItemStatus.PLANNED and item.status != ItemStatus.PLANNED:
        raise ChiboError(_("Trạng thái không hợp lệ."), field="status")
    item.findings, item.conclusions = findings.strip(), conclusions.strip()
    if status == ItemStatus.DONE:
        if done_on is None:
            raise ChiboError(_("Hãy nhập ngày hoàn thành."), field="done_on")
        if done_on > local_today():
            raise ChiboError(_("Ngày hoàn thành không thể sau hôm nay."), field="done_on")
        if done_on < item.month_from:
            raise ChiboError(_("Ngày hoàn thành trước tháng bắt đầu theo kế hoạch (%(m)s).") % {"m": item.month_from.strftime("%m/%Y")}, field="done_on")
        if not item.findings or not item.conclusions:
            raise ChiboError(_("Hãy ghi kết quả kiểm tra, giám sát và kết luận."), field="conclusions" if item.findings else "findings")
        item.done_on = done_on
    elif status == ItemStatus.CANCELLED:
        if not cancel_reason.strip():
            raise ChiboError(_("Hãy ghi lý do hủy."), field="cancel_reason")
        item.cancel_reason = cancel_reason.strip()
    item.status = status
    item.save()
    audit.record(
        actor=actor, verb="inspection.item_record", obj=item,
        summary=_("%(t)s: %(s)s") % {"t": item.topic, "s": item.get_status_display()},
        before=before, after=audit.snapshot(item, ITEM_FIELDS),
    )
    return item


def _check_responsible(item: InspectionItem, member_id: int | None) -> None:
    if member_id is None:
        return
    org = sel.member_org_on(member_id, local_today())
    if org is None or not (sel.in_subtree(root_id=item.target_org_id, org_id=org, on=local_today()) or sel.in_subtree(root_id=item.plan.org_id, org_id=org, on=local_today())):
        raise ChiboError(_("Người chịu trách nhiệm phải là đảng viên của tổ chức được kiểm tra hoặc tổ chức lập kế hoạch."), field="responsible")


@transaction.atomic
def follow_up_add(*, actor: Any, item: InspectionItem, text: str, responsible_id: int | None, due_on: dt.date) -> FollowUp:
    item = InspectionItem.objects.select_related("plan").get(pk=item.pk)
    if item.status == ItemStatus.CANCELLED:
        raise ChiboError(_("Nội dung này đã hủy."))
    if not text.strip():
        raise ChiboError(_("Hãy ghi việc cần khắc phục, thực hiện."), field="text")
    _check_responsible(item, responsible_id)
    found = FollowUp(item=item, text=text.strip(), responsible_id=responsible_id, due_on=due_on)
    cell_id = sel.member_org_on(responsible_id, local_today()) if responsible_id else None
    if cell_id is not None and task_sel.cell_version(cell_id) is not None:
        line = found.text.splitlines()[0].strip()
        found.task = tasks.task_create(
            actor=actor, cell=Organisation.objects.get(pk=cell_id), title=line if len(line) <= 300 else line[:299].rstrip() + "…",
            expected_result=found.text, due_on=due_on, assignees=[found.responsible],  # type: ignore[list-item]
        )
    found.save()
    audit.record(actor=actor, verb="inspection.follow_up_add", obj=found, summary=_("Việc sau kiểm tra: %(t)s") % {"t": found.text}, after=audit.snapshot(found, FOLLOW_FIELDS))
    return found


@transaction.atomic
def follow_up_close(*, actor: Any, follow_up: FollowUp, status: str, note: str = "") -> FollowUp:
    found = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if found.task_id is not None:
        raise ChiboError(_("Việc này được theo dõi như nhiệm vụ của chi bộ: đánh giá trên trang nhiệm vụ."))
    if found.status != FollowUpStatus.OPEN:
        raise ChiboError(_("Việc này đã được đánh giá."))
    if status not in (FollowUpStatus.DONE, FollowUpStatus.NOT_DONE):
        raise ChiboError(_("Trạng thái không hợp lệ."), field="status")
    before = audit.snapshot(found, FOLLOW_FIELDS)
    found.status, found.closed_on, found.note = status, local_today(), note.strip()
    found.save()
    audit.record(actor=actor, verb="inspection.follow_up_close", obj=found, summary=_("%(t)s: %(s)s") % {"t": found.text, "s": found.get_status_display()}, before=before, after=audit.snapshot(found, FOLLOW_FIELDS))
    return found


def follow_task(*, task: Task, actor: Any, **kwargs: Any) -> None:
    """The tasks' ``status_changed`` signal (inside the task service's transaction): the follow-up
    tracked by ``task`` takes its status — done (in time or late), not done, or open again."""
    found = FollowUp.objects.select_for_update().filter(task=task).first()
    if found is None:
        return
    status = {TaskStatus.OPEN: FollowUpStatus.OPEN, TaskStatus.NOT_DONE: FollowUpStatus.NOT_DONE}.get(task.status, FollowUpStatus.DONE)  # type: ignore[call-overload]
    before = audit.snapshot(found, FOLLOW_FIELDS)
    found.status = status
    found.closed_on = None if status == FollowUpStatus.OPEN else local_today()
    found.note = "" if status == FollowUpStatus.OPEN else (task.closing_note or task.get_status_display())[:300]
    found.save(update_fields=["status", "closed_on", "note"])
    audit.record(
        actor=actor, verb="inspection.follow_up_task", obj=found,
        summary=_("%(t)s: %(s)s (theo nhiệm vụ)") % {"t": found.text, "s": found.get_status_display()},
        before=before, after=audit.snapshot(found, FOLLOW_FIELDS),
    )


def follow_task_edit(*, task: Task, actor: Any, **kwargs: Any) -> None:
    """The tasks' ``edited`` signal: the follow-up tracked by ``task`` keeps the task's due date."""
    found = FollowUp.objects.select_for_update().filter(task=task).first()
    if found is None or found.due_on == task.due_on:
        return
    before = audit.snapshot(found, FOLLOW_FIELDS)
    found.due_on = task.due_on
    found.save(update_fields=["due_on"])
    audit.record(
        actor=actor, verb="inspection.follow_up_task", obj=found,
        summary=_("%(t)s: hạn mới %(due)s (theo nhiệm vụ)") % {"t": found.text, "due": fmt_date(found.due_on)},
        before=before, after=audit.snapshot(found, FOLLOW_FIELDS),
    )
