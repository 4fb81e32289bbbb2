"""Discipline parts shown on other apps' pages (the member's record, the organisation page), so those
pages need one line each and no view change."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import Action, policy_for
from chibo.core.dates import today
from chibo.discipline import selectors as sel
from chibo.orgs.models import CELL_KINDS

register = template.Library()


def _policy(context: Any) -> Any:
    request = context.get("request")
    return policy_for(request) if request is not None else None


@register.inclusion_tag("discipline/_member.html", takes_context=True)
def discipline_member_section(context: Any, member: Any, can_edit: bool = False) -> dict[str, Any]:
    """The member's exemptions, removal proposals, discipline records and open flags, for whoever may
    view the member (the page is reached through the policy); the actions for those who edit them."""
    return {"member": member, "section": sel.member_section(member_id=member.pk), "can_edit": can_edit}


@register.inclusion_tag("discipline/_org.html", takes_context=True)
def discipline_org_block(context: Any, version: Any) -> dict[str, Any]:
    """A link to the discipline page for those who read the organisation's members, and a cell's
    overdue reconciliation flag (one query, for a cell)."""
    policy = _policy(context)
    can_view = bool(policy and policy.allows(Action.VIEW_MEMBER, org_id=version.org_id, path=version.path))  # the page's own row: no query
    check = sel.cell_check(cell_id=version.org_id, today=today()) if version.kind in CELL_KINDS else None
    return {"version": version, "can_view": can_view, "check": check, "every": sel.every_months()}
