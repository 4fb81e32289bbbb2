from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo.core.access import Action, policy_for, today
from chibo.core.dates import parse_date, parse_required_date
from chibo.core.errors import ChiboError
from chibo.core.forms import status_for
from chibo.core.models import OPEN
from chibo.members import selectors, services
from chibo.members.forms_search import MemberSearchForm
from chibo.members.models import (
    CommunityKind,
    CommunityPosition,
    Position,
    PositionKind,
    Sex,
    Status,
    TheoryLevel,
)
from chibo.orgs.models import CELL_KINDS, OrgVersion

TEXT_FIELDS = ["surname", "middle_name", "given_name", "sex", "party_card_number", "citizen_id", "phone", "email", "ethnicity", "religion", "hometown", "education", "theory_level", "occupation"]
DATE_FIELDS = ["date_of_birth", "admitted_on", "official_on"]


def _profile_from_post(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {k: request.POST.get(k, "") for k in TEXT_FIELDS}
    for key in DATE_FIELDS:
        data[key] = parse_date(request.POST.get(key), field=key, required=key != "official_on")
    return data


def _form_context(**extra: Any) -> dict[str, Any]:
    return {"sexes": Sex.choices, "theory_levels": TheoryLevel.choices, **extra}


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


@login_required
def detail(request: HttpRequest, member_id: int) -> HttpResponse:
    policy = policy_for(request)
    member = policy.member_or_404(member_id, Action.VIEW_MEMBER)
    history = selectors.member_history(member=member)
    current = next((m for m, _v in history["memberships"] if m.valid_to == OPEN), None)
    cell = OrgVersion.objects.filter(org_id=current.org_id, valid_to=OPEN).first() if current else None
    status = next((s for s in history["statuses"] if s.valid_to == OPEN), None)
    can_edit = policy.members(Action.EDIT_MEMBER).filter(pk=member.pk).exists()
    return render(request, "members/detail.html", {"member": member, "cell": cell, "status": status, "can_edit": can_edit, "is_village_head_secretary": selectors.is_secretary_and_village_head(member, today()), **history})


@login_required
def history(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.VIEW_MEMBER)
    events = selectors.audit_for(object_type="members.member", object_id=member.pk)
    return render(request, "members/history.html", {"member": member, "events": events})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    org_id = request.GET.get("org") or request.POST.get("org") or ""
    version = policy.version_or_404(int(org_id) if org_id.isdigit() else 0, on=today(), action=Action.EDIT_MEMBER)
    if version.kind not in CELL_KINDS:
        messages.error(request, _("Chỉ thêm đảng viên vào chi bộ."))
        return redirect("orgs:detail", version.org_id)
    error = ""
    field = ""
    if request.method == "POST":
        try:
            data = _profile_from_post(request)
            joined = parse_date(request.POST.get("joined_on"), field="joined_on", required=False)
            member = services.member_create(actor=request.user, org=version.org, data=data, joined_on=joined)
        except ChiboError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect("members:detail", member.pk)
    return render(request, "members/form.html", _form_context(version=version, data=request.POST, error=error, error_field=field, creating=True), status=400 if error else 200)


@login_required
def edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    error = ""
    field = ""
    if request.method == "POST":
        try:
            services.member_update(actor=request.user, member=member, data=_profile_from_post(request))
        except ChiboError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, _("Đã lưu thông tin đảng viên."))
            return redirect("members:detail", member.pk)
    data: Any = request.POST if request.method == "POST" else {
        **{k: getattr(member, k) for k in TEXT_FIELDS},
        **{k: (getattr(member, k).strftime("%d/%m/%Y") if getattr(member, k) else "") for k in DATE_FIELDS},
    }
    return render(request, "members/form.html", _form_context(member=member, data=data, error=error, error_field=field, creating=False), status=400 if error else 200)


@login_required
def move(request: HttpRequest, member_id: int) -> HttpResponse:
    policy = policy_for(request)
    member = policy.member_or_404(member_id, Action.EDIT_MEMBER)
    cells = list(policy.versions(on=today(), action=Action.EDIT_MEMBER).filter(kind__in=CELL_KINDS).order_by("name")[:3000])
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            target = request.POST.get("org", "")
            version = next((c for c in cells if str(c.org_id) == target), None)
            if version is None:
                raise ChiboError(_("Hãy chọn chi bộ trong phạm vi của bạn."), field="org")
            services.member_move(actor=request.user, member=member, org=version.org, on=on, note=request.POST.get("note", ""))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã chuyển sinh hoạt."))
            return redirect("members:detail", member.pk)
    return render(request, "members/form_move.html", {"member": member, "cells": cells, "data": request.POST, "error": error}, status=400 if error else 200)


