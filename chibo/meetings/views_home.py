"""The list behind each figure of a committee's home page: the cells under it missing a step of the month.

Scoped by the access policy (VIEW_ORG on the committee, at the tree date of the month); a cell or an
organisation out of scope answers 404. Definitions: selectors_home.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from chibo.core.access import policy_for, today
from chibo.core.forms import ChiboForm, status_for
from chibo.meetings.selectors_home import MISSING_STEPS, missing_cells, missing_rows, tree_on
from chibo.meetings.selectors_stats import add_months, first_of_month, parse_month
from chibo.orgs.models import CELL_KINDS

PAGE_SIZE = 50


class MissingForm(ChiboForm):
    month = forms.CharField(label=gettext_lazy("Tháng"), max_length=7, required=False, widget=forms.TextInput(attrs={"type": "month"}))
    step = forms.ChoiceField(label=gettext_lazy("Việc còn thiếu"), choices=list(MISSING_STEPS.items()), required=False)

    def clean_step(self) -> str:
        return self.cleaned_data.get("step") or "not_held"

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data.get("month", "")
        if not raw:
            return first_of_month(today())
        month = parse_month(raw)
        if month is None:
            raise forms.ValidationError(_("Tháng %(value)s không đúng dạng mm/yyyy.") % {"value": raw})
        if month > first_of_month(today()):
            raise forms.ValidationError(_("Tháng %(value)s chưa tới.") % {"value": f"{month:%m/%Y}"})
        return month


@login_required
@require_safe
def cells_missing(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    form = MissingForm(request.GET or None, initial={"month": f"{first_of_month(today()):%Y-%m}", "step": "not_held"})
    month = first_of_month(today())
    step = "not_held"
    if form.is_valid():
        month, step = form.cleaned_data["month"], form.cleaned_data["step"]
    elif form.is_bound:
        month = form.cleaned_data.get("month") or month
        step = form.cleaned_data.get("step") or step
    on = tree_on(month, today())
    node = policy.version_or_404(org_id, on=on)
    if node.kind in CELL_KINDS:
        raise Http404
    page = Paginator(missing_cells(policy=policy, node=node, month=month, step=step, on=on), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "node": node,
        "month": month,
        "on": on,
        "step": step,
        "step_label": MISSING_STEPS[step],
        "steps": [(key, label) for key, label in MISSING_STEPS.items()],
        "page": page,
        "rows": missing_rows(cells=list(page.object_list), month=month, on=on),
        "prev_month": add_months(month, -1),
        "next_month": add_months(month, 1) if month < first_of_month(today()) else None,
    }
    return render(request, "meetings/cells_missing.html", context, status=status_for(form) if form.is_bound else 200)


urlpatterns: list[URLPattern] = [
    path("missing/<int:org_id>/", cells_missing, name="cells_missing"),
]
