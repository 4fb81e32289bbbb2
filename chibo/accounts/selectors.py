"""Who holds which grant: the people a job or a service tells about an organisation's business."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from chibo.accounts.models import Grant, User


def grant_holders(*, org_ids: Iterable[int | None], roles: Iterable[str]) -> dict[int, list[User]]:
    """Organisation id → the active users holding one of ``roles`` on exactly that organisation (one
    query; a user holding two of the roles there appears once)."""
    ids = {i for i in org_ids if i}
    out: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return out
    seen: set[tuple[int, int]] = set()
    grants = Grant.objects.filter(role__in=list(roles), org_id__in=ids, user__is_active=True).select_related("user").order_by("user_id")
    for grant in grants:
        assert grant.org_id is not None
        if (grant.org_id, grant.user_id) not in seen:
            seen.add((grant.org_id, grant.user_id))
            out[grant.org_id].append(grant.user)
    return out


def users_with_grant(*, org_ids: Iterable[int | None], roles: Iterable[str]) -> list[User]:
    """The active users holding one of ``roles`` on any of ``org_ids``, each once, by id."""
    users = {u.pk: u for found in grant_holders(org_ids=org_ids, roles=roles).values() for u in found}
    return [users[pk] for pk in sorted(users)]
