"""The one access policy. Every read and write of party data asks it.

A grant is (role, organisation). Secretary and staff grants cover the organisation's whole subtree;
a member grant covers the member's own record and the member list of their own cell; an admin
grant covers everything. Objects outside the scope answer exactly like missing ones (Http404).
"""

from __future__ import annotations

import datetime as dt
import enum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chibo.core.models import OPEN
from chibo.core.rows import execute

if TYPE_CHECKING:
    from chibo.members.models import Member
    from chibo.orgs.models import OrgVersion


class Action(enum.Enum):
    VIEW_ORG = "view_org"  # see the organisation, its counts and its member list
    VIEW_MEMBER = "view_member"  # open a member's full record
    EDIT_MEMBER = "edit_member"  # add, edit, move members; change status and positions
    REORGANISE = "reorganise"  # create, rename, move, merge, split, dissolve organisations
    MANAGE_GRANTS = "manage_grants"


# Which roles allow which actions, and whether the grant covers the subtree or the organisation alone.
_ROLE_ACTIONS: dict[str, set[Action]] = {
    "member": {Action.VIEW_ORG},
    "secretary": {Action.VIEW_ORG, Action.VIEW_MEMBER, Action.EDIT_MEMBER},
    "staff": {Action.VIEW_ORG, Action.VIEW_MEMBER, Action.EDIT_MEMBER, Action.REORGANISE},
}
_SUBTREE_ROLES = {"secretary", "staff"}


GRANTS_SQL = "SELECT role, org_id FROM accounts_grant WHERE user_id = %s"


def today() -> dt.date:
    return timezone.localdate()


class Policy:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def _grants(self) -> list[tuple[str, int | None]]:
        if not getattr(self.user, "is_authenticated", False):
            return []
        return [(role, org_id) for role, org_id in execute(GRANTS_SQL, [self.user.pk], fetch="all")]  # on every request

    def needs_grants(self) -> bool:
        """True when the grants are still to be read: a hot path may read them with its own
        statements (``GRANTS_SQL`` with the user's id) and hand them over with :meth:`load_grants`."""
        return "_grants" not in self.__dict__ and bool(getattr(self.user, "is_authenticated", False))

    def load_grants(self, rows: list[tuple[str, int | None]]) -> None:
        self.__dict__["_grants"] = [(role, org_id) for role, org_id in rows]

    @cached_property
    def is_admin(self) -> bool:
        if not getattr(self.user, "is_authenticated", False):
            return False
        return bool(self.user.is_superuser) or any(role == "admin" for role, _ in self._grants)

    @property
    def member_id(self) -> int | None:
        return getattr(self.user, "member_id", None) if getattr(self.user, "is_authenticated", False) else None

    def roles(self) -> set[str]:
        return {role for role, _ in self._grants} | ({"admin"} if self.is_admin else set())

    def _org_q(self, action: Action, *, prefix: str = "") -> Q | None:
        """A filter on OrgVersion (through ``prefix``) for the organisations where ``action`` is allowed.

        None means everywhere. The paths of granted organisations are taken at the same date as
        the versions being filtered, so as-of queries use the tree of that date.
        """
        if self.is_admin:
            return None
        q = Q(pk__in=[])
        for role, org_id in self._grants:
            if action not in _ROLE_ACTIONS.get(role, set()) or org_id is None:
                continue
            if role in _SUBTREE_ROLES:
                q |= _subtree_q(prefix, org_id)
            else:
                q |= Q(**{f"{prefix}org_id": org_id})
        return q

    # Organisations -------------------------------------------------------------------------

    def versions(self, *, on: dt.date | None = None, action: Action = Action.VIEW_ORG) -> QuerySet[OrgVersion]:
        """Organisation versions valid on ``on`` where ``action`` is allowed."""
        from chibo.orgs.models import OrgVersion

        on = on or today()
        qs = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on)
        q = self._org_q(action)
        return qs if q is None else qs.filter(q)

    def version_or_404(self, org_id: int, *, on: dt.date | None = None, action: Action = Action.VIEW_ORG) -> OrgVersion:
        version = self.versions(on=on, action=action).filter(org_id=org_id).select_related("org").first()
        if version is None:
            raise Http404
        return version

    def can(self, action: Action, *, org_id: int, on: dt.date | None = None) -> bool:
        """Whether ``action`` is allowed on the organisation as it is on ``on`` (it must exist then).

        The same rule as :meth:`_org_q`, decided on the one version row instead of in SQL: it is
        asked on every check-in (tests/core/test_access_policy.py checks that both always agree).
        """
        if self.is_admin:
            return self._path_on(org_id, on or today()) is not None
        if not any(action in _ROLE_ACTIONS.get(role, set()) and org is not None for role, org in self._grants):
            return False
        path = self._path_on(org_id, on or today())
        return path is not None and self.allows(action, org_id=org_id, path=path)

    @staticmethod
    def _path_on(org_id: int, on: dt.date) -> str | None:
        row = execute("SELECT path FROM orgs_orgversion WHERE org_id = %s AND valid_from <= %s AND valid_to > %s", [org_id, on, on], fetch="one")
        return row[0] if row else None

    def allows(self, action: Action, *, org_id: int, path: str) -> bool:
        """The rule of :meth:`_org_q` for one organisation whose path (on the date asked) is ``path``.

        For callers that read the path with their own row (the version valid on the date asked).
        """
        from chibo.orgs.models import path_segment

        if self.is_admin:
            return True
        for role, granted in self._grants:
            if action not in _ROLE_ACTIONS.get(role, set()) or granted is None:
                continue
            if role in _SUBTREE_ROLES:
                if "/" + path_segment(granted) in path:
                    return True
            elif granted == org_id:
                return True
        return False

    # Members -------------------------------------------------------------------------------

    def members(self, action: Action = Action.VIEW_MEMBER) -> QuerySet[Member]:
        """Members whose current cell is in scope for ``action``; a member also sees themselves."""
        from chibo.members.models import Member

        qs = Member.objects.all()
        if self.is_admin:
            return qs
        q = self._member_q(action)
        if action is Action.VIEW_MEMBER and self.member_id:
            q |= Q(pk=self.member_id)
        return qs.filter(q)

    def _member_q(self, action: Action) -> Q:
        from chibo.orgs.models import OrgVersion

        org_q = self._org_q(action)
        if org_q is None:
            return Q()
        orgs = OrgVersion.objects.filter(valid_to=OPEN).filter(org_q).values("org_id")
        return Q(memberships__valid_to=OPEN, memberships__org_id__in=orgs)

    def member_or_404(self, member_id: int, action: Action = Action.VIEW_MEMBER) -> Member:
        member = self.members(action).filter(pk=member_id).first()
        if member is None:
            raise Http404
        return member


def _subtree_q(prefix: str, org_id: int) -> Q:
    """Versions whose path passes through ``org_id``: the node and its descendants, at the versions' date.

    Paths look like "/00000001/00000045/", so a node is in a path exactly when "/00000045/" is.
    The version table holds one row per node per change (thousands, not millions), so the
    unindexed substring match is cheap; member queries join it through a sub-select.
    """
    from chibo.orgs.models import path_segment

    return Q(**{f"{prefix}path__contains": "/" + path_segment(org_id)})


def policy_for(request: Any) -> Policy:
    policy = getattr(request, "policy", None)
    if policy is None or policy.user is not request.user:
        policy = Policy(request.user)
        request.policy = policy
    return policy
