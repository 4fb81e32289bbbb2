"""Dues figures for ``chibo stats --json`` (root key ``dues``), with the report's definitions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

from chibo.dues.models import DuesMonth, Receipt
from chibo.dues.selectors import _unpaid_q, report_period
from chibo.orgs.selectors import versions_on


def json_figures(*, path: str, year: int, on: dt.date) -> dict[str, int]:
    """The totals of the dues report (``selectors.report``) of the subtree at ``path`` for ``year``, up
    to ``on``: its months 01..the month of ``on`` (to December for another year), as of ``on`` (or the
    year's last day if earlier). Two queries:

    - ``owed_vnd``: the monthly records' amounts of those months at the subtree's cells;
    - ``collected_vnd``: the receipts of the subtree's cells dated from 1 January to the as-of day;
    - ``arrears_members``: members with a month of those months that has ended, owed and unpaid on the
      as-of day (the report's "in arrears": months of the year only)."""
    month = on.month if year == on.year else 12
    start, end_month, period_end, asof, ended_before = report_period(year=year, month=month, today=on)
    cells = versions_on(on).filter(path__startswith=path).values("org_id")
    months = DuesMonth.objects.filter(cell_id__in=cells, month__gte=start, month__lte=end_month)
    row = months.aggregate(
        owed=Sum("amount_vnd"),
        arrears=Count("member_id", distinct=True, filter=_unpaid_q(asof) & Q(month__lte=ended_before)),
    )
    collected = Receipt.objects.filter(cell_id__in=cells, paid_on__gte=start, paid_on__lte=min(period_end, asof)).aggregate(v=Sum("amount_vnd"))
    return {"owed_vnd": int(row["owed"] or 0), "collected_vnd": int(collected["v"] or 0), "arrears_members": int(row["arrears"] or 0)}
