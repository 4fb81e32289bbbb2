"""The dues parts shown on other apps' pages (the member's record), and the VND format."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.access import Action, policy_for
from chibo.core.dates import today
from chibo.dues import selectors as sel

register = template.Library()


@register.filter
def vnd(value: Any) -> str:
    """30000 → "30.000 đ" (Vietnamese thousands separator)."""
    try:
        amount = int(value or 0)
    except (TypeError, ValueError):
        return ""
    return f"{amount:,}".replace(",", ".") + " đ"


@register.inclusion_tag("dues/_member_section.html", takes_context=True)
def dues_section(context: Any, member: Any) -> dict[str, Any]:
    """What the member owes and their latest receipts (the member page is already scoped to VIEW_MEMBER)."""
    request = context.get("request")
    can_edit = bool(request is not None and policy_for(request).members(Action.EDIT_MEMBER).filter(pk=member.pk).exists())
    return {"account": sel.account(member=member, on=today()), "member": member, "can_edit": can_edit}
