"""Daily jobs of admissions (run by the scheduler on the job queue; see the DAILY convention)."""

from __future__ import annotations

import datetime as dt

from chibo.admissions import services
from chibo.admissions.models import Candidate, State


def flag_overdue(*, today: dt.date) -> int:
    """Flag each candidate whose decision (past 60 working days of the cell's vote, 90 when extended) or
    ceremony (past 30 working days of the decision) is overdue, and notify the cell's secretary and the
    deciding committee's staff. Once per deadline: ``overdue_flagged_on`` is set in the same transaction
    (and cleared when a new deadline is set), so running twice flags nothing new."""
    ids = list(
        Candidate.objects.filter(state=State.IN_PROGRESS, deadline__lt=today, overdue_flagged_on__isnull=True)
        .order_by("deadline", "pk").values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if services.flag_overdue_one(candidate_id=pk, on=today))


DAILY = [flag_overdue]
