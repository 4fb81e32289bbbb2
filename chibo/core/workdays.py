"""Working days: Monday to Friday, less the public holidays kept in ``settings.CHIBO_PUBLIC_HOLIDAYS``.

Petition deadlines (chibo.petitions) count in working days. The holidays are data (ISO dates in
settings), not rules: Tết and the Hùng Kings' day follow the lunar calendar and the Government
publishes each year's days off, so the list must be updated yearly (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _parse(values: tuple[str, ...]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(v) for v in values)


def holidays() -> frozenset[dt.date]:
    return _parse(tuple(getattr(settings, "CHIBO_PUBLIC_HOLIDAYS", ())))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The day ``n`` working days after ``start`` (``start`` itself is not counted): a deadline
    never lands on a weekend or a holiday. ``n`` = 0 gives ``start`` or the next working day."""
    day = start
    if n <= 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    left = n
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after ``a`` up to and including ``b`` (0 when ``b`` <= ``a``), so that
    ``working_days_between(a, add_working_days(a, n)) == n``."""
    if b <= a:
        return 0
    days = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
