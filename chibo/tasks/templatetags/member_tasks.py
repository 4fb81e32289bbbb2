"""Task parts shown on other apps' pages (meeting, resolution, cell, member record), so those pages
need one line each and no view change."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import Action, policy_for
from chibo.core.dates import today
from chibo.tasks import forms as f
from chibo.tasks import selectors as sel
from chibo.tasks.services import CHECKABLE_MEETING

register = template.Library()


def _policy(context: Any) -> Any:
    request = context.get("request")
    return policy_for(request) if request is not None else None


@register.simple_tag(takes_context=True)
def can_assign_tasks(context: Any, org_id: int) -> bool:
    policy = _policy(context)
    return bool(policy and policy.can(Action.EDIT_MEMBER, org_id=org_id))


@register.inclusion_tag("tasks/_meeting_review.html", takes_context=True)
def task_review(context: Any, meeting: Any) -> dict[str, Any]:
    """The open tasks of the meeting's cell, each with its latest report; the secretary records the
    chi ủy's check from here while the meeting is open or closed (not yet approved)."""
    policy = _policy(context)
    can_check = bool(policy and policy.can(Action.EDIT_MEMBER, org_id=meeting.org_id)) and meeting.status in CHECKABLE_MEETING
    rows = sel.meeting_review(meeting=meeting, on=today())
    if can_check:
        for row in rows:
            initial = {"meeting": meeting.pk, "outcome": row.check.outcome if row.check else None, "note": row.check.note if row.check else ""}
            row.form = f.CheckForm(initial=initial, auto_id=f"chk{row.task.pk}-%s")  # type: ignore[attr-defined]
    return {"rows": rows, "meeting": meeting, "can_check": can_check, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("tasks/_cell_block.html", takes_context=True)
def cell_task_block(context: Any, org_id: int) -> dict[str, Any]:
    counts = sel.cell_counts(cell_id=org_id, on=today())
    return {"org_id": org_id, "counts": counts}


@register.inclusion_tag("tasks/_member_record.html")
def member_task_section(member: Any, year: int | None = None) -> dict[str, Any]:
    return {"record": sel.member_task_record(member=member, year=year or today().year)}
