"""Probation pages: a cell's probationers, a member's probation (timeline, the cell's vote, the
superior's decision), a committee's pipeline over its subtree. Out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.forms import run_service
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.probation import rules, services
from chibo.probation import selectors as sel
from chibo.probation.access import can_decide, can_vote, decider_or_404
from chibo.probation.forms import RECOGNISED, DecisionForm, VoteForm
from chibo.probation.models import AWAITING_DECISION, CaseState, ProbationCase


@require_safe
@login_required
def cell(request: HttpRequest, org_id: int) -> HttpResponse:
    """The cell's probationary members with their end date and next step."""
    version = policy_for(request).version_or_404(org_id, action=Action.VIEW_MEMBER)
    if version.kind not in CELL_KINDS:
        return redirect("probation:pipeline", org_id)
    rows = sel.cell_probationers(org_id=org_id, today=today())
    return render(request, "probation/cell.html", {"version": version, "rows": rows, "today": today()})


@require_safe
@login_required
def pipeline(request: HttpRequest, org_id: int) -> HttpResponse:
    """A committee's subtree: due for a vote, voted awaiting the decision, overdue, escalated; one row a child."""
    version = policy_for(request).version_or_404(org_id, action=Action.VIEW_MEMBER)
    if version.kind in CELL_KINDS:
        return redirect("probation:cell", org_id)
    show = request.GET.get("show", "")
    show = show if show in sel.GROUPS else ""
    found = sel.pipeline(version=version, today=today(), show=show)
    page = Paginator(found.rows, sel.PAGE).get_page(request.GET.get("page"))
    return render(request, "probation/pipeline.html", {
        "version": version, "pipeline": found, "groups": sel.GROUPS, "show": show, "page": page,
    })  # fmt: skip


def _member_context(request: HttpRequest, member: Member, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    on = today()
    case = ProbationCase.objects.filter(member=member).select_related("decided_by").first()
    votes = list(case.votes.all()) if case else []
    status = services.current_status(member)
    cell_id = services.cell_on(member, on)
    cell = OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=on, valid_to__gt=on).first() if cell_id else None
    end = rules.probation_end(member.admitted_on)
    probationary = status == "probationary"
    step = deadline = overdue = None
    if probationary:
        step, deadline, overdue = sel.classify(admitted_on=member.admitted_on, case=case, today=on)
    context: dict[str, Any] = {
        "member": member, "case": case, "votes": votes, "cell": cell, "end": end, "probationary": probationary,
        "step": sel.STEPS.get(step or "", ""), "deadline": deadline, "overdue": overdue,
        "vote_deadline": rules.vote_deadline(end), "timeline": sel.member_timeline(member=member, case=case, votes=votes, today=on),
        "decided_by": OrgVersion.objects.filter(org_id=case.decided_by_id, valid_from__lte=case.decided_on, valid_to__gt=case.decided_on).first()
        if case and case.decided_by_id and case.decided_on else None,
    }  # fmt: skip
    open_case = case is None or case.state == CaseState.PENDING
    if probationary and open_case and on >= end and can_vote(policy, member):
        context["vote_form"] = VoteForm(initial={"held_on": on})
    if probationary and case is not None and case.state in AWAITING_DECISION and can_decide(policy, member):
        context["decision_form"] = DecisionForm(initial={"decided_on": on, "official_on": end, "outcome": RECOGNISED})
    context.update(extra)
    return context


@require_safe
@login_required
def member(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.VIEW_MEMBER)
    return render(request, "probation/member.html", _member_context(request, found))


@require_POST
@login_required
def vote(request: HttpRequest, member_id: int) -> HttpResponse:
    found = policy_for(request).member_or_404(member_id, Action.EDIT_MEMBER)
    form = VoteForm(request.POST)
    if form.is_valid():
        done = run_service(form, lambda: services.vote_record(actor=request.user, member=found, **form.cleaned_data))
        if done is not None:
            messages.success(request, _("Đã ghi kết quả biểu quyết: đạt.") if done.passed else _("Đã ghi kết quả biểu quyết: không đạt."))
            return redirect("probation:member", found.pk)
    return render(request, "probation/member.html", _member_context(request, found, vote_form=form), status=400)


@require_POST
@login_required
def decide(request: HttpRequest, member_id: int) -> HttpResponse:
    found = decider_or_404(policy_for(request), member_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(form, lambda: services.decide(
            actor=request.user, member=found, decided_on=d["decided_on"], recognised=d["outcome"] == RECOGNISED, number=d["number"],
            official_on=d["official_on"], reason=d["reason"],
        ))  # fmt: skip
        if done is not None:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect("probation:member", found.pk)
    return render(request, "probation/member.html", _member_context(request, found, decision_form=form), status=400)


app_name = "probation"
urlpatterns = [
    path("cell/<int:org_id>/", cell, name="cell"),
    path("org/<int:org_id>/", pipeline, name="pipeline"),
    path("member/<int:member_id>/", member, name="member"),
    path("member/<int:member_id>/vote/", vote, name="vote"),
    path("member/<int:member_id>/decide/", decide, name="decide"),
]
