"""The transfers section of the member's page (one include line there, no view change)."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import policy_for
from chibo.core.dates import today
from chibo.transfers import selectors as sel

register = template.Library()


@register.inclusion_tag("transfers/_member.html", takes_context=True)
def member_transfer_section(context: Any, member: Any) -> dict[str, Any]:
    request = context.get("request")
    policy = policy_for(request) if request is not None else None
    rows = sel.member_transfers(member_id=member.pk, on=today())
    can_view = bool(policy and policy.roles() & {"secretary", "staff", "admin"})
    return {"rows": rows, "member": member, "can_view": can_view, "request": request}
