"""Admission pages. A candidate is reached through its cell and the one access policy: reading needs
VIEW_MEMBER on the cell (its secretary and the staff above), recording a step EDIT_MEMBER on it; the
decision and its extension need EDIT_MEMBER on the deciding committee. Out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chibo.admissions import forms as f
from chibo.admissions import selectors as sel
from chibo.admissions import services
from chibo.admissions.models import STEP_NUMBER, AdmissionStep, Candidate, State, StepKind
from chibo.core.access import Action, Policy, policy_for, today
from chibo.core.forms import run_service, status_for
from chibo.core.viewutils import year_param
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.orgs.selectors import versions_on

COMMITTEE_STEPS = (StepKind.DECISION,)


def _cell_or_404(policy: Policy, org_id: int, action: Action = Action.VIEW_MEMBER) -> OrgVersion:
    version = policy.version_or_404(org_id, on=today(), action=action)
    if version.kind not in CELL_KINDS:
        raise Http404
    return version


def _committee_or_404(policy: Policy, org_id: int, action: Action = Action.VIEW_MEMBER) -> OrgVersion:
    version = policy.version_or_404(org_id, on=today(), action=action)
    if version.kind in CELL_KINDS:
        raise Http404
    return version


def _candidate_or_404(policy: Policy, candidate_id: int, action: Action = Action.VIEW_MEMBER) -> Candidate:
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None or not policy.can(action, org_id=candidate.cell_id, on=today()):
        raise Http404
    return candidate


def _can_decide(policy: Policy, candidate: Candidate) -> bool:
    return candidate.deciding_org_id is not None and policy.can(Action.EDIT_MEMBER, org_id=candidate.deciding_org_id)


@require_safe
@login_required
def cell_list(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = _cell_or_404(policy, org_id)
    page = Paginator(sel.cell_candidates(cell_id=org_id), settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"version": version, "page": page, "can_edit": policy.can(Action.EDIT_MEMBER, org_id=org_id), "today": today()}
    return render(request, "admissions/cell_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _cell_or_404(policy_for(request), org_id, Action.EDIT_MEMBER)
    form = f.CandidateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        candidate = run_service(form, lambda: services.candidate_create(actor=request.user, cell=version.org, data=form.cleaned_data))
        if candidate is not None:
            messages.success(request, _("Đã thêm quần chúng."))
            return redirect("admissions:candidate", candidate.pk)
    return render(request, "admissions/candidate_form.html", {"version": version, "form": form}, status=status_for(form))


def _detail_context(request: HttpRequest, candidate: Candidate, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    day = today()
    kinds = services.expected_kinds(candidate, day)
    kind = kinds[0] if kinds else None
    can_cell = policy.can(Action.EDIT_MEMBER, org_id=candidate.cell_id)
    can_decide = _can_decide(policy, candidate)
    can_step = kind is not None and (can_decide if kind in COMMITTEE_STEPS else can_cell)
    context: dict[str, Any] = {
        "candidate": candidate,
        "version": versions_on(day).filter(org_id=candidate.cell_id).first(),
        "deciding": versions_on(day).filter(org_id=candidate.deciding_org_id).first() if candidate.deciding_org_id else None,
        "steps": sel.candidate_steps(candidate),
        "next_kind": kind,
        "next_label": f"{STEP_NUMBER[kind]}. {StepKind(kind).label}" if kind else "",
        "can_skip_comments": len(kinds) > 1,
        "can_step": can_step,
        "can_edit": can_cell,
        "can_extend": can_decide and candidate.state == State.IN_PROGRESS and candidate.step_done == STEP_NUMBER[StepKind.COMMITTEE_VOTE] and not candidate.extended,
        "overdue": candidate.deadline is not None and candidate.deadline < day and candidate.state == State.IN_PROGRESS,
        "today": day,
    }
    if can_step and kind:
        context["step_form"] = f.StepForm(candidate=candidate, kind=kind, initial={"on": day})
    if context["can_extend"]:
        context["extension_form"] = f.ExtensionForm(initial={"on": day})
    if can_cell and candidate.state == State.IN_PROGRESS:
        context["stop_form"] = f.StopForm(initial={"on": day})
    context.update(extra)
    return context


@require_safe
@login_required
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    found = _candidate_or_404(policy_for(request), candidate_id)
    return render(request, "admissions/candidate.html", _detail_context(request, found))


@require_POST
@login_required
def step(request: HttpRequest, candidate_id: int) -> HttpResponse:
    policy = policy_for(request)
    found = _candidate_or_404(policy, candidate_id)
    kinds = services.expected_kinds(found, today())
    probe = f.KindForm(request.POST)
    kind = probe.cleaned_data["kind"] if probe.is_valid() else (kinds[0] if kinds else StepKind.COURSE)
    allowed = _can_decide(policy, found) if kind in COMMITTEE_STEPS else policy.can(Action.EDIT_MEMBER, org_id=found.cell_id)
    if not allowed:
        raise Http404
    form = f.StepForm(request.POST, request.FILES, candidate=found, kind=str(kind))
    if form.is_valid():
        done = run_service(form, lambda: services.step_record(actor=request.user, candidate=found, **form.call()))
        if done is not None:
            if done.passed:
                messages.success(request, _("Đã ghi bước: %(step)s.") % {"step": done.get_kind_display()})
            else:
                messages.warning(request, _("Đã ghi kết quả biểu quyết: không đạt hai phần ba. Có thể xét lại."))
            return redirect("admissions:candidate", found.pk)
    return render(request, "admissions/candidate.html", _detail_context(request, found, step_form=form), status=400)


@require_POST
@login_required
def extend(request: HttpRequest, candidate_id: int) -> HttpResponse:
    policy = policy_for(request)
    found = _candidate_or_404(policy, candidate_id)
    if not _can_decide(policy, found):
        raise Http404
    form = f.ExtensionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_service(form, lambda: services.extension_record(
            actor=request.user, candidate=found, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"],
            data=upload.read() if upload else None, name=upload.name if upload else "",
        ))  # fmt: skip
        if done is not None:
            messages.success(request, _("Đã gia hạn thời gian ra quyết định."))
            return redirect("admissions:candidate", found.pk)
    return render(request, "admissions/candidate.html", _detail_context(request, found, extension_form=form, can_extend=True), status=400)


@require_POST
@login_required
def stop(request: HttpRequest, candidate_id: int) -> HttpResponse:
    found = _candidate_or_404(policy_for(request), candidate_id, Action.EDIT_MEMBER)
    form = f.StopForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.candidate_stop(actor=request.user, candidate=found, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã dừng xem xét kết nạp."))
        return redirect("admissions:candidate", found.pk)
    return render(request, "admissions/candidate.html", _detail_context(request, found, stop_form=form), status=400)


@require_safe
@login_required
def document(request: HttpRequest, step_id: int) -> FileResponse:
    item = AdmissionStep.objects.filter(pk=step_id).select_related("candidate").first()
    if item is None or not item.file or not policy_for(request).can(Action.VIEW_MEMBER, org_id=item.candidate.cell_id, on=today()):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _org_context(request: HttpRequest, version: OrgVersion, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    year, year_error = year_param(request)
    context: dict[str, Any] = {
        "version": version, "year": year, "year_error": year_error, "years": [year - 1, year + 1],
        "summary": sel.committee_summary(version=version, year=year, on=today()),
        "can_edit": policy.can(Action.EDIT_MEMBER, org_id=version.org_id),
    }  # fmt: skip
    if context["can_edit"]:
        context.setdefault("quota_form", f.QuotaForm(root_org_id=version.org_id, initial={"year": year}))
    context.update(extra)
    return context


@require_safe
@login_required
def org_page(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _committee_or_404(policy_for(request), org_id)
    return render(request, "admissions/org.html", _org_context(request, version))


@require_POST
@login_required
def quota(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = _committee_or_404(policy, org_id, Action.EDIT_MEMBER)
    form = f.QuotaForm(request.POST, root_org_id=org_id)
    if form.is_valid():
        target = versions_on(today()).filter(org_id=form.cleaned_data["org"]).select_related("org").first()
        # The upper level sets the target: EDIT_MEMBER on the target's parent.
        if target is None or target.parent_id is None or not policy.can(Action.EDIT_MEMBER, org_id=target.parent_id):
            form.add_error("org", _("Chỉ cấp trên giao chỉ tiêu: hãy chọn chi bộ hoặc đảng bộ cấp xã trực thuộc."))
        elif run_service(form, lambda: services.quota_set(actor=request.user, org=target.org, year=form.cleaned_data["year"], target=form.cleaned_data["target"])):
            messages.success(request, _("Đã lưu chỉ tiêu kết nạp."))
            return redirect(reverse("admissions:org", args=[org_id]) + f"?year={form.cleaned_data['year']}")
    return render(request, "admissions/org.html", _org_context(request, version, quota_form=form), status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def areas(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = _committee_or_404(policy, org_id)
    can_add = services.is_commune_level(version) and policy.can(Action.EDIT_MEMBER, org_id=org_id)
    form = (f.AreaForm(request.POST) if request.method == "POST" else f.AreaForm()) if can_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid() and run_service(form, lambda: services.area_add(actor=request.user, commune=version.org, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã thêm thôn, tổ dân phố."))
            return redirect("admissions:areas", org_id)
    context = {"version": version, "form": form, **sel.white_villages(version=version, on=today())}
    return render(request, "admissions/areas.html", context, status=status_for(form) if form is not None else 200)


app_name = "admissions"
urlpatterns = [
    path("cell/<int:org_id>/", cell_list, name="cell"),
    path("cell/<int:org_id>/new/", create, name="create"),
    path("<int:candidate_id>/", candidate, name="candidate"),
    path("<int:candidate_id>/step/", step, name="step"),
    path("<int:candidate_id>/extend/", extend, name="extend"),
    path("<int:candidate_id>/stop/", stop, name="stop"),
    path("document/<int:step_id>/", document, name="document"),
    path("org/<int:org_id>/", org_page, name="org"),
    path("org/<int:org_id>/quota/", quota, name="quota"),
    path("org/<int:org_id>/areas/", areas, name="areas"),
]
