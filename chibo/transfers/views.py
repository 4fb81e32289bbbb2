"""Transfer pages. A transfer is reached through its two organisations (transfers.access): reading
needs VIEW_MEMBER on either side; each step needs EDIT_MEMBER on the side that takes it. Out of
scope answers 404 like missing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import run_service, status_for
from chibo.core.models import OPEN
from chibo.members.forms import MemberForm
from chibo.members.models import Membership
from chibo.orgs.models import OrgVersion
from chibo.transfers import selectors as sel
from chibo.transfers import services
from chibo.transfers.access import sides, transfer_or_404
from chibo.transfers.forms import CancelForm, IncomingForm, StartForm, StepForm
from chibo.transfers.models import (
    STEP_ADMIT,
    STEP_LEFT,
    STEP_LETTER,
    STEP_PRESENT,
    STEP_RECEIVE,
    STEP_RETURN,
    State,
    Transfer,
    next_step,
)

STEP_LABELS = {
    STEP_LETTER: gettext_lazy("Giới thiệu chuyển sinh hoạt (bên chuyển đi)"),
    STEP_PRESENT: gettext_lazy("Đảng viên nộp giấy giới thiệu (bên tiếp nhận)"),
    STEP_RECEIVE: gettext_lazy("Tiếp nhận đảng viên (bên tiếp nhận)"),
    STEP_LEFT: gettext_lazy("Ghi nhận đảng viên đã chuyển đi (bên chuyển đi)"),
    STEP_ADMIT: gettext_lazy("Nhập hồ sơ và tiếp nhận đảng viên (bên tiếp nhận)"),
    STEP_RETURN: gettext_lazy("Trở về sinh hoạt ở chi bộ (bên chuyển đi)"),
}


@require_safe
@login_required
def org_page(request: HttpRequest, org_id: int) -> HttpResponse:
    """Incoming and outgoing transfers of the organisation's subtree, open ones first (paginated)."""
    policy = policy_for(request)
    version = policy.version_or_404(org_id, action=Action.VIEW_MEMBER)
    on = today()
    incoming = Paginator(sel.org_transfers(version=version, direction="in", on=on), sel.PAGE_SIZE).get_page(request.GET.get("pin"))
    outgoing = Paginator(sel.org_transfers(version=version, direction="out", on=on), sel.PAGE_SIZE).get_page(request.GET.get("pout"))
    context = {"version": version, "incoming": incoming, "outgoing": outgoing, "can_edit": policy.can(Action.EDIT_MEMBER, org_id=org_id), "today": on}
    return render(request, "transfers/org.html", context)


