"""Briefings are reached through their committee, or through a cell whose people are invited."""

from __future__ import annotations

from django.http import Http404

from chibo.briefings.models import Briefing, BriefingAttendance
from chibo.core.access import Action, Policy, today


def briefing_or_404(policy: Policy, briefing_id: int, action: Action = Action.VIEW_ORG) -> Briefing:
    """The briefing if the user may ``action`` on its committee (today's tree); for reading, also when
    the user sees a cell invited to it. Otherwise 404, like a missing briefing."""
    briefing = Briefing.objects.filter(pk=briefing_id).first()
    if briefing is None:
        raise Http404
    if policy.can(action, org_id=briefing.committee_id, on=today()):
        return briefing
    if action is Action.VIEW_ORG:
        cells = BriefingAttendance.objects.filter(briefing=briefing).values("cell_id")
        if policy.versions(on=today(), action=Action.VIEW_ORG).filter(org_id__in=cells).exists():
            return briefing
    raise Http404
