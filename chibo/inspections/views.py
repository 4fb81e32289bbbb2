"""Inspection and supervision pages. Reading needs VIEW_ORG on the plan's organisation (an item also
through its target); writing needs EDIT_MEMBER there. Out of scope answers 404 like missing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import run_service, status_for
from chibo.core.viewutils import year_param
from chibo.inspections import selectors as sel
from chibo.inspections import services
from chibo.inspections.access import follow_up_or_404, item_or_404, plan_or_404
from chibo.inspections.forms import (
    ApproveForm,
    FollowUpCloseForm,
    FollowUpForm,
    ItemForm,
    PlanForm,
    RecordForm,
)
from chibo.inspections.models import InspectionItem, InspectionPlan, ItemStatus
from chibo.orgs.selectors import versions_on


def _org_name(org_id: int) -> str:
    version = versions_on(today()).filter(org_id=org_id).first()
    return version.name if version else ""


@require_safe
@login_required
def org_page(request: HttpRequest, org_id: int) -> HttpResponse:
    """The completion of the year's plans over the subtree, by child (drill-down), and the node's own plan."""
    policy = policy_for(request)
    version = policy.version_or_404(org_id)
    year, year_error = year_param(request)
    can_edit = policy.can(Action.EDIT_MEMBER, org_id=org_id)
    context: dict[str, Any] = {
        "version": version, "year": year, "year_error": year_error, "years": [year - 1, year + 1],
        "rates": sel.subtree_rates(version=version, year=year, on=today(), today=today()),
        "plan": InspectionPlan.objects.filter(org_id=org_id, year=year).first(),
        "can_edit": can_edit,
    }
    if can_edit and context["plan"] is None:
        context["form"] = PlanForm(initial={"year": year})
    return render(request, "inspections/org.html", context)


@require_POST
@login_required
def plan_create(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = policy.version_or_404(org_id, action=Action.EDIT_MEMBER)
    form = PlanForm(request.POST)
    if form.is_valid():
        plan = run_service(form, lambda: services.plan_create(actor=request.user, org=version.org, year=form.cleaned_data["year"], note=form.cleaned_data["note"]))
        if plan is not None:
            return redirect("inspections:plan", plan.pk)
    year, year_error = year_param(request)
    context = {"version": version, "year": year, "year_error": year_error, "years": [year - 1, year + 1], "rates": sel.subtree_rates(version=version, year=year, on=today(), today=today()),
               "plan": None, "can_edit": True, "form": form}
    return render(request, "inspections/org.html", context, status=400)


def _plan_context(request: HttpRequest, plan: InspectionPlan, **extra: Any) -> dict[str, Any]:
    can_edit = policy_for(request).can(Action.EDIT_MEMBER, org_id=plan.org_id)
    context: dict[str, Any] = {
        "plan": plan, "org_name": _org_name(plan.org_id), "items": sel.plan_items(plan), "rate": sel.plan_rate(plan, today=today()),
        "can_edit": can_edit, "this_month": today().replace(day=1),
    }
    if can_edit:
        context["item_form"] = ItemForm(plan=plan)
        if plan.approved_on is None:
            context["approve_form"] = ApproveForm(initial={"on": today()})
    context.update(extra)
    return context


@require_safe
@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = plan_or_404(policy_for(request), plan_id)
    return render(request, "inspections/plan.html", _plan_context(request, found))


@require_POST
@login_required
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = plan_or_404(policy_for(request), plan_id, Action.EDIT_MEMBER)
    form = ApproveForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.plan_approve(actor=request.user, plan=found, on=form.cleaned_data["on"])) is not None:
        messages.success(request, _("Đã duyệt kế hoạch."))
        return redirect("inspections:plan", found.pk)
    return render(request, "inspections/plan.html", _plan_context(request, found, approve_form=form), status=400)


@require_POST
@login_required
def item_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = plan_or_404(policy_for(request), plan_id, Action.EDIT_MEMBER)
    form = ItemForm(request.POST, plan=found)
    if form.is_valid() and run_service(form, lambda: services.item_add(actor=request.user, plan=found, **form.call())) is not None:
        messages.success(request, _("Đã thêm nội dung vào kế hoạch."))
        return redirect("inspections:plan", found.pk)
    return render(request, "inspections/plan.html", _plan_context(request, found, item_form=form), status=400)


def _item_context(request: HttpRequest, item: InspectionItem, **extra: Any) -> dict[str, Any]:
    can_edit = policy_for(request).can(Action.EDIT_MEMBER, org_id=item.plan.org_id)
    context: dict[str, Any] = {
        "item": item, "plan": item.plan, "org_name": _org_name(item.plan.org_id), "target_name": sel.target_name(item),
        "follow_ups": list(sel.follow_ups(item)), "can_edit": can_edit, "open": item.status not in (ItemStatus.DONE, ItemStatus.CANCELLED),
    }
    if can_edit and item.status != ItemStatus.CANCELLED:
        context["follow_form"] = FollowUpForm(item=item)
    context.update(extra)
    return context


@require_safe
@login_required
def item(request: HttpRequest, pitem_id: int) -> HttpResponse:
    found = item_or_404(policy_for(request), pitem_id)
    return render(request, "inspections/item.html", _item_context(request, found))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item_edit(request: HttpRequest, pitem_id: int) -> HttpResponse:
    found = item_or_404(policy_for(request), pitem_id, Action.EDIT_MEMBER)
    if request.method == "POST":
        form = ItemForm(request.POST, plan=found.plan)
        if form.is_valid() and run_service(form, lambda: services.item_update(actor=request.user, item=found, **form.call())) is not None:
            return redirect("inspections:item", found.pk)
    else:
        form = ItemForm(plan=found.plan, initial={
            "kind": found.kind, "target_org": found.target_org_id, "target_member": found.target_member_id, "topic": found.topic,
            "month_from": found.month_from.strftime("%m/%Y"), "month_to": found.month_to.strftime("%m/%Y"), "inspectors": found.inspectors,
        })  # fmt: skip
    return render(request, "inspections/form.html", {"item": found, "form": form, "title": _("Sửa nội dung kế hoạch")}, status=status_for(form))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item_record(request: HttpRequest, pitem_id: int) -> HttpResponse:
    found = item_or_404(policy_for(request), pitem_id, Action.EDIT_MEMBER)
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.item_record(actor=request.user, item=found, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã ghi kết quả."))
            return redirect("inspections:item", found.pk)
    else:
        form = RecordForm(initial={"status": found.status if found.status != ItemStatus.PLANNED else ItemStatus.IN_PROGRESS, "findings": found.findings,
                                   "conclusions": found.conclusions, "done_on": found.done_on})
    return render(request, "inspections/form.html", {"item": found, "form": form, "title": _("Ghi kết quả kiểm tra, giám sát")}, status=status_for(form))


@require_POST
@login_required
def follow_up_add(request: HttpRequest, pitem_id: int) -> HttpResponse:
    found = item_or_404(policy_for(request), pitem_id, Action.EDIT_MEMBER)
    form = FollowUpForm(request.POST, item=found)
    if form.is_valid() and run_service(form, lambda: services.follow_up_add(
        actor=request.user, item=found, text=form.cleaned_data["text"], responsible_id=form.cleaned_data["responsible"], due_on=form.cleaned_data["due_on"],
    )) is not None:  # fmt: skip
        messages.success(request, _("Đã thêm việc sau kiểm tra."))
        return redirect(reverse("inspections:item", args=[found.pk]) + "#follow-ups")
    return render(request, "inspections/item.html", _item_context(request, found, follow_form=form), status=400)


@require_POST
@login_required
def follow_up_close(request: HttpRequest, followup_id: int) -> HttpResponse:
    found = follow_up_or_404(policy_for(request), followup_id)
    form = FollowUpCloseForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.follow_up_close(actor=request.user, follow_up=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã cập nhật."))
    else:
        messages.error(request, next((str(e) for errs in form.errors.values() for e in errs), ""))
    return redirect(reverse("inspections:item", args=[found.item_id]) + "#follow-ups")


app_name = "inspections"
urlpatterns = [
    path("org/<int:org_id>/", org_page, name="org"),
    path("org/<int:org_id>/plan/", plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", plan, name="plan"),
    path("plans/<int:plan_id>/approve/", plan_approve, name="plan_approve"),
    path("plans/<int:plan_id>/items/", item_add, name="item_add"),
    path("items/<int:pitem_id>/", item, name="item"),
    path("items/<int:pitem_id>/edit/", item_edit, name="item_edit"),
    path("items/<int:pitem_id>/record/", item_record, name="item_record"),
    path("items/<int:pitem_id>/follow-ups/", follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:followup_id>/", follow_up_close, name="follow_up_close"),
]
