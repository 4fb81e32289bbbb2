from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo.core.access import Action, policy_for, today
from chibo.core.dates import parse_required_date
from chibo.core.errors import ChiboError
from chibo.core.viewutils import as_of
from chibo.members import selectors as member_selectors
from chibo.members.models import Status
from chibo.orgs import selectors, services
from chibo.orgs.models import (
    CELL_KINDS,
    AdminUnit,
    AreaKind,
    Organisation,
    OrgKind,
    OrgVersion,
    Sector,
)


@login_required
def tree_root(request: HttpRequest) -> HttpResponse:
    """The top of what the user may see: the root for admins, else their highest granted node."""
    policy = policy_for(request)
    top = policy.versions(on=today()).order_by("depth", "name").first()
    if top is None:
        if policy.member_id:
            return redirect("members:detail", policy.member_id)
        raise Http404
    return redirect("orgs:detail", top.org_id)


@login_required
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    on, date_error = as_of(request)
    version = policy.version_or_404(org_id, on=on)
    total, children = selectors.children_with_counts(policy=policy, version=version, on=on)
    chain = selectors.ancestors(version, on=on)
    visible_ancestors = set(policy.versions(on=on).filter(org_id__in=[a.org_id for a in chain]).values_list("org_id", flat=True))
    context: dict[str, Any] = {
        "version": version,
        "on": on,
        "is_today": on == today(),
        "date_error": date_error,
        "crumbs": [(a, a.org_id in visible_ancestors) for a in chain],
        "total": total,
        "children": children,
        "statuses": Status,
        "can_reorganise": policy.can(Action.REORGANISE, org_id=org_id),
        "can_edit_members": policy.can(Action.EDIT_MEMBER, org_id=org_id),
        "can_view_members": policy.can(Action.VIEW_MEMBER, org_id=org_id) or policy.is_admin,
    }
    if version.kind in CELL_KINDS:
        page = Paginator(member_selectors.cell_members(version=version, on=on), 100).get_page(request.GET.get("page"))
        members = list(page.object_list)
        context["page"] = page
        context["members"] = members
        context["leadership"] = member_selectors.cell_leadership(members=members) if page.number == 1 else None
    template = "orgs/_children.html" if request.headers.get("HX-Request") and request.GET.get("fragment") == "children" else "orgs/detail.html"
    return render(request, template, context)


