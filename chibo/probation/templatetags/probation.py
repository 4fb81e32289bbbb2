"""The probation section of the member's page (one include line there, no view change)."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import today
from chibo.members.models import Member, Status
from chibo.probation import rules, selectors
from chibo.probation.models import ProbationCase

register = template.Library()


@register.inclusion_tag("probation/_member_section.html")
def probation_section(member: Member, status: Any = None) -> dict[str, Any]:
    """Shown for a probationary member, and for one whose case chibo holds (two queries at most)."""
    case = ProbationCase.objects.filter(member=member).first()
    probationary = getattr(status, "status", None) == Status.PROBATIONARY
    if case is None and not probationary:
        return {"shown": False}
    step = deadline = overdue = None
    if probationary:
        step, deadline, overdue = selectors.classify(admitted_on=member.admitted_on, case=case, today=today())
    return {
        "shown": True, "member": member, "case": case, "end": rules.probation_end(member.admitted_on), "probationary": probationary,
        "step": selectors.STEPS.get(step or "", ""), "deadline": deadline, "overdue": overdue,
    }  # fmt: skip