@login_required
def status(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            services.member_set_status(actor=request.user, member=member, status=request.POST.get("status", ""), on=on, note=request.POST.get("note", ""))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã cập nhật trạng thái."))
            return redirect("members:detail", member.pk)
    return render(request, "members/form_status.html", {"member": member, "statuses": Status.choices, "data": request.POST, "error": error}, status=400 if error else 200)


@login_required
def positions(request: HttpRequest, member_id: int) -> HttpResponse:
    member = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            on = parse_required_date(request.POST.get("on"))
            if action == "assign":
                services.position_assign(actor=request.user, member=member, kind=request.POST.get("kind", ""), on=on)
            elif action == "community":
                until = parse_date(request.POST.get("until"), field="until", required=False) or OPEN
                services.community_position_assign(actor=request.user, member=member, kind=request.POST.get("kind", ""), area_name=request.POST.get("area_name", ""), on=on, until=until)
            elif action == "end":
                position = Position.objects.filter(member=member, pk=_int(request.POST.get("position"))).first()
                if position is None:
                    raise ChiboError(_("Không tìm thấy chức vụ."))
                services.position_end(actor=request.user, position=position, on=on)
            elif action == "end_community":
                cp = CommunityPosition.objects.filter(member=member, pk=_int(request.POST.get("position"))).first()
                if cp is None:
                    raise ChiboError(_("Không tìm thấy chức danh."))
                services.community_position_end(actor=request.user, position=cp, on=on)
            else:
                raise ChiboError(_("Thao tác không hợp lệ."))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu chức vụ."))
            return redirect("members:positions", member.pk)
    context = {
        "member": member,
        "error": error,
        "data": request.POST,
        "kinds": PositionKind.choices,
        "community_kinds": CommunityKind.choices,
        **selectors.member_history(member=member),
    }
    return render(request, "members/form_positions.html", context, status=400 if error else 200)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


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
    """Upload an .xlsx: a dry run first lists every bad row; a clean file can then be committed as a whole."""
    import uuid
    from pathlib import Path

    from django.conf import settings

    from chibo.members.imports import COLUMNS, import_members

    policy = policy_for(request)
    org_id = request.GET.get("org") or request.POST.get("org") or ""
    version = policy.version_or_404(int(org_id) if org_id.isdigit() else 0, on=today(), action=Action.EDIT_MEMBER)
    default_org = version.org if version.kind in CELL_KINDS else None
    pending_dir = Path(settings.VAR_DIR) / "imports"
    context: dict[str, Any] = {"version": version, "columns": COLUMNS, "result": None, "error": "", "token": ""}
    if request.method == "POST":
        try:
            token = request.POST.get("token", "")
            if token:
                if token != request.session.get("import_token"):
                    raise ChiboError(_("Phiên nhập đã hết hạn; hãy chọn lại tệp."))
                path = pending_dir / f"{token}.xlsx"
                with path.open("rb") as fh:
                    result = import_members(actor=request.user, policy=policy, file=fh, default_org=default_org, commit=True)
                if result.committed:
                    path.unlink(missing_ok=True)
                    request.session.pop("import_token", None)
                    messages.success(request, _("Đã nhập %(n)s đảng viên.") % {"n": result.created})
                    return redirect("orgs:detail", version.org_id)
                context["result"] = result
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ChiboError(_("Hãy chọn tệp .xlsx."), field="file")
                result = import_members(actor=request.user, policy=policy, file=upload, default_org=default_org, commit=False)
                context["result"] = result
                if result.ok:
                    pending_dir.mkdir(parents=True, exist_ok=True)
                    token = uuid.uuid4().hex
                    upload.seek(0)
                    (pending_dir / f"{token}.xlsx").write_bytes(upload.read())
                    request.session["import_token"] = token
                    context["token"] = token
        except ChiboError as exc:
            context["error"] = exc.message
        except OSError:
            context["error"] = _("Phiên nhập đã hết hạn; hãy chọn lại tệp.")
    status_code = 400 if context["error"] or (context["result"] and not context["result"].ok) else 200
    return render(request, "members/import.html", context, status=status_code)