@login_required
def org_history(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    current = policy.versions(on=today()).filter(org_id=org_id).first()
    # A dissolved organisation's history stays readable by whoever could see it on its last day.
    last = current or OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from").first()
    if last is None or not policy.versions(on=last.valid_from).filter(pk=last.pk).exists():
        raise Http404
    versions = list(OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from"))
    parents = {v.org_id: v for v in OrgVersion.objects.filter(org_id__in={v.parent_id for v in versions if v.parent_id}).order_by("valid_from")}
    events = member_selectors.audit_for(object_type="orgs.organisation", object_id=org_id)
    return render(request, "orgs/history.html", {"version": last, "versions": versions, "parents": parents, "events": events})


def _reorg_version(request: HttpRequest, org_id: int) -> OrgVersion:
    return policy_for(request).version_or_404(org_id, on=today(), action=Action.REORGANISE)


def _choices() -> dict[str, Any]:
    return {"kinds": OrgKind.choices, "sectors": Sector.choices, "admin_units": AdminUnit.choices, "area_kinds": AreaKind.choices}


@login_required
def org_create_child(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = _reorg_version(request, org_id)
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            org = services.org_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                parent=parent.org,
                on=on,
                sector=request.POST.get("sector", Sector.OTHER),
                admin_unit=request.POST.get("admin_unit", ""),
                area_kind=request.POST.get("area_kind", ""),
                area_name=request.POST.get("area_name", ""),
            )
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã thành lập tổ chức mới."))
            return redirect("orgs:detail", org.pk)
    return render(request, "orgs/form_create.html", {"version": parent, "error": error, "data": request.POST, **_choices()}, status=400 if error else 200)


@login_required
def org_change_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    error = ""
    if request.method == "POST":
        changes = {k: request.POST.get(k, "") for k in ("name", "kind", "sector", "admin_unit", "area_kind", "area_name")}
        changes = {k: v for k, v in changes.items() if v != getattr(version, k)}
        try:
            on = parse_required_date(request.POST.get("on"))
            if not changes:
                raise ChiboError(_("Chưa có thay đổi nào."))
            services.org_change(actor=request.user, org=version.org, on=on, **changes)
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("orgs:detail", org_id)
    return render(request, "orgs/form_change.html", {"version": version, "error": error, "data": request.POST or None, **_choices()}, status=400 if error else 200)


def _target(request: HttpRequest, field: str) -> Organisation:
    """An organisation chosen in a form, which must also be within the user's reorganisation scope."""
    raw = request.POST.get(field, "")
    if not raw.isdigit():
        raise ChiboError(_("Hãy chọn tổ chức."), field=field)
    version = policy_for(request).versions(on=today(), action=Action.REORGANISE).filter(org_id=int(raw)).select_related("org").first()
    if version is None:
        raise ChiboError(_("Tổ chức đã chọn không có hoặc không thuộc phạm vi của bạn."), field=field)
    return version.org


def _candidates(request: HttpRequest, *, exclude_path: str = "", cells: bool | None = None) -> list[OrgVersion]:
    qs = policy_for(request).versions(on=today(), action=Action.REORGANISE)
    if exclude_path:
        qs = qs.exclude(path__startswith=exclude_path)
    if cells is True:
        qs = qs.filter(kind__in=CELL_KINDS)
    elif cells is False:
        qs = qs.exclude(kind__in=CELL_KINDS)
    return list(qs.order_by("path")[:2000])


@login_required
def org_move_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            services.org_move(actor=request.user, org=version.org, new_parent=_target(request, "parent"), on=on)
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã chuyển tổ chức."))
            return redirect("orgs:detail", org_id)
    return render(request, "orgs/form_move.html", {"version": version, "error": error, "data": request.POST, "candidates": _candidates(request, exclude_path=version.path, cells=False)}, status=400 if error else 200)


@login_required
def org_merge_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    error = ""
    siblings = [v for v in _candidates(request) if v.parent_id == version.parent_id and v.org_id != org_id and v.kind == version.kind]
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            others = [int(x) for x in request.POST.getlist("others") if x.isdigit()]
            allowed = {v.org_id: v.org for v in siblings}
            if not others or any(o not in allowed for o in others):
                raise ChiboError(_("Hãy chọn ít nhất một tổ chức cùng cấp để hợp nhất."), field="others")
            target = services.org_merge(actor=request.user, sources=[version.org] + [allowed[o] for o in others], on=on, name=request.POST.get("name", ""))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã hợp nhất tổ chức."))
            return redirect("orgs:detail", target.pk)
    return render(request, "orgs/form_merge.html", {"version": version, "error": error, "data": request.POST, "siblings": siblings}, status=400 if error else 200)


@login_required
def org_split_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    on_today = today()
    members = list(member_selectors.cell_members(version=version, on=on_today)) if version.kind in CELL_KINDS else []
    children = list(OrgVersion.objects.filter(parent_id=org_id, valid_to__gt=on_today, valid_from__lte=on_today).order_by("name"))
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            member_ids = [int(x) for x in request.POST.getlist("member_ids") if x.isdigit()]
            child_ids = [int(x) for x in request.POST.getlist("child_ids") if x.isdigit()]
            if not member_ids and not child_ids:
                raise ChiboError(_("Hãy chọn đảng viên hoặc tổ chức chuyển sang tổ chức mới."))
            created = services.org_split(
                actor=request.user,
                source=version.org,
                on=on,
                parts=[{"name": request.POST.get("name", ""), "member_ids": member_ids, "child_ids": child_ids, "area_name": request.POST.get("area_name", "")}],
            )
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã chia tách tổ chức."))
            return redirect("orgs:detail", created[0].pk)
    return render(request, "orgs/form_split.html", {"version": version, "error": error, "data": request.POST, "members": members, "children": children}, status=400 if error else 200)


@login_required
def org_dissolve_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    error = ""
    if request.method == "POST":
        try:
            on = parse_required_date(request.POST.get("on"))
            services.org_dissolve(actor=request.user, org=version.org, on=on)
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã giải thể tổ chức."))
            return redirect("orgs:detail", version.parent_id) if version.parent_id else redirect("core:home")
    return render(request, "orgs/form_dissolve.html", {"version": version, "error": error, "data": request.POST}, status=400 if error else 200)
