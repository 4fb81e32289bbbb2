"""Who reaches what in residence contact. Everything goes through the one policy
(chibo.core.access); out of scope answers 404 like missing.

- The commune's side (the committee that recorded a registration): EDIT_MEMBER on it registers,
  transfers and ends registrations.
- The residence cell's side: EDIT_MEMBER on the residence cell (its secretary, the committees above)
  lists its registered members, records contact meetings and the yearly comments.
- The work side: VIEW_MEMBER on the cell holding the member's record reads the registration and its
  comments (the member's page, "comments received").

The narrow rule (:func:`registration_or_404`): a registration opens the registered member's **name
and work cell** to the residence cell's side, and nothing more: their record (members:detail) stays
behind the policy's VIEW_MEMBER, which only the work side holds.
"""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.residence import selectors as sel
from chibo.residence.models import Registration


def residence_cell_or_404(policy: Policy, org_id: int) -> OrgVersion:
    """A residential cell (today) that the user manages (EDIT_MEMBER)."""
    version = policy.version_or_404(org_id, action=Action.EDIT_MEMBER)
    if not sel.is_residence_cell(version):
        raise Http404
    return version


def committee_or_404(policy: Policy, org_id: int) -> OrgVersion:
    """A committee (not a cell) whose staff register members at the residence cells under it."""
    version = policy.version_or_404(org_id, action=Action.EDIT_MEMBER)
    if version.kind in CELL_KINDS:
        raise Http404
    return version


def side(policy: Policy, registration: Registration) -> set[str]:
    """The sides the user acts on for this registration: "commune", "residence", "work"."""
    on = today()
    sides = set()
    if policy.can(Action.EDIT_MEMBER, org_id=registration.registering_org_id, on=on):
        sides.add("commune")
    if policy.can(Action.EDIT_MEMBER, org_id=registration.residence_org_id, on=on):
        sides.add("residence")
    work = sel.work_cell_on(registration.member_id, on)
    if work is not None and policy.allows(Action.VIEW_MEMBER, org_id=work.org_id, path=work.path):
        sides.add("work")
    return sides


def registration_or_404(policy: Policy, registration_id: int, *, sides: frozenset[str] = frozenset({"commune", "residence", "work"})) -> tuple[Registration, set[str]]:
    registration = Registration.objects.filter(pk=registration_id).select_related("member").first()
    if registration is None:
        raise Http404
    found = side(policy, registration)
    if not found & sides:
        raise Http404
    return registration, found
