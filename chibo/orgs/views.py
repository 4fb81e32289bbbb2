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
from chibo.core.viewutils import as_of
from chibo.members import selectors as member_selectors
from chibo.members.models import Status
from chibo.orgs import selectors, services
from chibo.orgs.forms import (
    OnlyDateForm,
    OrgChangeForm,
    OrgCreateForm,
    OrgMergeForm,
    OrgMoveForm,
    OrgSplitForm,
)
from chibo.orgs.models import CELL_KINDS, OrgVersion, Sector


@require_safe
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


@require_safe
@login_required
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    on, date_error = as_of(request)
    version = policy.versions(on=on).filter(org_id=org_id).select_related("org").first()
    if version is None:
        # In scope today but absent on that day (before the tree, or before the organisation
        # existed): say there is no data, not "not yours". Out of scope today: 404 as always.
        current = policy.version_or_404(org_id, on=today())
        return render(request, "orgs/no_data.html", {"version": current, "on": on, "is_today": False})
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
        context["leadership"] = member_selectors.cell_leadership(members=members, version=version) if page.number == 1 else None
        official = (
            member_selectors.official_among(members, on=on)
            if page.paginator.num_pages == 1
            else member_selectors.official_member_count(org_id=version.org_id, on=on)
        )
        context["official_count"] = official
        context["below_official_minimum"] = official < settings.CHIBO_CELL_MIN_OFFICIAL
        context["official_minimum"] = settings.CHIBO_CELL_MIN_OFFICIAL
    else:
        context["cells_below_minimum"] = selectors.cells_below_official_minimum(version=version, on=on)
        context["official_minimum"] = settings.CHIBO_CELL_MIN_OFFICIAL
    template = "orgs/_children.html" if request.headers.get("HX-Request") and request.GET.get("fragment") == "children" else "orgs/detail.html"
    return render(request, template, context)


@require_safe
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


def _form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=status_for(form))


@login_required
def org_create_child(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = _reorg_version(request, org_id)
    form = OrgCreateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        org = run_service(form, lambda: services.org_create(
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            parent=parent.org,
            on=data["on"],
            sector=data["sector"] or Sector.OTHER,
            admin_unit=data["admin_unit"],
            area_kind=data["area_kind"],
            area_name=data["area_name"],
        ))
        if org is not None:
            messages.success(request, _("Đã thành lập tổ chức mới."))
            return redirect("orgs:detail", org.pk)
    return _form_page(request, "orgs/form_create.html", form, version=parent)


@login_required
def org_change_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    form = OrgChangeForm(request.POST or None, version=version)
    if form.is_valid():
        changes = form.changes()
        if run_service(form, lambda: services.org_change(actor=request.user, org=version.org, on=form.cleaned_data["on"], **changes)):
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("orgs:detail", org_id)
    return _form_page(request, "orgs/form_change.html", form, version=version)


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
    form = OrgMoveForm(request.POST or None, candidates=_candidates(request, exclude_path=version.path, cells=False))
    if form.is_valid():
        target = form.by_id[form.cleaned_data["parent"]]
        if run_service(form, lambda: services.org_move(actor=request.user, org=version.org, new_parent=target.org, on=form.cleaned_data["on"])):
            messages.success(request, _("Đã chuyển tổ chức."))
            return redirect("orgs:detail", org_id)
    return _form_page(request, "orgs/form_move.html", form, version=version)


@login_required
def org_merge_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    siblings = [v for v in _candidates(request) if v.parent_id == version.parent_id and v.org_id != org_id and v.kind == version.kind]
    form = OrgMergeForm(request.POST or None, siblings=siblings)
    if form.is_valid():
        data = form.cleaned_data
        sources = [version.org] + [form.by_id[o].org for o in data["others"]]
        target = run_service(form, lambda: services.org_merge(actor=request.user, sources=sources, on=data["on"], name=data["name"]))
        if target is not None:
            messages.success(request, _("Đã hợp nhất tổ chức."))
            return redirect("orgs:detail", target.pk)
    return _form_page(request, "orgs/form_merge.html", form, version=version, siblings=siblings)


@login_required
def org_split_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    on_today = today()
    members = list(member_selectors.cell_members(version=version, on=on_today)) if version.kind in CELL_KINDS else []
    children = list(OrgVersion.objects.filter(parent_id=org_id, valid_to__gt=on_today, valid_from__lte=on_today).order_by("name"))
    form = OrgSplitForm(request.POST or None, version=version, members=members, children=children)
    if form.is_valid():
        data = form.cleaned_data
        part = {"name": data["name"], "member_ids": data.get("member_ids") or [], "child_ids": data.get("child_ids") or [], "area_name": data.get("area_name", "")}
        created = run_service(form, lambda: services.org_split(actor=request.user, source=version.org, on=data["on"], parts=[part]))
        if created:
            messages.success(request, _("Đã chia tách tổ chức."))
            return redirect("orgs:detail", created[0].pk)
    return _form_page(request, "orgs/form_split.html", form, version=version)


@login_required
def org_dissolve_view(request: HttpRequest, org_id: int) -> HttpResponse:
    version = _reorg_version(request, org_id)
    form = OnlyDateForm(request.POST or None)
    if form.is_valid():
        done = run_service(form, lambda: services.org_dissolve(actor=request.user, org=version.org, on=form.cleaned_data["on"]) or True)
        if done is not None:
            messages.success(request, _("Đã giải thể tổ chức."))
            return redirect("orgs:detail", version.parent_id) if version.parent_id else redirect("core:home")
    return _form_page(request, "orgs/form_dissolve.html", form, version=version)
