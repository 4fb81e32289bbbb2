"""The residence-contact section of the member's page: one include line there, no view change."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.dates import today
from chibo.residence import selectors as sel

register = template.Library()


@register.inclusion_tag("residence/_member.html")
def residence_member_section(member: Any) -> dict[str, Any]:
    """The member's registrations at residence cells and the comments received (the page itself is
    reached through the policy's VIEW_MEMBER: the work side). Two queries."""
    return {"registrations": sel.member_registrations(member_id=member.pk, on=today()), "member": member}
