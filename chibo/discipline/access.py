"""Discipline records are reached through the cell they belong to: reading needs VIEW_MEMBER there
(the secretary and the committees above; a member reads their own record on their page only),
writing EDIT_MEMBER. A removal is decided by a committee above the cell: EDIT_MEMBER on the cell's
parent. Out of scope answers 404 like missing."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model
from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.orgs.models import OrgVersion

T = TypeVar("T", bound=Model)


def in_cell_or_404(policy: Policy, model: type[T], pk: int, action: Action = Action.VIEW_MEMBER) -> T:
    found = model._default_manager.filter(pk=pk).select_related("member").first()
    if found is None or not policy.can(action, org_id=found.cell_id, on=today()):  # type: ignore[attr-defined]
        raise Http404
    return found


def parent_of(cell_id: int) -> OrgVersion | None:
    version = OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=today(), valid_to__gt=today()).first()
    if version is None or version.parent_id is None:
        return None
    return OrgVersion.objects.filter(org_id=version.parent_id, valid_from__lte=today(), valid_to__gt=today()).select_related("org").first()


def can_decide(policy: Policy, cell_id: int) -> OrgVersion | None:
    """The committee above the cell when the user may decide for it (staff of it or above, admin)."""
    parent = parent_of(cell_id)
    if parent is None or not policy.can(Action.EDIT_MEMBER, org_id=parent.org_id, on=today()):
        return None
    return parent
