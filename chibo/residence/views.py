"""Residence-contact pages. Who may do what: chibo.residence.access. Out of scope answers 404."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from openpyxl import Workbook

from chibo.core.access import Action, policy_for, today
from chibo.core.dates import fmt_date
from chibo.core.forms import run_service, status_for
from chibo.core.viewutils import as_of, year_param
from chibo.followup.charts import Part, bar_chart
from chibo.meetings.exports import XLSX
from chibo.orgs.models import CELL_KINDS
from chibo.orgs.selectors import versions_on
from chibo.residence import access, services
from chibo.residence import selectors as sel
from chibo.residence.forms import (
    CommentForm,
    ContactMeetingForm,
    EndForm,
    RegisterForm,
    TransferForm,
)
from chibo.residence.models import Registration

PAGE = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def register(request: HttpRequest, org_id: int) -> HttpResponse:
    """The commune's page: record a member introduced by their workplace; the registrations open today."""
    version = access.committee_or_404(policy_for(request), org_id)
    if request.method == "POST":
        form = RegisterForm(request.POST, org_id=org_id)
        if form.is_valid():
            found = run_service(form, lambda: services.registration_create(actor=request.user, registering_org=version.org, **form.call()))
            if found is not None:
                messages.success(request, _("Đã tiếp nhận đảng viên và chuyển về chi bộ nơi cư trú."))
                return redirect("residence:registration", found.pk)
    else:
        form = RegisterForm(org_id=org_id, initial={"registered_on": today()})
    page = _page(request, sel.commune_registrations(version=version, on=today()))
    return render(request, "residence/register.html", {"version": version, "form": form, "page": page}, status=status_for(form))


