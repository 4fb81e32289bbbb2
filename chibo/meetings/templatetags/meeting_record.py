"""Template helpers of the meeting-day pages (record views and their includes)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from chibo.meetings import agenda_templates
from chibo.meetings import selectors_record as sel

register = template.Library()


@register.filter
def agenda_content(item: Any) -> str:
    """An agenda item's details as the user wrote them (a template hint is guidance, not content)."""
    return agenda_templates.content_of(getattr(item, "details", ""))


@register.filter
def agenda_hint(item: Any) -> str:
    """The agenda template's guidance for the item (shown in forms, never printed)."""
    return agenda_templates.hint_for(item)


@register.simple_tag
def needs_term(meeting: Any) -> bool:
    """Whether adopting this meeting's resolution would be refused for want of a recorded term."""
    return sel.needs_term(meeting)


@register.simple_tag
def terms_url(org_id: int) -> str:
    """The cell's terms page, when that page exists ("" otherwise)."""
    try:
        return reverse("meetings:terms", args=[org_id])
    except NoReverseMatch:
        return ""
