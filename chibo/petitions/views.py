"""Petition pages: the cell's list, the committee's inbox, the detail with its timeline and its action
forms, the member's "send a petition" and "my petitions", petitions raised at a meeting or by an
upper-level attendee, and the read-out of answers at the cell's meeting.

Thin views: reads in selectors, writes in services, access in access.py (out of scope = 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import run_service, status_for
from chibo.meetings.access import meeting_or_404
from chibo.meetings.models import Meeting, UpperAssignment
from chibo.orgs.models import CELL_KINDS
from chibo.petitions import access, services
from chibo.petitions import forms as f
from chibo.petitions import selectors as sel
from chibo.petitions.models import AT_CELL, Petition, RaisedVia, Status


def _above(org_id: int) -> list[tuple[int, str]]:
    ids = services.ancestor_ids(org_id, today())
    found = sel.names(ids)
    return [(i, found.get(i, str(i))) for i in ids]


# Lists ----------------------------------------------------------------------------------------


@require_safe
@login_required
def cell_list(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=today())
    if version.kind not in CELL_KINDS:
        raise Http404
    rows = sel.cell_petitions(org_id=org_id, on=today())
    return render(request, "petitions/cell_list.html", {"version": version, "rows": rows, "can_manage": policy.can(Action.EDIT_MEMBER, org_id=org_id)})


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """"Kiến nghị chờ xử lý": held by an organisation I handle, the overdue first."""
    policy = policy_for(request)
    rows = sel.inbox(policy=policy, on=today())
    return render(request, "petitions/inbox.html", {"rows": rows, "overdue": sum(1 for r in rows if r.overdue)})


@require_safe
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    rows = sel.my_petitions(user=request.user, member_id=policy.member_id, on=today())
    return render(request, "petitions/mine.html", {"rows": rows, "can_raise": sel.member_cell(member_id=policy.member_id, on=today()) is not None})


# Detail and moves ---------------------------------------------------------------------------------


def _detail(request: HttpRequest, petition_id: int, **bound: BaseForm) -> HttpResponse:
    policy = policy_for(request)
    petition = access.petition_or_404(policy, petition_id)
    can_manage = access.can_manage_cell(policy, petition)
    can_handle = access.can_handle(policy, petition)
    context: dict[str, Any] = {
        "petition": petition,
        "cell_name": sel.names([petition.org_id]).get(petition.org_id, ""),
        "holder_name": sel.names([petition.holder_id]).get(petition.holder_id or 0, "") or petition.holder_external,
        "answered_by": sel.names([petition.answered_by_org_id]).get(petition.answered_by_org_id or 0, "") or petition.answered_by_external,
        "resident": access.resident_identity(policy, petition),
        "timeline": sel.timeline(petition),
        "briefing_issue": sel.briefing_origin(petition),
        "tasks": sel.linked_tasks(petition),
        "can_manage": can_manage,
        "can_handle": can_handle,
        "overdue": petition.is_held and petition.deadline is not None and petition.deadline < today(),
    }
    if can_manage and petition.status in AT_CELL:
        context["send_form"] = bound.get("send") or f.SendForm(above=_above(petition.org_id), auto_id="send-%s")
    if can_handle:
        above = _above(petition.holder_id or petition.org_id)
        context["answer_form"] = bound.get("answer") or f.AnswerForm(auto_id="answer-%s")
        context["forward_form"] = bound.get("forward") or (f.ForwardForm(above=above, auto_id="forward-%s") if above else None)
        context["return_form"] = bound.get("return") or f.ReturnForm(auto_id="return-%s")
        context["scope_form"] = bound.get("scope") or f.OutOfScopeForm(auto_id="scope-%s")
    if can_manage and petition.status == Status.ANSWERED:
        if petition.read_out_at is None:
            context["read_out_meeting"] = sel.next_meeting(org_id=petition.org_id)
        else:
            context["close_form"] = bound.get("close") or f.CloseForm(auto_id="close-%s")
            context["reopen_form"] = bound.get("reopen") or f.ReopenForm(auto_id="reopen-%s")
    status = max([status_for(b) for b in bound.values()] or [200])
    return render(request, "petitions/detail.html", context, status=status)


@require_safe
@login_required
def detail(request: HttpRequest, petition_id: int) -> HttpResponse:
    return _detail(request, petition_id)


def _move(request: HttpRequest, petition_id: int, *, key: str, form: BaseForm, call: Callable[[dict[str, Any]], Any], done: str) -> HttpResponse:
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect("petitions:detail", petition_id)
    return _detail(request, petition_id, **{key: form})


@login_required
@require_POST
def send(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.cell_manager_or_404(policy_for(request), petition_id)
    form = f.SendForm(request.POST, above=_above(petition.org_id), auto_id="send-%s")
    return _move(request, petition_id, key="send", form=form, done=_("Đã gửi kiến nghị."), call=lambda d: services.petition_send(
        actor=request.user, petition=petition, to_org_id=d["to_org"], to_external=d["to_external"], note=d["note"]))


@login_required
@require_POST
def forward(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.handler_or_404(policy_for(request), petition_id)
    form = f.ForwardForm(request.POST, above=_above(petition.holder_id or petition.org_id), auto_id="forward-%s")
    return _move(request, petition_id, key="forward", form=form, done=_("Đã chuyển kiến nghị lên cấp trên."),
                 call=lambda d: services.petition_forward(actor=request.user, petition=petition, to_org_id=d["to_org"], note=d["note"]))


@login_required
@require_POST
def answer(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.handler_or_404(policy_for(request), petition_id)
    form = f.AnswerForm(request.POST, auto_id="answer-%s")
    return _move(request, petition_id, key="answer", form=form, done=_("Đã trả lời; câu trả lời được gửi về chi bộ."),
                 call=lambda d: services.petition_answer(actor=request.user, petition=petition, text=d["text"]))


@login_required
@require_POST
def give_back(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.handler_or_404(policy_for(request), petition_id)
    form = f.ReturnForm(request.POST, auto_id="return-%s")
    return _move(request, petition_id, key="return", form=form, done=_("Đã trả lại chi bộ để làm rõ."),
                 call=lambda d: services.petition_return(actor=request.user, petition=petition, question=d["question"]))


@login_required
@require_POST
def out_of_scope(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.handler_or_404(policy_for(request), petition_id)
    form = f.OutOfScopeForm(request.POST, auto_id="scope-%s")
    return _move(request, petition_id, key="scope", form=form, done=_("Đã đóng kiến nghị: không thuộc thẩm quyền."),
                 call=lambda d: services.petition_close_out_of_scope(actor=request.user, petition=petition, reason=d["reason"]))


@login_required
@require_POST
def read_out(request: HttpRequest, petition_id: int) -> HttpResponse:
    """"Đã đọc tại cuộc họp": from the meeting page (back there) or the petition page."""
    policy = policy_for(request)
    petition = access.cell_manager_or_404(policy, petition_id)
    form = f.ReadOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cuộc họp."))
        return redirect("petitions:detail", petition_id)
    meeting = meeting_or_404(policy, form.cleaned_data["meeting"], Action.EDIT_MEMBER)
    done = run_service(form, lambda: services.petition_read_out(actor=request.user, petition=petition, meeting=meeting))
    if done is None:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors() or sum(form.errors.values(), [])))
    else:
        messages.success(request, _("Đã ghi nhận: câu trả lời được thông báo tại cuộc họp."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def close(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.cell_manager_or_404(policy_for(request), petition_id)
    form = f.CloseForm(request.POST, auto_id="close-%s")
    return _move(request, petition_id, key="close", form=form, done=_("Đã khép lại kiến nghị."),
                 call=lambda d: services.petition_close(actor=request.user, petition=petition, note=d["note"]))


@login_required
@require_POST
def reopen(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = access.cell_manager_or_404(policy_for(request), petition_id)
    form = f.ReopenForm(request.POST, auto_id="reopen-%s")
    return _move(request, petition_id, key="reopen", form=form, done=_("Đã mở lại kiến nghị và gửi lại cấp đã trả lời."),
                 call=lambda d: services.petition_reopen(actor=request.user, petition=petition, reason=d["reason"]))


# Raising --------------------------------------------------------------------------------------


@login_required
def raise_own(request: HttpRequest) -> HttpResponse:
    """"Gửi kiến nghị": a member, from their phone, between meetings. It goes to the cell's secretary."""
    policy = policy_for(request)
    cell_id = sel.member_cell(member_id=policy.member_id, on=today())
    if cell_id is None or not policy.can(Action.VIEW_ORG, org_id=cell_id):
        raise Http404
    form = f.PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = policy.member_or_404(int(policy.member_id or 0), Action.VIEW_MEMBER)
        version = policy.version_or_404(cell_id)
        petition = run_service(form, lambda: services.petition_raise(
            actor=request.user, cell=version.org, raised_via=RaisedVia.APP, raised_by=member, category=d["category"], title=d["title"],
            text=d["text"], resident_name=d["resident_name"], resident_phone=d["resident_phone"], resident_address=d["resident_address"]))
        if petition is not None:
            messages.success(request, _("Đã gửi kiến nghị đến bí thư chi bộ."))
            return redirect("petitions:mine")
    return render(request, "petitions/raise.html", {"form": form, "cell_name": sel.names([cell_id]).get(cell_id, "")}, status=status_for(form))


