"""Party dues pages. A member's account is read through the member (VIEW_MEMBER: the member and the
managers of their cell), written with EDIT_MEMBER on it; a cell's collection and remittances need
EDIT_MEMBER on the cell; reports need EDIT_MEMBER on the organisation; a subtree's region is set by
its staff (REORGANISE). Out of scope answers 404, like missing."""

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

from chibo.core.access import Action, Policy, policy_for, today
from chibo.core.dates import fmt_month
from chibo.core.forms import run_service, status_for
from chibo.dues import charts, exports, services
from chibo.dues import selectors as sel
from chibo.dues.forms import (
    BasisForm,
    ReceiptForm,
    RegionForm,
    ReliefForm,
    RemittanceForm,
    ReportForm,
)
from chibo.dues.models import DuesMonth, Receipt
from chibo.dues.rates import last_of_month
from chibo.members.models import Member
from chibo.orgs.models import Organisation, OrgVersion
from chibo.orgs.selectors import ancestors

app_name = "dues"


def _can_edit_member(policy: Policy, member: Member) -> bool:
    return policy.members(Action.EDIT_MEMBER).filter(pk=member.pk).exists()


def _cell_version(member: Member) -> OrgVersion | None:
    on = today()
    cell_id = services.current_cell_id(member, on)
    return OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=on, valid_to__gt=on).first() if cell_id else None


# A member ------------------------------------------------------------------------------------


