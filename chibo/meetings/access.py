"""Meetings are reached through their cell: the one access policy decides."""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.meetings.models import Meeting, UpperAssignment


def meeting_or_404(policy: Policy, meeting_id: int, action: Action = Action.VIEW_ORG) -> Meeting:
    """The meeting if the user may ``action`` on its cell (today's tree); upper-level attendees
    assigned to the cell for the meeting's month may view it too. Otherwise 404."""
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("org").first()
    if meeting is None:
        raise Http404
    if policy.can(action, org_id=meeting.org_id, on=today()):
        return meeting
    if action is Action.VIEW_ORG and getattr(policy.user, "is_authenticated", False) and UpperAssignment.objects.filter(
        cell_id=meeting.org_id, month=meeting.month, attendee=policy.user
    ).exists():
        return meeting
    raise Http404
