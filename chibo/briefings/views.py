"""Briefing pages. Reading needs VIEW_ORG on the committee (or on an invited cell for one briefing);
writing needs EDIT_MEMBER on the committee (its staff). Out of scope answers 404 like missing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chibo.briefings import selectors as sel
from chibo.briefings import services
from chibo.briefings.access import briefing_or_404
from chibo.briefings.documents import briefing_pdf
from chibo.briefings.forms import (
    BriefingForm,
    CancelForm,
    ConvertForm,
    IssueForm,
    ItemAddForm,
    ItemForm,
    MarkForm,
    PlanYearForm,
)
from chibo.briefings.models import (
    Briefing,
    BriefingIssue,
    BriefingItem,
    BriefingStatus,
    IssueKind,
    IssueStatus,
)
from chibo.core.access import Action, policy_for, today
from chibo.core.dates import local
from chibo.core.forms import ChiboForm, run_service, status_for
from chibo.core.viewutils import year_param
from chibo.meetings.documents import PDF
from chibo.orgs.models import CELL_KINDS
from chibo.orgs.selectors import versions_on
from chibo.petitions.models import Category


def _can_edit(request: HttpRequest, briefing: Briefing) -> bool:
    return policy_for(request).can(Action.EDIT_MEMBER, org_id=briefing.committee_id, on=today())


def _first_error(form: Any) -> str:
    for errors in (form.non_field_errors(), *form.errors.values()):
        for error in errors:
            return str(error)
    return ""


@require_safe
@login_required
def org_briefings(request: HttpRequest, org_id: int) -> HttpResponse:
    """A committee's briefings of the year (planned against held); for a cell, those it is invited to."""
    policy = policy_for(request)
    version = policy.version_or_404(org_id)
    year, year_error = year_param(request)
    context: dict[str, Any] = {"version": version, "year": year, "year_error": year_error, "years": [year - 1, year + 1]}
    if version.kind in CELL_KINDS:
        context["invited"] = list(sel.cell_briefings(cell_id=org_id, year=year))
    else:
        context["view"] = sel.committee_year(committee_id=org_id, year=year, today=today())
        context["can_edit"] = policy.can(Action.EDIT_MEMBER, org_id=org_id)
    return render(request, "briefings/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_year(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = policy.version_or_404(org_id, action=Action.EDIT_MEMBER)
    year, _bad_year = year_param(request)
    if request.method == "POST":
        form = PlanYearForm(request.POST, year=year)
        if form.is_valid():
            created = run_service(form, lambda: services.plan_year(
                actor=request.user, committee=version.org, year=form.cleaned_data["year"], days=form.days(), time=form.cleaned_data["time"],
            ))  # fmt: skip
            if created is not None:
                messages.success(request, _("Đã lập kế hoạch %(n)s buổi giao ban.") % {"n": len(created)})
                return redirect(reverse("briefings:org", args=[org_id]) + f"?year={form.cleaned_data['year']}")
    else:
        form = PlanYearForm(year=year)
    return render(request, "briefings/plan.html", {"version": version, "form": form, "year": year}, status=status_for(form))


def _detail_context(request: HttpRequest, briefing: Briefing, **extra: Any) -> dict[str, Any]:
    can_edit = _can_edit(request, briefing)
    context = {
        "briefing": briefing,
        "committee": versions_on(sel.briefing_day(briefing)).filter(org_id=briefing.committee_id).first(),
        "period": sel.period_label(briefing),
        "can_edit": can_edit,
        "can_mark": can_edit and briefing.status != BriefingStatus.CANCELLED and sel.briefing_day(briefing) <= today(),
        **sel.detail(briefing),
    }
    if can_edit and briefing.status == BriefingStatus.HELD:
        bound = extra.pop("convert_form", None)
        for issue in context["issues"]:
            if issue.status == IssueStatus.OPEN and issue.owner_id:
                issue.convert_form = bound if bound is not None and bound.issue_id == issue.pk else ConvertForm(issue=issue)
    if can_edit and briefing.status != BriefingStatus.CANCELLED:
        context.setdefault("item_form", ItemAddForm())
        context.setdefault("issue_form", IssueForm(briefing=briefing))
        context.setdefault("cancel_form", CancelForm())
    context.update(extra)
    return context


@require_safe
@login_required
def detail(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = briefing_or_404(policy_for(request), briefing_id)
    return render(request, "briefings/detail.html", _detail_context(request, briefing))


def _editor(request: HttpRequest, briefing_id: int) -> Briefing:
    return briefing_or_404(policy_for(request), briefing_id, Action.EDIT_MEMBER)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = _editor(request, briefing_id)
    if request.method == "POST":
        form = BriefingForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.briefing_update(
            actor=request.user, briefing=briefing, starts_at=form.starts_at(), place=form.cleaned_data["place"],
            chair_name=form.cleaned_data["chair_name"], recorder_name=form.cleaned_data["recorder_name"],
        )) is not None:  # fmt: skip
            messages.success(request, _("Đã lưu."))
            return redirect("briefings:detail", briefing.pk)
    else:
        at = local(briefing.starts_at)
        form = BriefingForm(initial={"date": at.date(), "time": at.strftime("%H:%M"), "place": briefing.place, "chair_name": briefing.chair_name, "recorder_name": briefing.recorder_name})
    return render(request, "briefings/edit.html", {"briefing": briefing, "form": form, "period": sel.period_label(briefing)}, status=status_for(form))


@require_POST
@login_required
def mark(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """One tap. With HTMX the row comes back; without, the page."""
    briefing = _editor(request, briefing_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(form, lambda: services.attendance_mark(actor=request.user, briefing=briefing, member_id=data["member"], status=data["status"], reason=data["reason"]))
    error = _first_error(form)
    member_id = form.cleaned_data.get("member") if hasattr(form, "cleaned_data") else None
    if request.headers.get("HX-Request"):
        briefing.refresh_from_db()
        row = next((a for a in sel.attendance_rows(briefing) if a.row.member_id == member_id), None)
        if row is None:
            return render(request, "briefings/_error.html", {"error": error}, status=400)
        return render(request, "briefings/_att_row.html", {**_detail_context(request, briefing), "a": row, "row_error": error})
    if error:
        messages.error(request, error)
    return redirect("briefings:detail", briefing.pk)


@require_POST
@login_required
def status(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """Hold, cancel (with a reason) or refresh the invitation list: the button's name says which."""
    briefing = _editor(request, briefing_id)
    op = "hold" if "hold" in request.POST else "cancel" if "cancel" in request.POST else "invite" if "invite" in request.POST else ""
    form: ChiboForm = CancelForm(request.POST) if op == "cancel" else ChiboForm({})
    valid = form.is_valid()
    done: object = None
    if op == "hold":
        done = run_service(form, lambda: services.briefing_hold(actor=request.user, briefing=briefing))
    elif op == "invite":
        done = run_service(form, lambda: services.refresh_invitees(actor=request.user, briefing=briefing))
    elif op == "cancel" and valid:
        done = run_service(form, lambda: services.briefing_cancel(actor=request.user, briefing=briefing, reason=form.cleaned_data["reason"]))
    elif op != "cancel":
        form.add_error(None, _("Thao tác không hợp lệ."))
    if done is None:
        briefing.refresh_from_db()
        shown = op == "cancel" and briefing.status == BriefingStatus.PLANNED  # the cancel form shows its own errors
        extra: dict[str, Any] = {"cancel_form": form} if shown else {"error": _first_error(form)}
        return render(request, "briefings/detail.html", _detail_context(request, briefing, **extra), status=400)
    messages.success(request, _("Đã cập nhật."))
    return redirect("briefings:detail", briefing.pk)


@require_POST
@login_required
def item_add(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = _editor(request, briefing_id)
    form = ItemAddForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.item_add(actor=request.user, briefing=briefing, title=form.cleaned_data["title"])) is not None:
        return redirect("briefings:detail", briefing.pk)
    return render(request, "briefings/detail.html", _detail_context(request, briefing, item_form=form), status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item(request: HttpRequest, bitem_id: int) -> HttpResponse:
    found = BriefingItem.objects.filter(pk=bitem_id).first()
    if found is None:
        raise Http404
    briefing = _editor(request, found.briefing_id)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.item_update(actor=request.user, item=found, **form.cleaned_data)) is not None:
            messages.success(request, _("Đã lưu biên bản nội dung."))
            return redirect("briefings:detail", briefing.pk)
    else:
        form = ItemForm(initial={"title": found.title, "content": found.content, "conclusion": found.conclusion})
    return render(request, "briefings/item.html", {"briefing": briefing, "item": found, "form": form, "period": sel.period_label(briefing)}, status=status_for(form))


def _issue_call(request: HttpRequest, form: IssueForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {"text": d["text"], "raised_by_name": d["raised_by_name"], "cell_id": d["cell"], "owner_id": d["owner"], "kind": d["kind"]}


@require_POST
@login_required
def issue_add(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = _editor(request, briefing_id)
    form = IssueForm(request.POST, briefing=briefing)
    if form.is_valid() and run_service(form, lambda: services.issue_add(actor=request.user, briefing=briefing, **_issue_call(request, form))) is not None:
        messages.success(request, _("Đã ghi vấn đề."))
        return redirect(reverse("briefings:detail", args=[briefing.pk]) + "#issues")
    return render(request, "briefings/detail.html", _detail_context(request, briefing, issue_form=form), status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def issue(request: HttpRequest, issue_id: int) -> HttpResponse:
    found = BriefingIssue.objects.filter(pk=issue_id).first()
    if found is None:
        raise Http404
    briefing = _editor(request, found.briefing_id)
    if request.method == "POST":
        form = IssueForm(request.POST, briefing=briefing, with_status=True)
        if form.is_valid() and run_service(form, lambda: services.issue_update(actor=request.user, issue=found, status=form.cleaned_data["status"], **_issue_call(request, form))) is not None:
            messages.success(request, _("Đã lưu."))
            return redirect("briefings:detail", briefing.pk)
    else:
        form = IssueForm(briefing=briefing, with_status=True, initial={
            "text": found.text, "raised_by_name": found.raised_by_name, "cell": found.cell_id, "owner": found.owner_id, "kind": found.kind, "status": found.status,
        })  # fmt: skip
    return render(request, "briefings/issue.html", {"briefing": briefing, "issue": found, "form": form, "period": sel.period_label(briefing)}, status=status_for(form))


@require_POST
@login_required
def issue_convert(request: HttpRequest, issue_id: int) -> HttpResponse:
    """The issue's button: a member task for its owner, or a petition sent to the committee."""
    found = BriefingIssue.objects.filter(pk=issue_id).select_related("owner").first()
    if found is None:
        raise Http404
    briefing = _editor(request, found.briefing_id)
    form = ConvertForm(request.POST, issue=found)
    form.issue_id = found.pk  # type: ignore[attr-defined]
    d = form.cleaned_data if form.is_valid() else None
    done = d is not None and run_service(form, lambda: services.issue_convert(
        actor=request.user, issue=found, due_on=d.get("due_on"), category=d.get("category") or Category.OTHER)) is not None
    if done:
        messages.success(request, _("Đã giao nhiệm vụ.") if found.kind == IssueKind.TASK else _("Đã gửi kiến nghị lên cấp ủy."))
        return redirect(reverse("briefings:detail", args=[briefing.pk]) + "#issues")
    context = _detail_context(request, briefing, convert_form=form)
    if not any(getattr(i, "convert_form", None) is form for i in context["issues"]):  # no button any more: say why above the list
        context["convert_error"] = next(iter(form.non_field_errors()), "") or _first_error(form)
    return render(request, "briefings/detail.html", context, status=400)


@require_safe
@login_required
def pdf(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = get_object_or_404(Briefing, pk=briefing_or_404(policy_for(request), briefing_id).pk)
    response = HttpResponse(briefing_pdf(briefing), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="giao-ban-{briefing.year}-{briefing.period}.pdf"'
    return response


app_name = "briefings"
urlpatterns = [
    path("org/<int:org_id>/", org_briefings, name="org"),
    path("org/<int:org_id>/plan/", plan_year, name="plan_year"),
    path("<int:briefing_id>/", detail, name="detail"),
    path("<int:briefing_id>/edit/", edit, name="edit"),
    path("<int:briefing_id>/mark/", mark, name="mark"),
    path("<int:briefing_id>/status/", status, name="status"),
    path("<int:briefing_id>/items/", item_add, name="item_add"),
    path("items/<int:bitem_id>/", item, name="item"),
    path("<int:briefing_id>/issues/", issue_add, name="issue_add"),
    path("issues/<int:issue_id>/", issue, name="issue"),
    path("issues/<int:issue_id>/convert/", issue_convert, name="issue_convert"),
    path("<int:briefing_id>/pdf/", pdf, name="pdf"),
]