def _member_context(request: HttpRequest, member: Member, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    can_edit = _can_edit_member(policy, member)
    context: dict[str, Any] = {
        "member": member, "account": sel.account(member=member, on=today()), "cell": _cell_version(member), "can_edit": can_edit,
    }
    if can_edit:
        context.setdefault("basis_form", BasisForm(initial={"month_from": today().strftime("%m/%Y")}))
        context.setdefault("relief_form", ReliefForm(initial={"month_from": today().strftime("%m/%Y")}))
    context.update(extra)
    return context


@require_safe
@login_required
def member(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.VIEW_MEMBER)
    return render(request, "dues/member.html", _member_context(request, found))


@require_POST
@login_required
def basis(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    form = BasisForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.basis_set(actor=request.user, member=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã lưu căn cứ đóng đảng phí."))
        return redirect("dues:member", found.pk)
    return render(request, "dues/member.html", _member_context(request, found, basis_form=form), status=400)


@require_POST
@login_required
def relief(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    form = ReliefForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.relief_add(actor=request.user, member=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã ghi miễn, giảm đảng phí."))
        return redirect("dues:member", found.pk)
    return render(request, "dues/member.html", _member_context(request, found, relief_form=form), status=400)


def _receipt_months(member: Member) -> list[tuple[Any, int | None]]:
    months = sel.payable_months(member=member, on=today())
    amounts = dict(DuesMonth.objects.filter(member=member, month__in=months).values_list("month", "amount_vnd"))
    return [(m, amounts.get(m)) for m in months]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def receipt_new(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    months = _receipt_months(found)
    if request.method == "POST":
        form = ReceiptForm(request.POST, months=months)
        if form.is_valid():
            data = form.cleaned_data
            done = run_service(form, lambda: services.receipt_create(
                actor=request.user, member=found, months=form.chosen_months(), paid_on=data["paid_on"], amount_vnd=data["amount_vnd"],
                method=data["method"], portal_ref=data["portal_ref"], number=data["number"],
            ))  # fmt: skip
            if done is not None:
                messages.success(request, _("Đã ghi biên lai số %(n)s.") % {"n": str(done)})
                return redirect("dues:receipt", done.pk)
    else:
        form = ReceiptForm(months=months, initial={"paid_on": today()})
    context = {"member": found, "form": form, "cell": _cell_version(found)}
    return render(request, "dues/receipt_form.html", context, status=status_for(form))


@require_safe
@login_required
def receipt(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """The member themselves and the managers of the member or of the receipt's cell."""
    found = Receipt.objects.filter(pk=receipt_id).select_related("member", "collected_by").first()
    policy = policy_for(request)
    if found is None:
        raise Http404
    if not (policy.members(Action.VIEW_MEMBER).filter(pk=found.member_id).exists() or policy.can(Action.EDIT_MEMBER, org_id=found.cell_id)):
        raise Http404
    cell = OrgVersion.objects.filter(org_id=found.cell_id).order_by("-valid_from").first()
    context = {"receipt": found, "months": list(found.months.order_by("month")), "cell": cell}
    return render(request, "dues/receipt.html", context)


# A cell --------------------------------------------------------------------------------------


def _uppers(version: OrgVersion) -> list[tuple[int, str]]:
    return [(v.org_id, v.name) for v in reversed(ancestors(version, on=today()))]


def _cell_context(request: HttpRequest, version: OrgVersion, **extra: Any) -> dict[str, Any]:
    dues = sel.cell_dues(version=version, on=today())
    context: dict[str, Any] = {"version": version, "dues": dues, "this_month": today().replace(day=1)}
    if "remit_form" not in extra:
        initial: dict[str, Any] = {"remitted_on": today()}
        if dues.months_to_remit:
            month, _collected, up = dues.months_to_remit[0]
            initial.update(month=fmt_month(month), amount_vnd=up)
        uppers = _uppers(version)
        if uppers:
            initial["to_org"] = uppers[0][0]
        context["remit_form"] = RemittanceForm(initial=initial, uppers=uppers)
    context.update(extra)
    return context


@require_safe
@login_required
def cell(request: HttpRequest, org_id: int) -> HttpResponse:
    version = policy_for(request).version_or_404(org_id, action=Action.EDIT_MEMBER)
    if not version.is_cell:
        return redirect("dues:report", org_id)
    return render(request, "dues/cell.html", _cell_context(request, version))


@require_POST
@login_required
def remit(request: HttpRequest, org_id: int) -> HttpResponse:
    version = policy_for(request).version_or_404(org_id, action=Action.EDIT_MEMBER)
    uppers = _uppers(version)
    form = RemittanceForm(request.POST, uppers=uppers)
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(form, lambda: services.remittance_create(
            actor=request.user, cell=version.org, month=data["month"], to_org=Organisation.objects.filter(pk=data["to_org"]).first(),
            amount_vnd=data["amount_vnd"], remitted_on=data["remitted_on"], note=data["note"],
        ))  # fmt: skip
        if done is not None:
            messages.success(request, _("Đã ghi nộp đảng phí lên cấp trên."))
            return redirect("dues:cell", org_id)
    return render(request, "dues/cell.html", _cell_context(request, version, remit_form=form), status=400)


# Region --------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def region(request: HttpRequest, org_id: int) -> HttpResponse:
    version = policy_for(request).version_or_404(org_id, action=Action.REORGANISE)
    current = services.regions_for({version.org_id: version.path})[version.org_id]
    if request.method == "POST":
        form = RegionForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.region_set(actor=request.user, org=version.org, region=form.cleaned_data["region"])) is not None:
            messages.success(request, _("Đã lưu vùng."))
            return redirect("dues:region", org_id)
    else:
        form = RegionForm(initial={"region": current})
    own = hasattr(version.org, "dues_region")
    return render(request, "dues/region.html", {"version": version, "form": form, "current": current, "own": own}, status=status_for(form))


# Reports -------------------------------------------------------------------------------------


def _report(request: HttpRequest, org_id: int) -> tuple[ReportForm, sel.Report]:
    policy = policy_for(request)
    form = ReportForm(request.GET)
    year, month = form.period(today())
    version = policy.version_or_404(org_id, on=min(today(), last_of_month(dt.date(year, month, 1))), action=Action.EDIT_MEMBER)
    return form, sel.report(policy=policy, version=version, year=year, month=month, today=today())


@require_safe
@login_required
def report(request: HttpRequest, org_id: int) -> HttpResponse:
    form, rep = _report(request, org_id)
    context = {
        "form": form, "report": rep, "charts": [charts.months_chart(rep)], "query": f"year={rep.year}&month={rep.month}",
        "can_region": policy_for(request).can(Action.REORGANISE, org_id=org_id),
    }
    return render(request, "dues/report.html", context, status=status_for(form))


@require_safe
@login_required
def report_xlsx(request: HttpRequest, org_id: int) -> HttpResponse:
    _form, rep = _report(request, org_id)
    return exports.report_xlsx_response(report=rep)


urlpatterns = [
    path("member/<int:member_id>/", member, name="member"),
    path("member/<int:member_id>/basis/", basis, name="basis"),
    path("member/<int:member_id>/relief/", relief, name="relief"),
    path("member/<int:member_id>/receipt/", receipt_new, name="receipt_new"),
    path("receipts/<int:receipt_id>/", receipt, name="receipt"),
    path("cell/<int:org_id>/", cell, name="cell"),
    path("cell/<int:org_id>/remit/", remit, name="remit"),
    path("org/<int:org_id>/region/", region, name="region"),
    path("org/<int:org_id>/report/", report, name="report"),
    path("org/<int:org_id>/report.xlsx", report_xlsx, name="report_xlsx"),
]
