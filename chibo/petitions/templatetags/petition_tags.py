"""The petitions part of a meeting's pages: answers to read out, and petitions raised there."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import Action, policy_for
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.petitions import selectors as sel

register = template.Library()


@register.inclusion_tag("petitions/_meeting.html", takes_context=True)
def meeting_petitions(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """Answered petitions of the cell not yet read out (with the "read out" button for the secretary,
    on a meeting that is published, open or closed), those read out at this meeting, and the count
    of petitions raised at it: one query (the meeting pages already know ``can_manage``)."""
    request = context["request"]
    can_manage = context.get("can_manage")
    if can_manage is None:
        can_manage = policy_for(request).can(Action.EDIT_MEMBER, org_id=meeting.org_id)
    parts = sel.for_meeting(meeting=meeting)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "meeting": meeting,
        "pending": parts.pending if meeting.status != MeetingStatus.APPROVED else [],
        "read_here": parts.read_here,
        "raised": parts.raised,
        "can_read_out": can_manage and meeting.status in (MeetingStatus.PUBLISHED, MeetingStatus.OPEN, MeetingStatus.CLOSED),
        "can_manage": can_manage,
    }
