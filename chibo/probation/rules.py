"""The counting rules of probation (domain.md §2, HIGH), pure functions used by the services, the
selectors and the jobs alike.

- Probation lasts ``CHIBO_PROBATION_MONTHS`` (12) months from the ceremony (``Member.admitted_on``) and
  ends on the same day that many months later (the month's last day when it has no such day:
  29/02/2024 → 28/02/2025), counted with the one month helper, ``chibo.core.dates.add_months``.
- The cell votes from that day on, within ``CHIBO_PROBATION_VOTE_WORKDAYS`` working days; the superior
  decides within ``CHIBO_PROBATION_DECISION_WORKDAYS`` working days of the vote.
- A vote passes with yes votes at least 2/3 of the cell's official members on the vote day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings

from chibo.core.dates import add_months
from chibo.core.workdays import add_working_days


def months() -> int:
    return int(getattr(settings, "CHIBO_PROBATION_MONTHS", 12))


def remind_days() -> int:
    return int(getattr(settings, "CHIBO_PROBATION_REMIND_DAYS", 30))


def vote_workdays() -> int:
    return int(getattr(settings, "CHIBO_PROBATION_VOTE_WORKDAYS", 30))


def decision_workdays() -> int:
    return int(getattr(settings, "CHIBO_PROBATION_DECISION_WORKDAYS", 30))


def max_failed_votes() -> int:
    return int(getattr(settings, "CHIBO_PROBATION_MAX_FAILED_VOTES", 3))


def probation_end(admitted_on: dt.date) -> dt.date:
    """The day the probation ends (and the official date when recognised)."""
    return add_months(admitted_on, months())


def admitted_by(end: dt.date) -> dt.date:
    """The latest ceremony day whose probation ends on or before ``end``: the filter on
    ``admitted_on`` that stands for "ends by ``end``" in a query (add_months never decreases, so one
    step back and a few forward find it, the month-end days included)."""
    day = add_months(end, -months())
    while probation_end(day + dt.timedelta(days=1)) <= end:
        day += dt.timedelta(days=1)
    while probation_end(day) > end:
        day -= dt.timedelta(days=1)
    return day


def remind_from(end: dt.date) -> dt.date:
    return end - dt.timedelta(days=remind_days())


def vote_deadline(end: dt.date) -> dt.date:
    """The last day of the cell's vote: N working days after the end of probation."""
    return add_working_days(end, vote_workdays())


def decision_deadline(voted_on: dt.date) -> dt.date:
    """The last day of the superior's decision: N working days after the vote."""
    return add_working_days(voted_on, decision_workdays())


def latest_with_deadline_before(today: dt.date, deadline: Callable[[dt.date], dt.date]) -> dt.date:
    """The latest day ``d`` whose ``deadline(d)`` is before ``today`` (deadlines never go back when
    ``d`` moves on): "overdue" as a date filter."""
    day = today - dt.timedelta(days=1)
    while deadline(day) >= today:
        day -= dt.timedelta(days=1)
    return day


def passes(*, yes_votes: int, official_members: int) -> bool:
    """At least 2/3 of the official members, counted in integers: 3·yes ≥ 2·official."""
    return official_members > 0 and 3 * yes_votes >= 2 * official_members
