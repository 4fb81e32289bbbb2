"""The cell's recorded term, for pages outside the meetings app (the cell page): never guessed."""

from __future__ import annotations

import datetime as dt

from django import template

from chibo.meetings.models import CellTerm
from chibo.meetings.selectors_prep import term_on

register = template.Library()


@register.simple_tag
def cell_term_on(org_id: int, day: dt.date) -> CellTerm | None:
    """The term recorded for the cell on ``day``, or None (the page then says none is recorded)."""
    return term_on(org_id=org_id, day=day)
