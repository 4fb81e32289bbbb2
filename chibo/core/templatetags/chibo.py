from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict

from chibo.core.models import OPEN

register = template.Library()


@register.filter
def dmy(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy; an open period end shows as nothing."""
    if value is None or value == OPEN:
        return ""
    return value.strftime("%d/%m/%Y")


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
