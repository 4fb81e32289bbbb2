"""Inspection plans are reached through their organisation; an item also through its target, so a
cell sees the inspections of itself in a committee's plan. Out of scope answers 404 like missing."""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan


def plan_or_404(policy: Policy, plan_id: int, action: Action = Action.VIEW_ORG) -> InspectionPlan:
    plan = InspectionPlan.objects.filter(pk=plan_id).first()
    if plan is None or not policy.can(action, org_id=plan.org_id, on=today()):
        raise Http404
    return plan


def item_or_404(policy: Policy, item_id: int, action: Action = Action.VIEW_ORG) -> InspectionItem:
    """Managing needs ``action`` on the plan's organisation; reading is also allowed through the target."""
    item = InspectionItem.objects.filter(pk=item_id).select_related("plan").first()
    if item is None:
        raise Http404
    if policy.can(action, org_id=item.plan.org_id, on=today()):
        return item
    if action is Action.VIEW_ORG and policy.can(action, org_id=item.target_org_id, on=today()):
        return item
    raise Http404


def follow_up_or_404(policy: Policy, follow_up_id: int) -> FollowUp:
    found = FollowUp.objects.filter(pk=follow_up_id).select_related("item__plan").first()
    if found is None or not policy.can(Action.EDIT_MEMBER, org_id=found.item.plan.org_id, on=today()):
        raise Http404
    return found
