from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict

from chibo.core import dates
from chibo.core.models import OPEN

register = template.Library()

# Dates and times in templates go through these filters (chibo.core.dates), never |date or |time on a
# datetime: each converts an aware datetime to Vietnam time first. A wrong value shows as nothing.


@register.filter
def dmy(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy of the day in Vietnam; an open period end shows as nothing."""
    if not isinstance(value, dt.date) or value == OPEN:
        return ""
    return dates.fmt_date(value)


@register.filter
def hm(value: dt.datetime | dt.time | None) -> str:
    """HH:MM in Vietnam (also for a time of day)."""
    if not isinstance(value, dt.datetime | dt.time):
        return ""
    return dates.fmt_time(value)


@register.filter
def dmy_hm(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam."""
    if not isinstance(value, dt.datetime):
        return ""
    return dates.fmt_datetime(value)


@register.filter
def my(value: dt.date | dt.datetime | None) -> str:
    """mm/yyyy (a meeting's month, a statistics period)."""
    if not isinstance(value, dt.date):
        return ""
    return dates.fmt_month(value)


@register.filter
def is_open(value: dt.date | None) -> bool:
    return value == OPEN


@register.simple_tag(takes_context=True)
def query(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def audit_changes(event: Any) -> list[tuple[str, str | None, str]]:
    from chibo.core.audit import describe_changes

    return describe_changes(event)
