"""Versioned rules: a domain rule whose value changes on a known date (party dues rising in 2028) or
may change (a rule marked LOW in domain.md) is a setting holding its versions, each from a date:

    CHIBO_DUES_OTHERS_PERMILLE = [("2026-01-01", 3), ("2028-01-01", 5)]

:func:`rule_on` gives the version in force on a day: the last one whose date is on or before it.
Records keep the value they were made under (a receipt keeps its rate), so a later version never
rewrites the past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def versions(name: str) -> list[tuple[dt.date, Any]]:
    """The versions of setting ``name``, oldest first (each ``(date or ISO string, value)``)."""
    raw = getattr(settings, name)
    out: list[tuple[dt.date, Any]] = []
    for since, value in raw:
        day = since if isinstance(since, dt.date) else dt.date.fromisoformat(str(since))
        out.append((day, value))
    out.sort(key=lambda pair: pair[0])
    return out


def rule_on(name: str, on: dt.date) -> Any:
    """The value of the versioned setting ``name`` in force on ``on``."""
    found = [value for since, value in versions(name) if since <= on]
    if not found:
        raise ImproperlyConfigured(f"{name} has no version in force on {on.isoformat()}")
    return found[-1]
