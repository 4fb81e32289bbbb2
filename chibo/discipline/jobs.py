"""Daily jobs of discipline (run by the scheduler on the job queue; see the common DAILY convention)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from chibo.discipline import grounds, services
from chibo.discipline.selectors import active_members


def flag_grounds(*, today: dt.date) -> int:
    """Raise a flag for each member with CHIBO_REMOVAL_MONTHS distinct months or more of a ground of
    removal this year (grounds.PROVIDERS: unexcused absences from regular meetings; unpaid dues),
    or bring an open flag's months up to date. Exempted and temporarily transferred members are not
    flagged. Idempotent (one flag a member, year and ground: a unique constraint); returns the flags
    raised or changed."""
    members = active_members()
    if not members:
        return 0
    need = int(settings.CHIBO_REMOVAL_MONTHS)
    changed = 0
    with transaction.atomic():
        for provider in grounds.active_providers():
            found = provider.months(member_ids=sorted(members), year=today.year, until=today)
            for member_id, months in sorted(found.items()):
                if member_id not in members or len(months) < need:
                    continue
                flag = services.flag_raise(
                    member_id=member_id, cell_id=members[member_id], year=today.year, ground=provider.ground,
                    months=[m.isoformat() for m in sorted(months)], evidence=grounds.evidence(months), on=today,
                )  # fmt: skip
                changed += flag is not None
    return changed


DAILY = [flag_grounds]
