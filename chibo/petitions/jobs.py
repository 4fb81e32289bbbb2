"""Daily jobs of petitions (run by the scheduler on the job queue; see the common DAILY convention)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError

from chibo.petitions import services
from chibo.petitions.models import HELD, Petition


def escalate_overdue(*, today: dt.date) -> int:
    """Escalate each petition overdue at a committee to the committee's parent (flag it at the root).

    Idempotent: a petition gets at most one escalation entry a day (a unique constraint), and an
    escalated one has a new deadline; returns how many petitions were escalated or flagged.
    """
    ids = list(
        Petition.objects.filter(status__in=HELD, holder__isnull=False, deadline__lt=today).order_by("deadline", "pk").values_list("pk", flat=True)
    )
    done = 0
    for pk in ids:
        try:
            if services.escalate_one(petition=Petition(pk=pk), on=today):
                done += 1
        except IntegrityError:  # another worker escalated it today (the unique constraint): nothing to add
            continue
    return done


DAILY = [escalate_overdue]