def _tree_root(org_id: int) -> int:
    version = OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN).first()
    return int(version.path.strip("/").split("/")[0]) if version else org_id


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request: HttpRequest, member_id: int) -> HttpResponse:
    """A new transfer of a member, by the sending side; the destination may be any cell of chibo."""
    policy = policy_for(request)
    member = policy.member_or_404(member_id, Action.EDIT_MEMBER)
    current = Membership.objects.filter(member=member, valid_to=OPEN).first()
    root = _tree_root(current.org_id) if current else 0
    form = StartForm(request.POST or None, root_org_id=root, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_org = OrgVersion.objects.filter(org_id=data["to_org"]).select_related("org").first() if data["to_org"] else None
        transfer = run_service(form, lambda: services.transfer_start(
            actor=request.user, member=member, kind=data["kind"], on=data["on"], to_org=to_org.org if to_org else None,
            to_text=data["to_text"], ends_on=data["ends_on"], for_study=data["for_study"], letter_number=data["letter_number"], note=data["note"],
        ))  # fmt: skip
        if transfer is not None:
            messages.success(request, _("Đã ghi việc chuyển sinh hoạt."))
            return redirect("transfers:detail", transfer.pk)
    return render(request, "transfers/form.html", {"member": member, "form": form, "title": _("Chuyển sinh hoạt đảng")}, status=status_for(form))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def incoming_create(request: HttpRequest, org_id: int) -> HttpResponse:
    """A member from outside chibo presents the introduction letter at a cell of the organisation."""
    policy = policy_for(request)
    version = policy.version_or_404(org_id, action=Action.EDIT_MEMBER)
    form = IncomingForm(request.POST or None, root_org_id=version.org_id, initial={"presented_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cell = OrgVersion.objects.filter(org_id=data["to_org"]).select_related("org").first()
        transfer = cell and run_service(form, lambda: services.transfer_record_incoming(
            actor=request.user, to_org=cell.org, person_name=data["person_name"], from_text=data["from_text"],
            letter_number=data["letter_number"], letter_on=data["letter_on"], presented_on=data["presented_on"], note=data["note"],
        ))  # fmt: skip
        if transfer:
            messages.success(request, _("Đã ghi đảng viên chuyển đến."))
            return redirect("transfers:detail", transfer.pk)
    return render(request, "transfers/form.html", {"version": version, "form": form, "title": _("Đảng viên chuyển đến từ ngoài hệ thống")}, status=status_for(form))


def _detail_context(request: HttpRequest, transfer: Transfer, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    sending, receiving = sides(policy, transfer, Action.EDIT_MEMBER)
    on = today()
    step = next_step(transfer)
    may_step = bool(step and ((step[1] == "from" and sending) or (step[1] == "to" and receiving)))
    context: dict[str, Any] = {
        "transfer": transfer, "from_name": sel.name_of(transfer, "from", on=on), "to_name": sel.name_of(transfer, "to", on=on),
        "events": sel.timeline(transfer), "step": step[0] if step else "", "step_label": STEP_LABELS.get(step[0], "") if step else "",
        "step_side": step[1] if step else "", "may_step": may_step,
        "may_cancel": (sending or receiving) and transfer.state in (State.DECIDED, State.IN_TRANSIT, State.PRESENTED),
        "member_visible": transfer.member_id is not None and (
            policy.members(Action.VIEW_MEMBER).filter(pk=transfer.member_id).exists() or (receiving and transfer.in_transit)
        ),
        "today": on,
    }  # fmt: skip
    if may_step and step and step[0] != STEP_ADMIT:
        context["step_form"] = StepForm(step=step[0], initial={"on": on})
    if context["may_cancel"]:
        context["cancel_form"] = CancelForm(initial={"on": on}, auto_id="cancel_%s")
    context.update(extra)
    return context


@require_safe
@login_required
def detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_or_404(policy_for(request), transfer_id)
    return render(request, "transfers/detail.html", _detail_context(request, transfer))


@require_POST
@login_required
def step(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The transfer's next step, taken by the side it belongs to (the other side gets the reason)."""
    policy = policy_for(request)
    transfer = transfer_or_404(policy, transfer_id)
    found = next_step(transfer)
    name = found[0] if found else STEP_RECEIVE
    form = StepForm(request.POST, step=name)
    context = _detail_context(request, transfer, step_form=form)
    if found is None or name == STEP_ADMIT:
        form.add_error(None, _("Việc chuyển sinh hoạt này không còn bước nào để ghi ở đây."))
    elif not context["may_step"]:
        form.add_error(None, _("Bước này do bên %(side)s thực hiện.") % {"side": _("chuyển đi") if found[1] == "from" else _("tiếp nhận")})
    elif form.is_valid():
        data = form.cleaned_data
        calls = {
            STEP_LETTER: lambda: services.transfer_issue_letter(actor=request.user, transfer=transfer, on=data["on"], letter_number=data["letter_number"], note=data["note"]),
            STEP_PRESENT: lambda: services.transfer_present(actor=request.user, transfer=transfer, on=data["on"], note=data["note"]),
            STEP_RECEIVE: lambda: services.transfer_receive(actor=request.user, transfer=transfer, on=data["on"], note=data["note"]),
            STEP_LEFT: lambda: services.transfer_receive(actor=request.user, transfer=transfer, on=data["on"], note=data["note"]),
            STEP_RETURN: lambda: services.transfer_return(actor=request.user, transfer=transfer, on=data["on"], note=data["note"]),
        }
        if run_service(form, calls[name]) is not None:
            messages.success(request, _("Đã ghi: %(step)s.") % {"step": STEP_LABELS[name]})
            return redirect("transfers:detail", transfer.pk)
    return render(request, "transfers/detail.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def admit(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """A member from outside chibo is received: the receiving side types the member's record."""
    policy = policy_for(request)
    transfer = transfer_or_404(policy, transfer_id, Action.EDIT_MEMBER)
    found = next_step(transfer)
    if found is None or found[0] != STEP_ADMIT or not sides(policy, transfer, Action.EDIT_MEMBER)[1]:
        messages.error(request, _("Việc chuyển sinh hoạt này không cần nhập hồ sơ."))
        return redirect("transfers:detail", transfer.pk)
    form = MemberForm(request.POST or None, creating=True, initial={"joined_on": today()})
    form.fields["joined_on"].required = True
    form.fields["joined_on"].label = _("Ngày tiếp nhận")
    if request.method == "POST" and form.is_valid():
        done = run_service(form, lambda: services.transfer_receive_incoming(actor=request.user, transfer=transfer, on=form.cleaned_data["joined_on"], profile=form.profile()))
        if done is not None:
            messages.success(request, _("Đã tiếp nhận đảng viên."))
            return redirect("transfers:detail", transfer.pk)
    return render(request, "transfers/form.html", {"form": form, "transfer": transfer, "title": _("Tiếp nhận đảng viên chuyển đến")}, status=status_for(form))


@require_POST
@login_required
def cancel(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_or_404(policy_for(request), transfer_id)
    form = CancelForm(request.POST, auto_id="cancel_%s")
    context = _detail_context(request, transfer, cancel_form=form)
    if not context["may_cancel"]:
        form.add_error(None, _("Không hủy được việc chuyển sinh hoạt này."))
    elif form.is_valid() and run_service(form, lambda: services.transfer_cancel(actor=request.user, transfer=transfer, **form.cleaned_data)) is not None:
        messages.success(request, _("Đã hủy việc chuyển sinh hoạt."))
        return redirect("transfers:detail", transfer.pk)
    return render(request, "transfers/detail.html", context, status=400)


app_name = "transfers"
urlpatterns = [
    path("org/<int:org_id>/", org_page, name="org"),
    path("org/<int:org_id>/incoming/", incoming_create, name="incoming_create"),
    path("member/<int:member_id>/new/", create, name="create"),
    path("<int:transfer_id>/", detail, name="detail"),
    path("<int:transfer_id>/step/", step, name="step"),
    path("<int:transfer_id>/admit/", admit, name="admit"),
    path("<int:transfer_id>/cancel/", cancel, name="cancel"),
]