@login_required
def at_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Petitions raised at a meeting (the minutes' "issues raised"); the secretary adds them."""
    policy = policy_for(request)
    meeting = meeting_or_404(policy, meeting_id)
    can_manage = policy.can(Action.EDIT_MEMBER, org_id=meeting.org_id)
    members = sel.cell_members(org_id=meeting.org_id, on=today()) if can_manage else []
    form = f.MeetingPetitionForm(members=members, auto_id="p-%s")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        form = f.MeetingPetitionForm(request.POST, members=members, auto_id="p-%s")
        if form.is_valid():
            d = form.cleaned_data
            by = next((m for m in members if m.pk == d["raised_by"]), None)
            petition = run_service(form, lambda: services.petition_raise(
                actor=request.user, cell=meeting.org, raised_via=RaisedVia.MEETING, meeting=meeting, raised_by=by,
                raised_by_name=d["raised_by_name"], category=d["category"], title=d["title"], text=d["text"],
                resident_name=d["resident_name"], resident_phone=d["resident_phone"], resident_address=d["resident_address"]))
            if petition is not None:
                messages.success(request, _("Đã ghi nhận kiến nghị."))
                return redirect("petitions:at_meeting", meeting.pk)
    context = {"meeting": meeting, "cell_name": sel.names([meeting.org_id]).get(meeting.org_id, ""), "rows": sel.at_meeting(meeting=meeting),
               "form": form if can_manage else None}
    return render(request, "petitions/at_meeting.html", context, status=status_for(form))


@login_required
def at_upper(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The upper-level attendee adds a petition heard at the cell's meeting (raised via upper attendee)."""
    assignment = UpperAssignment.objects.filter(pk=assignment_id, attendee_id=request.user.pk).select_related("cell").first()
    if assignment is None:
        raise Http404
    meeting = Meeting.objects.filter(org_id=assignment.cell_id, month=assignment.month).order_by("starts_at").first()
    form = f.UpperPetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        petition = run_service(form, lambda: services.petition_raise(
            actor=request.user, cell=assignment.cell, raised_via=RaisedVia.UPPER, meeting=meeting,
            raised_by_name=d["raised_by_name"] or str(request.user), category=d["category"], title=d["title"], text=d["text"],
            resident_name=d["resident_name"], resident_phone=d["resident_phone"], resident_address=d["resident_address"]))
        if petition is not None:
            messages.success(request, _("Đã ghi nhận kiến nghị; chi bộ sẽ gửi lên cấp có thẩm quyền."))
            return redirect("petitions:at_upper", assignment.pk)
    rows = sel.rows_for(list(Petition.objects.filter(org_id=assignment.cell_id, raised_via=RaisedVia.UPPER, created_by_id=request.user.pk).order_by("-pk")), today())
    context = {"assignment": assignment, "cell_name": sel.names([assignment.cell_id]).get(assignment.cell_id, ""), "form": form, "rows": rows}
    return render(request, "petitions/at_upper.html", context, status=status_for(form))


urlpatterns: list[URLPattern] = [
    path("cell/<int:org_id>/", cell_list, name="cell"),
    path("inbox/", inbox, name="inbox"),
    path("mine/", mine, name="mine"),
    path("new/", raise_own, name="raise"),
    path("meeting/<int:meeting_id>/", at_meeting, name="at_meeting"),
    path("upper/<int:assignment_id>/", at_upper, name="at_upper"),
    path("<int:petition_id>/", detail, name="detail"),
    path("<int:petition_id>/send/", send, name="send"),
    path("<int:petition_id>/forward/", forward, name="forward"),
    path("<int:petition_id>/answer/", answer, name="answer"),
    path("<int:petition_id>/return/", give_back, name="return"),
    path("<int:petition_id>/out-of-scope/", out_of_scope, name="out_of_scope"),
    path("<int:petition_id>/read-out/", read_out, name="read_out"),
    path("<int:petition_id>/close/", close, name="close"),
    path("<int:petition_id>/reopen/", reopen, name="reopen"),
]