@require_safe
@login_required
def cell(request: HttpRequest, org_id: int) -> HttpResponse:
    """The residence cell's registered members: work cell, last meeting, met this half-year, this year's comment."""
    version = access.residence_cell_or_404(policy_for(request), org_id)
    on = today()
    page = _page(request, sel.cell_registrations(org_id=org_id, on=on))
    return render(request, "residence/cell.html", {"version": version, "page": page, "on": on, "half": sel.half_year_label(on)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def meeting_add(request: HttpRequest, org_id: int) -> HttpResponse:
    version = access.residence_cell_or_404(policy_for(request), org_id)
    registrations = list(Registration.objects.filter(sel.open_on(today()), residence_org_id=org_id).select_related("member").order_by("member__given_name", "pk")[:500])
    if request.method == "POST":
        form = ContactMeetingForm(request.POST, registrations=registrations)
        if form.is_valid() and run_service(form, lambda: services.contact_meeting_record(
            actor=request.user, org=version.org, held_on=form.cleaned_data["held_on"], registration_ids=form.cleaned_data["attendees"], note=form.cleaned_data["note"],
        )) is not None:  # fmt: skip
            messages.success(request, _("Đã ghi cuộc gặp."))
            return redirect("residence:cell", org_id)
    else:
        form = ContactMeetingForm(registrations=registrations, initial={"held_on": today()})
    return render(request, "residence/form.html", {"version": version, "form": form, "title": _("Ghi cuộc gặp đảng viên sinh hoạt nơi cư trú")}, status=status_for(form))


def _names(registration: Registration) -> dict[str, str]:
    on = today()
    work = sel.work_cell_on(registration.member_id, on)
    residence = versions_on(on).filter(org_id=registration.residence_org_id).values_list("name", flat=True).first() or ""
    return {"work_cell_name": work.name if work else "", "residence_name": residence}


@require_safe
@login_required
def registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    found, sides = access.registration_or_404(policy_for(request), registration_id)
    context: dict[str, Any] = {
        "reg": found, "sides": sides, **_names(found),
        "meetings": list(found.contact_meetings.order_by("-held_on")[:20]),
        "comments": list(found.comments.order_by("-year")),
        "this_year": today().year,
    }  # fmt: skip
    if found.is_open and sides & {"commune", "residence"}:
        context["end_form"] = EndForm(initial={"on": today()})
    return render(request, "residence/registration.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def comment(request: HttpRequest, registration_id: int) -> HttpResponse:
    found, _sides = access.registration_or_404(policy_for(request), registration_id, sides=frozenset({"residence"}))
    year, _error = year_param(request)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.comment_save(actor=request.user, registration=found, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã lưu nhận xét; chi bộ nơi công tác đã được thông báo."))
            return redirect("residence:registration", found.pk)
    else:
        existing = found.comments.filter(year=year).first()
        initial: dict[str, Any] = {"year": year, "commented_on": today(), "front_head_name": sel.front_head_name(org_id=found.residence_org_id, on=today())}
        if existing:
            initial.update(assessment=existing.assessment, text=existing.text, commented_on=existing.commented_on, front_head_name=existing.front_head_name)
        form = CommentForm(initial=initial)
    title = _("Nhận xét đảng viên %(name)s") % {"name": found.member.full_name}
    return render(request, "residence/form.html", {"reg": found, "form": form, "title": title, **_names(found)}, status=status_for(form))


@require_POST
@login_required
def end(request: HttpRequest, registration_id: int) -> HttpResponse:
    found, _sides = access.registration_or_404(policy_for(request), registration_id, sides=frozenset({"commune", "residence"}))
    form = EndForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.registration_end(actor=request.user, registration=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã kết thúc sinh hoạt nơi cư trú."))
        return redirect("residence:registration", found.pk)
    context = {"reg": found, "sides": _sides, **_names(found), "meetings": [], "comments": list(found.comments.all()), "end_form": form, "this_year": today().year}
    return render(request, "residence/registration.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def transfer(request: HttpRequest, registration_id: int) -> HttpResponse:
    found, _sides = access.registration_or_404(policy_for(request), registration_id, sides=frozenset({"commune"}))
    if request.method == "POST":
        form = TransferForm(request.POST, org_id=found.registering_org_id)
        if form.is_valid():
            new = run_service(form, lambda: services.registration_transfer(
                actor=request.user, registration=found, residence_org_id=form.cleaned_data["residence_org"], on=form.cleaned_data["on"], note=form.cleaned_data["note"],
            ))  # fmt: skip
            if new is not None:
                messages.success(request, _("Đã chuyển đảng viên sang chi bộ nơi cư trú mới."))
                return redirect("residence:registration", new.pk)
    else:
        form = TransferForm(org_id=found.registering_org_id, initial={"on": today()})
    title = _("Chuyển nơi cư trú: %(name)s") % {"name": found.member.full_name}
    return render(request, "residence/form.html", {"reg": found, "form": form, "title": title, **_names(found)}, status=status_for(form))


@require_safe
@login_required
def received(request: HttpRequest, org_id: int) -> HttpResponse:
    """The work side: comments received this year on members whose record is under the organisation."""
    version = policy_for(request).version_or_404(org_id, action=Action.VIEW_MEMBER)
    year, year_error = year_param(request)
    page = _page(request, sel.received_comments(version=version, year=year, on=today()))
    return render(request, "residence/received.html", {"version": version, "page": page, "year": year, "year_error": year_error, "years": [year - 1, year + 1]})


def _report(request: HttpRequest, org_id: int) -> tuple[sel.Compliance, str]:
    on, error = as_of(request)
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=on, action=Action.VIEW_ORG)
    return sel.compliance(policy=policy, version=version, on=on), error


def chart(report: sel.Compliance) -> dict[str, Any]:
    rows = report.children or []
    labels = [r.version.name[:24] for r in rows] or [report.version.name[:24]]
    figs = [r.figures for r in rows] or [report.total]
    return bar_chart(
        ident="residence", title=_("Sinh hoạt nơi cư trú theo tổ chức trực thuộc, ngày %(day)s") % {"day": fmt_date(report.on)}, labels=labels,
        parts=[
            Part(label=_("Đã đăng ký"), css="s0", values=[f.registered for f in figs]),
            Part(label=_("Đã gặp 6 tháng này"), css="s1", values=[f.met for f in figs]),
            Part(label=_("Thiếu nhận xét năm nay"), css="s2", values=[f.comments_missing for f in figs]),
            Part(label=_("Diện miễn nhận xét"), css="s3", values=[f.exempt for f in figs]),
        ],
    )  # fmt: skip


@require_safe
@login_required
def report(request: HttpRequest, org_id: int) -> HttpResponse:
    found, error = _report(request, org_id)
    policy = policy_for(request)
    manage = found.on == today() and policy.can(Action.EDIT_MEMBER, org_id=org_id)
    context = {"report": found, "version": found.version, "as_of_error": error, "half": sel.half_year_label(found.on), "chart": chart(found),
               "is_today": found.on == today(), "manage_cell": manage and sel.is_residence_cell(found.version),
               "manage_commune": manage and found.version.kind not in CELL_KINDS}
    return render(request, "residence/report.html", context)


def report_workbook(found: sel.Compliance) -> bytes:
    """The file is Vietnamese whatever the interface language."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Sinh hoat noi cu tru"
        ws.append([_("Sinh hoạt nơi cư trú — %(name)s — ngày %(day)s") % {"name": found.version.name, "day": fmt_date(found.on)}])
        ws.append([_("Tổ chức"), _("Đã đăng ký"), _("Đã gặp 6 tháng này"), _("Chưa gặp 6 tháng này"), _("Thiếu nhận xét năm nay"), _("Diện miễn nhận xét")])
        for name, f in [(found.version.name, found.total), *((r.version.name, r.figures) for r in found.children)]:
            ws.append([name, f.registered, f.met, f.not_met, f.comments_missing, f.exempt])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


@require_safe
@login_required
def report_xlsx(request: HttpRequest, org_id: int) -> HttpResponse:
    found, _error = _report(request, org_id)
    response = HttpResponse(report_workbook(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sinh-hoat-noi-cu-tru-{found.version.org_id}-{found.on:%Y%m%d}.xlsx"'
    return response


app_name = "residence"
urlpatterns = [
    path("org/<int:org_id>/register/", register, name="register"),
    path("org/<int:org_id>/cell/", cell, name="cell"),
    path("org/<int:org_id>/meetings/new/", meeting_add, name="meeting_add"),
    path("org/<int:org_id>/received/", received, name="received"),
    path("org/<int:org_id>/report/", report, name="report"),
    path("org/<int:org_id>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("registrations/<int:registration_id>/", registration, name="registration"),
    path("registrations/<int:registration_id>/comment/", comment, name="comment"),
    path("registrations/<int:registration_id>/end/", end, name="end"),
    path("registrations/<int:registration_id>/transfer/", transfer, name="transfer"),
]
