from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import run_service, status_for
from chibo.core.models import OPEN
from chibo.members import selectors, services
from chibo.members.forms import (
    CommunityAssignForm,
    MemberForm,
    MoveForm,
    PositionActionForm,
    PositionAssignForm,
    PositionEndForm,
    StatusForm,
)
from chibo.members.forms_search import MemberSearchForm
from chibo.members.models import CommunityPosition, Position, Status
from chibo.orgs.models import CELL_KINDS, OrgVersion


@require_safe
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Live member search in the user's scope; a query that matches nothing gets close names
    (:func:`selectors.suggest_names`; on PostgreSQL trigram matches come first, in the results)."""
    policy = policy_for(request)
    form = MemberSearchForm(request.GET)
    form.is_valid()  # a field in error (a query too long, an unknown status) is searched without
    data = form.cleaned_data
    query, status, org_id = data.get("q") or "", data.get("status") or "", data.get("org")
    query = query.strip()
    org_version = policy.version_or_404(org_id, on=today()) if org_id else None
    scope_org = org_version.org_id if org_version else None
    qs = selectors.member_search(policy=policy, query=query, org_id=scope_org, status=status)
    page = Paginator(selectors.with_current(qs), 30).get_page(request.GET.get("page"))
    members = list(page.object_list)
    suggestions = []
    if query and not members and page.number == 1:  # PostgreSQL's trigram matches came up empty too
        suggestions = selectors.suggest_names(policy=policy, query=query, org_id=scope_org, status=status)
    context = {
        "form": form, "query": query, "page": page, "members": members, "cells": selectors.current_cell_names(members),
        "org_version": org_version, "status": status, "suggestions": suggestions,
    }  # fmt: skip
    template = "members/_results.html" if request.headers.get("HX-Request") else "members/search.html"
    return render(request, template, context, status=status_for(form))


@require_safe
@login_required
def detail(request: HttpRequest, member_id: int) -> HttpResponse:
    policy = policy_for(request)
    try:
        member = policy.member_or_404(member_id, Action.VIEW_MEMBER)
    except Http404:  # the receiving side of a transfer in transit (chibo.transfers.access), read only
        from chibo.transfers.access import member_in_transit_or_404

        member = member_in_transit_or_404(policy, member_id)
    history = selectors.member_history(member=member)
    current = next((m for m, _v in history["memberships"] if m.valid_to == OPEN), None)
    cell = OrgVersion.objects.filter(org_id=current.org_id, valid_to=OPEN).first() if current else None
    status = next((s for s in history["statuses"] if s.valid_to == OPEN), None)
    can_edit = policy.members(Action.EDIT_MEMBER).filter(pk=member.pk).exists()
    return render(request, "members/detail.html", {"member": member, "cell": cell, "status": status, "can_edit": can_edit, "is_village_head_secretary": selectors.is_secretary_and_village_head(member, today()), **history})


@require_safe
@login_required
def history(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.VIEW_MEMBER)
    events = selectors.audit_for(object_type="members.member", object_id=member.pk)
    return render(request, "members/history.html", {"member": member, "events": events})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    org_id = request.GET.get("org", "")
    version = policy.version_or_404(int(org_id) if org_id.isdigit() else 0, on=today(), action=Action.EDIT_MEMBER)
    if version.kind not in CELL_KINDS:
        messages.error(request, _("Chỉ thêm đảng viên vào chi bộ."))
        return redirect("orgs:detail", version.org_id)
    form = MemberForm(request.POST or None, creating=True)
    if form.is_valid():
        member = run_service(form, lambda: services.member_create(actor=request.user, org=version.org, data=form.profile(), joined_on=form.cleaned_data.get("joined_on")))
        if member is not None:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect("members:detail", member.pk)
    return render(request, "members/form.html", {"form": form, "version": version, "creating": True}, status=status_for(form))


@login_required
def edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    form = MemberForm(request.POST or None, member=member)
    if form.is_valid() and run_service(form, lambda: services.member_update(actor=request.user, member=member, data=form.profile())) is not None:
        messages.success(request, _("Đã lưu thông tin đảng viên."))
        return redirect("members:detail", member.pk)
    return render(request, "members/form.html", {"form": form, "member": member, "creating": False}, status=status_for(form))


@login_required
def move(request: HttpRequest, member_id: int) -> HttpResponse:
    policy = policy_for(request)
    member = policy.member_or_404(member_id, Action.EDIT_MEMBER)
    cells = list(policy.versions(on=today(), action=Action.EDIT_MEMBER).filter(kind__in=CELL_KINDS).order_by("name")[:3000])
    form = MoveForm(request.POST or None, cells=cells)
    if form.is_valid():
        data = form.cleaned_data
        target = form.by_id[data["org"]]
        if run_service(form, lambda: services.member_move(actor=request.user, member=member, org=target.org, on=data["on"], note=data["note"])):
            messages.success(request, _("Đã chuyển sinh hoạt."))
            return redirect("members:detail", member.pk)
    return render(request, "members/form_move.html", {"member": member, "form": form}, status=status_for(form))


@login_required
def status(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    form = StatusForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.member_set_status(actor=request.user, member=member, status=data["status"], on=data["on"], note=data["note"])):
            messages.success(request, _("Đã cập nhật trạng thái."))
            return redirect("members:detail", member.pk)
    return render(request, "members/form_status.html", {"member": member, "form": form}, status=status_for(form))


@login_required
def positions(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    cell_area = selectors.current_cell_area(member)
    assign_form = PositionAssignForm(auto_id="assign_%s")
    community_form = CommunityAssignForm(auto_id="community_%s", area_hint=cell_area)
    end_form: PositionEndForm | None = None
    end_kind = ""
    action_form = PositionActionForm(request.POST or None)
    bound: Any = action_form
    done: Any = None
    if request.method == "POST" and action_form.is_valid():
        action = action_form.cleaned_data["action"]
        if action == "assign":
            bound = assign_form = PositionAssignForm(request.POST, auto_id="assign_%s")
            if assign_form.is_valid():
                data = assign_form.cleaned_data
                done = run_service(assign_form, lambda: services.position_assign(actor=request.user, member=member, kind=data["kind"], on=data["on"]))
                bound = None if done else assign_form
        elif action == "community":
            bound = community_form = CommunityAssignForm(request.POST, auto_id="community_%s", area_hint=cell_area)
            if community_form.is_valid():
                data = community_form.cleaned_data
                done = run_service(community_form, lambda: services.community_position_assign(actor=request.user, member=member, kind=data["kind"], area_name=data["area_name"], on=data["on"], until=data["until"] or OPEN))
                bound = None if done else community_form
        else:
            bound = end_form = PositionEndForm(request.POST, auto_id="end_%s")
            end_kind = action
            if end_form.is_valid():
                data = end_form.cleaned_data
                if action == "end":
                    position = Position.objects.filter(member=member, pk=data["position"]).first()
                    done = position and run_service(end_form, lambda: services.position_end(actor=request.user, position=position, on=data["on"]))
                else:
                    cp = CommunityPosition.objects.filter(member=member, pk=data["position"]).first()
                    done = cp and run_service(end_form, lambda: services.community_position_end(actor=request.user, position=cp, on=data["on"]))
                if not done and not end_form.errors:
                    end_form.add_error(None, _("Không tìm thấy chức vụ."))
                bound = None if done else end_form
        if bound is None:
            messages.success(request, _("Đã lưu chức vụ."))
            return redirect("members:positions", member.pk)
    context = {
        "member": member,
        "action_form": action_form,
        "assign_form": assign_form,
        "community_form": community_form,
        "end_form": end_form,
        "end_kind": end_kind,
        "end_position": end_form.data.get("position", "") if end_form is not None else "",
        "committee_min": settings.CHIBO_COMMITTEE_MIN_OFFICIAL,
        "committee_max": settings.CHIBO_COMMITTEE_MAX,
        "deputy_max": settings.CHIBO_DEPUTY_MAX,
        **selectors.member_history(member=member),
    }
    failed = bound is not None and request.method == "POST"
    return render(request, "members/form_positions.html", context, status=400 if failed else 200)


@require_safe
@login_required
def export(request: HttpRequest) -> HttpResponse:
    from chibo.members.exports import members_xlsx_response

    policy = policy_for(request)
    org_id = request.GET.get("org", "")
    org_version = policy.version_or_404(int(org_id) if org_id.isdigit() else 0, on=today(), action=Action.VIEW_MEMBER)
    qs = selectors.member_search(policy=policy, query=request.GET.get("q", ""), org_id=org_version.org_id, status=request.GET.get("status", "") if request.GET.get("status", "") in Status.values else "")
    name = org_version.name
    return members_xlsx_response(members=qs, title=name, on=today())




@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload an .xlsx: a dry run lists every bad row and every change made to the data; a clean file
    can then be committed as a whole (all rows or none)."""
    import contextlib
    import time
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.http import Http404

    from chibo.core.forms import run_service
    from chibo.members.import_form import ImportForm
    from chibo.members.imports import FIELDS, import_members

    policy = policy_for(request)
    scope = policy.versions(action=Action.EDIT_MEMBER).select_related("org")
    page_id = request.GET.get("org", "")
    page = policy.version_or_404(int(page_id), action=Action.EDIT_MEMBER) if page_id.isdigit() else None
    session_token = request.session.get("import_token", "")
    data = request.POST if request.method == "POST" else None
    form = ImportForm(data, request.FILES or None, scope=scope, page=page, session_token=session_token)
    result = None
    token = ""
    valid = form.is_bound and form.is_valid()
    if page is None:  # posted without ?org=: the page is the organisation chosen in the form
        page = form.cleaned_data.get("org") if form.is_bound else None
        if page is None:
            raise Http404  # missing or out of scope, alike
        form.show_choices_for(page)
    if valid:
        org_version: OrgVersion = form.cleaned_data["org"]
        pending_dir = Path(settings.VAR_DIR) / "imports"
        if form.commit:
            path = pending_dir / f"{session_token}.xlsx"
            if not path.exists():
                form.add_error(None, _("Phiên nhập đã hết hạn; hãy chọn lại tệp."))
            else:
                with path.open("rb") as fh:
                    result = run_service(form, lambda: import_members(actor=request.user, policy=policy, file=fh, org=org_version.org, commit=True))
                if result is not None and result.committed:
                    path.unlink(missing_ok=True)
                    request.session.pop("import_token", None)
                    messages.success(request, _("Đã nhập %(n)s đảng viên.") % {"n": result.created})
                    return redirect("orgs:detail", page.org_id)
        else:
            upload = form.cleaned_data["file"]
            result = run_service(form, lambda: import_members(actor=request.user, policy=policy, file=upload, org=org_version.org, commit=False))
            if result is not None and result.ok:
                pending_dir.mkdir(parents=True, exist_ok=True)
                # Checked files wait a day at most for their commit; a new check replaces the session's last one.
                if session_token:
                    (pending_dir / f"{session_token}.xlsx").unlink(missing_ok=True)
                for stale in pending_dir.glob("*.xlsx"):
                    with contextlib.suppress(OSError):  # another request may remove it first
                        if stale.stat().st_mtime < time.time() - 86400:
                            stale.unlink()
                token = uuid.uuid4().hex
                upload.seek(0)
                (pending_dir / f"{token}.xlsx").write_bytes(upload.read())
                request.session["import_token"] = token
    status_code = 400 if form.errors or (result is not None and not result.ok) else 200
    context = {"version": page, "form": form, "result": result, "token": token, "fields": FIELDS}
    return render(request, "members/import.html", context, status=status_code)


@require_safe
@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template offices fill in, for anyone who may import (secretary, staff, admin)."""
    from django.http import Http404, HttpResponseNotAllowed

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])

    from chibo.members.imports import XLSX, template_xlsx

    if not policy_for(request).roles() & {"secretary", "staff", "admin"}:
        raise Http404
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response
