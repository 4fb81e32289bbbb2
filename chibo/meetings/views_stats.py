"""Meeting statistics pages: a node's figures for a month, drill-down to cells, 12-month chart, .xlsx.

The definitions are in selectors_stats.py. Reads are scoped by the access policy at the tree date
of the figures; out of scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.viewutils import as_of as parse_as_of
from chibo.meetings import exports
from chibo.meetings.selectors_stats import (
    MonthPoint,
    NodeStats,
    add_months,
    first_of_month,
    node_stats_and_series,
    parse_month,
    tree_date,
)
from chibo.orgs.selectors import ancestors


@dataclass
class Params:
    month: dt.date
    as_of: dt.date | None  # given by the user; None: each month's own end
    on: dt.date  # the tree date of the month's figures
    errors: list[str]


def _params(request: HttpRequest) -> Params:
    errors: list[str] = []
    as_of: dt.date | None = None
    if request.GET.get("as_of", "").strip():
        value, error = parse_as_of(request)
        if error:
            errors.append(error)
        else:
            as_of = value
    raw_month = request.GET.get("month", "").strip()
    month = parse_month(raw_month)
    if month is None:
        if raw_month:
            errors.append(_("Tháng %(value)s không đúng dạng mm/yyyy.") % {"value": raw_month})
        # No month asked: the last complete month (the current one is still being held: on the
        # 1st it would show all zeros). An "as of" date alone shows its own month.
        month = first_of_month(as_of) if as_of is not None else add_months(first_of_month(today()), -1)
    return Params(month=month, as_of=as_of, on=tree_date(month, as_of), errors=errors)


def meeting_url(meeting_id: int) -> str:
    """The meeting's page; built by path while the meetings:detail view is not there yet."""
    try:
        return reverse("meetings:detail", args=[meeting_id])
    except NoReverseMatch:
        return f"/meetings/{meeting_id}/"


def _query(month: dt.date, as_of: dt.date | None) -> str:
    params = {"month": f"{month:%Y-%m}"}
    if as_of is not None:
        params["as_of"] = f"{as_of:%d/%m/%Y}"
    return urlencode(params)


def _load(request: HttpRequest, org_id: int) -> tuple[Params, NodeStats, list[MonthPoint]]:
    params = _params(request)
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=params.on, action=Action.VIEW_ORG)
    stats, points = node_stats_and_series(policy=policy, version=version, month=params.month, on=params.on, as_of=params.as_of)
    return params, stats, points


# The chart ------------------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    cx: float
    label: str
    held: Decimal | None
    rate: Decimal | None
    rate_y: float | None


def chart(points: list[MonthPoint]) -> dict[str, Any]:
    """Geometry of the 12-month chart: bars for held share, a line for attendance rate (both 0–100%)."""
    width, height = 360, 230
    left, right, top, bottom = 34, 8, 12, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    slot = plot_w / max(len(points), 1)

    def y_of(value: Decimal) -> float:
        return round(base - float(min(value, Decimal(100))) / 100 * plot_h, 1)

    bars: list[Bar] = []
    for i, p in enumerate(points):
        cx = round(left + slot * (i + 0.5), 1)
        held = p.held_share
        y = y_of(held) if held is not None else base
        rate = p.attendance_rate
        bars.append(
            Bar(
                x=round(cx - slot * 0.3, 1), y=y, width=round(slot * 0.6, 1), height=round(base - y, 1), cx=cx,
                label=f"{p.month:%m/%Y}", held=held, rate=rate, rate_y=y_of(rate) if rate is not None else None,
            )
        )  # fmt: skip
    # The line breaks where a month has no attendance rows.
    segments: list[str] = []
    current: list[str] = []
    for bar in bars:
        if bar.rate_y is None:
            if current:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{bar.cx},{bar.rate_y}")
    if current:
        segments.append(" ".join(current))
    grid = [{"y": y_of(Decimal(v)), "label": f"{v}%", "threshold": v == 85} for v in (0, 50, 85, 100)]
    return {
        "width": width, "height": height, "left": left, "right": width - right, "base": base,
        "label_y": base + 10, "bars": bars, "segments": segments, "grid": grid,
    }  # fmt: skip


# Views ----------------------------------------------------------------------------------------


@require_safe
@login_required
def stats_view(request: HttpRequest, org_id: int) -> HttpResponse:
    params, stats, points = _load(request, org_id)
    policy = policy_for(request)
    chain = ancestors(stats.version, on=params.on)
    visible = set(policy.versions(on=params.on).filter(org_id__in=[a.org_id for a in chain]).values_list("org_id", flat=True))
    meetings = [(m, meeting_url(m.pk)) for m in stats.meetings] if stats.meetings is not None else None
    this_month = first_of_month(today())
    context: dict[str, Any] = {
        "stats": stats,
        "version": stats.version,
        "fig": stats.total,
        "month": params.month,
        "as_of": params.as_of,
        "on": params.on,
        "errors": params.errors,
        "crumbs": [(a, a.org_id in visible) for a in chain],
        "query": _query(params.month, params.as_of),
        "prev_query": _query(add_months(params.month, -1), params.as_of),
        "next_query": _query(add_months(params.month, 1), params.as_of) if params.month < this_month else "",
        "points": points,
        "chart": chart(points),
        "meetings": meetings,
        "is_cell": stats.meetings is not None,
    }
    return render(request, "meetings/stats_page.html", context)


@require_safe
@login_required
def stats_xlsx(request: HttpRequest, org_id: int) -> HttpResponse:
    _params_, stats, points = _load(request, org_id)
    return exports.stats_xlsx_response(stats=stats, points=points)


urlpatterns: list[URLPattern] = [
    path("stats/<int:org_id>/", stats_view, name="stats"),
    path("stats/<int:org_id>/export.xlsx", stats_xlsx, name="stats_xlsx"),
]
