"""Who may see and act on a petition: the one access policy, plus the petition's own rules.

- Reading a petition: VIEW_ORG on the originating cell (its members, its secretary, staff above,
  admin), on today's tree. Anything else answers 404, exactly like a missing petition.
- The cell's own moves (send, read out, close, re-open): EDIT_MEMBER on the cell (the secretary or
  staff above), like every other write in the cell.
- The holding level's moves (answer, forward, return, close out of scope): the **people handling
  the petition**, users with a staff or secretary grant on exactly the holding organisation (not
  its subtree: a province officer does not answer for a commune), and admin. When the holder is an
  authority outside the Party, the cell relays its answer: EDIT_MEMBER on the cell.
- The resident's identity (:func:`can_see_resident`): the raiser, users with a secretary grant on
  the cell itself, the handling people of every organisation that has held the petition, and admin.
  Views, exports and the API all ask this one function.
"""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.petitions.models import Petition, PetitionEvent

HANDLER_ROLES = ("staff", "secretary")


def handled_org_ids(policy: Policy) -> set[int]:
    """Organisations whose petitions the user handles: exact staff or secretary grants."""
    return {org_id for role, org_id in policy._grants if role in HANDLER_ROLES and org_id is not None}


def handles(policy: Policy, org_id: int | None) -> bool:
    if org_id is None:
        return False
    return policy.is_admin or org_id in handled_org_ids(policy)


def petition_or_404(policy: Policy, petition_id: int) -> Petition:
    petition = Petition.objects.filter(pk=petition_id).select_related("org", "holder", "meeting", "raised_by").first()
    if petition is None or not policy.can(Action.VIEW_ORG, org_id=petition.org_id, on=today()):
        raise Http404
    return petition


def can_manage_cell(policy: Policy, petition: Petition) -> bool:
    return policy.can(Action.EDIT_MEMBER, org_id=petition.org_id, on=today())


def can_handle(policy: Policy, petition: Petition) -> bool:
    """Whether the user may answer, forward, return or close the petition where it is now."""
    if not petition.is_held:
        return False
    if petition.holder_id is None:  # an outside authority: the cell records what it answered
        return can_manage_cell(policy, petition)
    return handles(policy, petition.holder_id)


def handler_or_404(policy: Policy, petition_id: int) -> Petition:
    petition = petition_or_404(policy, petition_id)
    if not can_handle(policy, petition):
        raise Http404
    return petition


def cell_manager_or_404(policy: Policy, petition_id: int) -> Petition:
    petition = petition_or_404(policy, petition_id)
    if not can_manage_cell(policy, petition):
        raise Http404
    return petition


def can_see_resident(policy: Policy, petition: Petition) -> bool:
    """The one rule for the resident's name, phone and address (see the module docstring)."""
    user = policy.user
    if not getattr(user, "is_authenticated", False):
        return False
    if policy.is_admin or (petition.created_by_id is not None and petition.created_by_id == user.pk):
        return True
    if any(role == "secretary" and org_id == petition.org_id for role, org_id in policy._grants):
        return True
    mine = handled_org_ids(policy)
    if not mine:
        return False
    if petition.holder_id in mine:
        return True
    return PetitionEvent.objects.filter(petition=petition, to_holder_id__in=mine).exists()


RESIDENT_FIELDS = ("resident_name", "resident_phone", "resident_address")


def resident_identity(policy: Policy, petition: Petition) -> dict[str, str] | None:
    """The identity for display or export, or None when hidden (or none was recorded)."""
    if not any(getattr(petition, f) for f in RESIDENT_FIELDS) or not can_see_resident(policy, petition):
        return None
    return {f: getattr(petition, f) for f in RESIDENT_FIELDS}
