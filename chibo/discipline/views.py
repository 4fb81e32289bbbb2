"""Exemption, removal, discipline and reconciliation pages. Reading needs VIEW_MEMBER on the cell (or
committee) concerned, writing EDIT_MEMBER; a removal is decided by a committee above the cell.
Out of scope answers 404 like missing (chibo.discipline.access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.dates import fmt_month
from chibo.core.forms import run_service, status_for
from chibo.discipline import grounds, services
from chibo.discipline import selectors as sel
from chibo.discipline.access import can_decide, in_cell_or_404
from chibo.discipline.forms import (
    DecideForm,
    ExemptionApplyForm,
    ExemptionEndForm,
    FlagDismissForm,
    FlagQuery,
    ReconcileForm,
    RecordForm,
    RemovalDecideForm,
    RemovalProposeForm,
)
from chibo.discipline.models import (
    Exemption,
    ExemptionStatus,
    FlagStatus,
    Reconciliation,
    Removal,
    RemovalFlag,
    RemovalStatus,
)
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, OrgVersion

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _cell_name(cell_id: int) -> str:
    version = OrgVersion.objects.filter(org_id=cell_id).order_by("-valid_from").first()
    return version.name if version else ""


@require_safe
@login_required
def org(request: HttpRequest, org_id: int) -> HttpResponse:
    """A cell's or a committee subtree's flags, exemptions, removal proposals, discipline records and
    reconciliation state."""
    policy = policy_for(request)
    version = policy.version_or_404(org_id, action=Action.VIEW_MEMBER)
    is_cell = version.kind in CELL_KINDS
    context: dict[str, Any] = {
        "version": version, "is_cell": is_cell, "lists": sel.org_lists(path=version.path, today=today()),
        "can_edit": policy.can(Action.EDIT_MEMBER, org_id=org_id), "shown": sel.SHOWN,
    }  # fmt: skip
    if is_cell:
        context["check"] = sel.cell_check(cell_id=org_id, today=today())
    else:
        status = sel.reconcile_status(path=version.path, today=today())
        context["reconcile"] = status
    return render(request, "discipline/org.html", context)


@require_safe
@login_required
def reconciliations(request: HttpRequest, org_id: int) -> HttpResponse:
    """The reconciliation state of every cell of the subtree, the overdue first (bounded)."""
    version = policy_for(request).version_or_404(org_id, action=Action.VIEW_MEMBER)
    status = sel.reconcile_status(path=version.path, today=today())
    return render(request, "discipline/reconciliations.html", {"version": version, "status": status, "every": sel.every_months(), "shown": sel.CELLS_SHOWN})


@GET_POST
@login_required
def reconcile(request: HttpRequest, org_id: int) -> HttpResponse:
    version = policy_for(request).version_or_404(org_id, action=Action.EDIT_MEMBER)
    if version.kind not in CELL_KINDS:
        raise Http404
    if request.method == "POST":
        form = ReconcileForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.reconciliation_record(actor=request.user, cell=version.org, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã ghi kết quả đối chiếu."))
            return redirect("discipline:org", org_id)
    else:
        member = getattr(request.user, "member", None)
        form = ReconcileForm(initial={"checked_on": today(), "checked_by": member.full_name if member else request.user.get_username()})
    context = {
        "version": version, "form": form, "registry": sel.registry_counts(cell_id=org_id, on=today()), "check": sel.cell_check(cell_id=org_id, today=today()),
        "history": list(Reconciliation.objects.filter(cell_id=org_id)[:20]),
    }  # fmt: skip
    return render(request, "discipline/reconcile.html", context, status=status_for(form))


def _form_page(request: HttpRequest, *, member: Member, form: Any, title: str, intro: str = "") -> HttpResponse:
    return render(request, "discipline/form.html", {"member": member, "form": form, "title": title, "intro": intro}, status=status_for(form))


@GET_POST
@login_required
def exemption_apply(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    if request.method == "POST":
        form = ExemptionApplyForm(request.POST)
        found = run_service(form, lambda: services.exemption_apply(actor=request.user, member=member, **form.cleaned_data)) if form.is_valid() else None
        if found is not None:
            messages.success(request, _("Đã ghi đơn xin miễn; chi bộ xem xét, quyết định."))
            return redirect("discipline:exemption", found.pk)
    else:
        form = ExemptionApplyForm(initial={"applied_on": today()})
    return _form_page(request, member=member, form=form, title=_("Đơn xin miễn công tác và sinh hoạt đảng"))


def _exemption_page(request: HttpRequest, found: Exemption, status: int = 200, **forms: Any) -> HttpResponse:
    can_edit = policy_for(request).can(Action.EDIT_MEMBER, org_id=found.cell_id)
    context: dict[str, Any] = {"exemption": found, "cell_name": _cell_name(found.cell_id), "can_edit": can_edit}
    if can_edit and found.status == ExemptionStatus.APPLIED:
        context["decide_form"] = forms.get("decide_form") or DecideForm(initial={"decided_on": today()})
    if can_edit and found.status == ExemptionStatus.EXEMPTED:
        context["end_form"] = forms.get("end_form") or ExemptionEndForm(initial={"ended_on": today()})
    return render(request, "discipline/exemption.html", context, status=status)


@require_safe
@login_required
def exemption(request: HttpRequest, exemption_id: int) -> HttpResponse:
    return _exemption_page(request, in_cell_or_404(policy_for(request), Exemption, exemption_id))


@require_POST
@login_required
def exemption_decide(request: HttpRequest, exemption_id: int) -> HttpResponse:
    found = in_cell_or_404(policy_for(request), Exemption, exemption_id, Action.EDIT_MEMBER)
    form = DecideForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.exemption_decide(actor=request.user, exemption=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã ghi quyết định của chi bộ."))
        return redirect("discipline:exemption", found.pk)
    return _exemption_page(request, found, status=400, decide_form=form)


@require_POST
@login_required
def exemption_end(request: HttpRequest, exemption_id: int) -> HttpResponse:
    found = in_cell_or_404(policy_for(request), Exemption, exemption_id, Action.EDIT_MEMBER)
    form = ExemptionEndForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.exemption_end(actor=request.user, exemption=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đảng viên sinh hoạt lại."))
        return redirect("discipline:exemption", found.pk)
    return _exemption_page(request, found, status=400, end_form=form)


def _open_flag(member: Member, flag_id: int | None) -> RemovalFlag | None:
    if not flag_id:
        return None
    return RemovalFlag.objects.filter(pk=flag_id, member=member, status=FlagStatus.OPEN).first()


@GET_POST
@login_required
def removal_propose(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    if request.method == "POST":
        form = RemovalProposeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            flag = _open_flag(member, data.pop("flag"))
            found = run_service(form, lambda: services.removal_propose(actor=request.user, member=member, flag=flag, **data))
            if found is not None:
                messages.success(request, _("Đã gửi đề nghị xóa tên lên cấp ủy cấp trên."))
                return redirect("discipline:removal", found.pk)
    else:
        initial: dict[str, Any] = {"proposed_on": today()}
        flag_form = FlagQuery(request.GET)
        flag = _open_flag(member, flag_form.cleaned_data.get("flag") if flag_form.is_valid() else None)
        if flag is not None:
            initial.update(flag=flag.pk, ground=flag.ground, reason=_flag_reason(flag))
        form = RemovalProposeForm(initial=initial)
    return _form_page(request, member=member, form=form, title=_("Đề nghị xóa tên đảng viên"),
                      intro=_("Chi bộ đề nghị; cấp ủy cấp trên xem xét, quyết định."))


def _flag_reason(flag: RemovalFlag) -> str:
    months = ", ".join(fmt_month(dt.date.fromisoformat(m)) for m in flag.months)
    return _("%(ground)s: các tháng %(months)s năm %(year)s.") % {"ground": flag.get_ground_display(), "months": months, "year": flag.year}


def _removal_page(request: HttpRequest, found: Removal, status: int = 200, decide_form: Any = None) -> HttpResponse:
    committee = can_decide(policy_for(request), found.cell_id)
    context: dict[str, Any] = {"removal": found, "cell_name": _cell_name(found.cell_id), "committee": committee}
    if found.deciding_org_id:
        context["deciding_name"] = _cell_name(found.deciding_org_id)
    if committee is not None and found.status == RemovalStatus.PROPOSED:
        context["decide_form"] = decide_form or RemovalDecideForm(initial={"decided_on": today()})
    return render(request, "discipline/removal.html", context, status=status)


@require_safe
@login_required
def removal(request: HttpRequest, removal_id: int) -> HttpResponse:
    return _removal_page(request, in_cell_or_404(policy_for(request), Removal, removal_id))


@require_POST
@login_required
def removal_decide(request: HttpRequest, removal_id: int) -> HttpResponse:
    policy = policy_for(request)
    found = in_cell_or_404(policy, Removal, removal_id)
    committee = can_decide(policy, found.cell_id)
    if committee is None:
        raise Http404
    form = RemovalDecideForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.removal_decide(actor=request.user, removal=found, deciding_org=committee.org, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã ghi quyết định."))
        return redirect("discipline:removal", found.pk)
    return _removal_page(request, found, status=400, decide_form=form)


@GET_POST
@login_required
def record_add(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.record_add(actor=request.user, member=member, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã ghi quyết định kỷ luật."))
            return redirect("members:detail", member.pk)
    else:
        form = RecordForm(initial={"decided_on": today()})
    return _form_page(request, member=member, form=form, title=_("Ghi quyết định kỷ luật"),
                      intro=_("Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo. Khai trừ thì đảng viên ra khỏi danh sách."))


def _flag_page(request: HttpRequest, found: RemovalFlag, status: int = 200, dismiss_form: Any = None) -> HttpResponse:
    can_edit = policy_for(request).can(Action.EDIT_MEMBER, org_id=found.cell_id)
    provider = grounds.provider_for(found.ground)
    context: dict[str, Any] = {
        "flag": found, "cell_name": _cell_name(found.cell_id), "can_edit": can_edit and found.status == FlagStatus.OPEN,
        "links": provider.evidence_links(found) if provider else [],
    }  # fmt: skip
    if context["can_edit"]:
        context["dismiss_form"] = dismiss_form or FlagDismissForm()
    return render(request, "discipline/flag.html", context, status=status)


@require_safe
@login_required
def flag(request: HttpRequest, flag_id: int) -> HttpResponse:
    return _flag_page(request, in_cell_or_404(policy_for(request), RemovalFlag, flag_id))


@require_POST
@login_required
def flag_dismiss(request: HttpRequest, flag_id: int) -> HttpResponse:
    found = in_cell_or_404(policy_for(request), RemovalFlag, flag_id, Action.EDIT_MEMBER)
    form = FlagDismissForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.flag_dismiss(actor=request.user, flag=found, reason=form.cleaned_data["reason"])) is not None:
        messages.success(request, _("Đã ghi: chi bộ không đề nghị xóa tên."))
        return redirect("discipline:org", found.cell_id)
    return _flag_page(request, found, status=400, dismiss_form=form)


app_name = "discipline"
urlpatterns = [
    path("org/<int:org_id>/", org, name="org"),
    path("org/<int:org_id>/reconciliations/", reconciliations, name="reconciliations"),
    path("org/<int:org_id>/reconcile/", reconcile, name="reconcile"),
    path("member/<int:member_id>/exemption/", exemption_apply, name="exemption_apply"),
    path("member/<int:member_id>/removal/", removal_propose, name="removal_propose"),
    path("member/<int:member_id>/discipline/", record_add, name="record_add"),
    path("exemptions/<int:exemption_id>/", exemption, name="exemption"),
    path("exemptions/<int:exemption_id>/decide/", exemption_decide, name="exemption_decide"),
    path("exemptions/<int:exemption_id>/end/", exemption_end, name="exemption_end"),
    path("removals/<int:removal_id>/", removal, name="removal"),
    path("removals/<int:removal_id>/decide/", removal_decide, name="removal_decide"),
    path("flags/<int:flag_id>/", flag, name="flag"),
    path("flags/<int:flag_id>/dismiss/", flag_dismiss, name="flag_dismiss"),
]
