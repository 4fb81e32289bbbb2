"""Petition figures for ``chibo stats --json`` (root key ``petitions``), issue 8 §6.

Petitions raised in ``year`` by cells whose version on ``on`` lies under ``path``:
- ``open``: not yet answered or closed (at the cell, held at a level, returned, re-opened);
- ``answered``: with an answer standing (answered, or closed after the read-out);
- ``overdue``: held at a level past its deadline on ``on``;
- ``escalated``: moved up at least once by the daily escalation;
- ``median_days_to_answer``: working days (chibo.core.workdays) from raising to the last answer,
  over the petitions answered; None when none was.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count, Q

from chibo.core.workdays import working_days_between
from chibo.orgs.models import OrgVersion
from chibo.petitions.models import HELD, OPEN_STATUSES, Petition, Status


def scoped(*, path: str, year: int, on: dt.date) -> Any:
    cells = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=path).values("org_id")
    return Petition.objects.filter(org_id__in=cells, raised_on__year=year)


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, Any]:
    qs = scoped(path=path, year=year, on=on)
    figures = qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        answered=Count("pk", filter=Q(status__in=[Status.ANSWERED, Status.CLOSED])),
        overdue=Count("pk", filter=Q(status__in=HELD, deadline__lt=on)),
        escalated=Count("pk", filter=Q(escalation_count__gt=0)),
    )
    days = [working_days_between(raised, answered) for raised, answered in qs.filter(answered_on__isnull=False).values_list("raised_on", "answered_on")]
    median = statistics.median(days) if days else None
    return {
        "open": figures["open"] or 0,
        "answered": figures["answered"] or 0,
        "overdue": figures["overdue"] or 0,
        "escalated": figures["escalated"] or 0,
        "median_days_to_answer": None if median is None else round(float(median), 1),
    }
