"""The numeric rules of transfers (24-QĐ/TW §6.3), as small functions with tested edges."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from chibo.core.dates import add_months
from chibo.core.workdays import add_working_days


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: 3 when ``end`` is at least 3 months after ``start``
    (add_months, so 31/01 + 1 month is 28/02) and less than 4."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def temporary_period_ok(start: dt.date, end: dt.date, *, for_study: bool) -> bool:
    """From 3 months to under 12 (to 24 months included for study)."""
    if end < add_months(start, settings.CHIBO_TRANSFER_TEMP_MIN_MONTHS):
        return False
    if for_study:
        return end <= add_months(start, settings.CHIBO_TRANSFER_STUDY_MAX_MONTHS)
    return end < add_months(start, settings.CHIBO_TRANSFER_TEMP_MAX_MONTHS)


def letter_due(decided_on: dt.date) -> dt.date:
    return add_working_days(decided_on, settings.CHIBO_TRANSFER_LETTER_WORKDAYS)


def present_due(letter_on: dt.date) -> dt.date:
    return add_working_days(letter_on, settings.CHIBO_TRANSFER_PRESENT_WORKDAYS)
