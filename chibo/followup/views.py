"""The follow-up statistics page of an organisation (issue 8 §6): tasks, petitions, briefings and
inspections of a year, on the tree of a date, with drill-down to the children, four charts and .xlsx.

Definitions in selectors.py. Reads are scoped by the access policy on the tree date; out of scope
answers 404, like a missing organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import PeriodForm
from chibo.followup import exports
from chibo.followup.charts import Part, bar_chart
from chibo.followup.selectors import AGE_BANDS, NodeStats, node_stats
from chibo.orgs.selectors import ancestors
from chibo.petitions.models import Category, Status
from chibo.tasks.models import TaskStatus

app_name = "followup"


@dataclass
class Params:
    year: int
    as_of: dt.date | None  # given by the user; None: the year's end, or today in the current year
    on: dt.date
    form: PeriodForm  # errors under their fields; a bad value falls back to this year / today's tree


def tree_date(year: int, as_of: dt.date | None) -> dt.date:
    """The date whose tree the figures follow: ``as_of`` if given, else 31/12 of the year or today if earlier."""
    return as_of or min(today(), dt.date(year, 12, 31))


def _params(request: HttpRequest) -> Params:
    form = PeriodForm(request.GET)
    as_of = form.value("as_of")
    year = form.value("year") or (as_of or today()).year
    if not request.GET.get("year"):  # the box shows the year on screen
        form = PeriodForm({**request.GET.dict(), "year": str(year)})
        form.is_valid()
    return Params(year=year, as_of=as_of, on=tree_date(year, as_of), form=form)


def _query(year: int, as_of: dt.date | None) -> str:
    params = {"year": str(year)}
    if as_of is not None:
        params["as_of"] = f"{as_of:%d/%m/%Y}"
    return urlencode(params)


def _load(request: HttpRequest, org_id: int) -> tuple[Params, NodeStats]:
    params = _params(request)
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=params.on, action=Action.VIEW_ORG)
    return params, node_stats(policy=policy, version=version, year=params.year, on=params.on)


MONTHS = [f"{m:02d}" for m in range(1, 13)]


def charts(stats: NodeStats) -> list[dict[str, Any]]:
    s = stats.series
    y = stats.year
    months = [f"{m}/{y}" for m in MONTHS]
    quarters = [_("Quý %(n)s") % {"n": q} for q in range(1, 5)]
    return [
        bar_chart(
            ident="tasks", title=_("Nhiệm vụ giao trong năm %(year)s theo tình trạng, từng tháng") % {"year": y}, labels=months, stacked=True,
            parts=[Part(label=str(TaskStatus(st).label), css=f"s{i}", values=[m[st] for m in s.tasks]) for i, st in enumerate(TaskStatus.values)],
        ),
        bar_chart(
            ident="petitions", title=_("Kiến nghị nêu ra và được trả lời, từng tháng năm %(year)s") % {"year": y}, labels=months,
            parts=[Part(label=_("Nêu ra"), css="s0", values=s.raised), Part(label=_("Được trả lời"), css="s1", values=s.answered)],
        ),
        bar_chart(
            ident="briefings", title=_("Hội nghị giao ban đã tổ chức so với kế hoạch, từng quý năm %(year)s") % {"year": y}, labels=quarters,
            parts=[Part(label=_("Kế hoạch"), css="s0", values=s.briefings_planned), Part(label=_("Đã tổ chức"), css="s1", values=s.briefings_held)],
        ),
        bar_chart(
            ident="inspections", title=_("Cuộc kiểm tra, giám sát đã xong so với kế hoạch, từng tháng năm %(year)s") % {"year": y}, labels=months,
            parts=[Part(label=_("Kế hoạch"), css="s0", values=s.inspections_planned), Part(label=_("Đã hoàn thành"), css="s1", values=s.inspections_done)],
        ),
    ]  # fmt: skip


@require_safe
@login_required
def stats_view(request: HttpRequest, org_id: int) -> HttpResponse:
    params, stats = _load(request, org_id)
    policy = policy_for(request)
    chain = ancestors(stats.version, on=params.on)
    visible = set(
        policy.versions(on=params.on)
        .filter(org_id__in=[a.org_id for a in chain])
        .values_list("org_id", flat=True)
    )
    this_year = today().year
    context: dict[str, Any] = {
        "stats": stats,
        "version": stats.version,
        "fig": stats.total,
        "year": params.year,
        "as_of": params.as_of,
        "on": params.on,
        "form": params.form,
        "crumbs": [(a, a.org_id in visible) for a in chain],
        "query": _query(params.year, params.as_of),
        "prev_query": _query(params.year - 1, params.as_of),
        "next_query": _query(params.year + 1, params.as_of) if params.year < this_year else "",
        "charts": charts(stats),
        "task_statuses": [(s, TaskStatus(s).label) for s in TaskStatus.values],
        "petition_statuses": [(s, Status(s).label) for s in Status.values],
        "categories": [(c, Category(c).label) for c in Category.values],
        "age_bands": AGE_BANDS,
    }
    return render(request, "followup/stats.html", context)


@require_safe
@login_required
def stats_xlsx(request: HttpRequest, org_id: int) -> HttpResponse:
    _params_, stats = _load(request, org_id)
    return exports.stats_xlsx_response(stats=stats)


urlpatterns: list[URLPattern] = [
    path("stats/<int:org_id>/", stats_view, name="stats"),
    path("stats/<int:org_id>/export.xlsx", stats_xlsx, name="stats_xlsx"),
]
