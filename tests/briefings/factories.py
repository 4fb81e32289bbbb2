"""Briefings built through the services, for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.briefings import services
from chibo.briefings.models import Briefing, BriefingIssue, BriefingItem
from chibo.core.dates import today
from tests.factories import World


@dataclass
class BriefingScene:
    briefings: list[Briefing]
    briefing: Briefing
    item: BriefingItem
    issue: BriefingIssue


def briefing_scene(world: World, *, year: int | None = None) -> BriefingScene:
    """The commune's briefings of the year (planned), the first with an issue owned by the cell's secretary."""
    year = year or today().year
    staff = world.users["staff"]
    briefings = services.plan_year(actor=staff, committee=world.commune, year=year, days={})
    first = briefings[0]
    issue = services.issue_add(actor=staff, briefing=first, text="Đường liên thôn xuống cấp", raised_by_name="Nguyễn Văn Hùng", cell_id=world.cell.pk, owner_id=world.secretary_member.pk)
    return BriefingScene(briefings=briefings, briefing=first, item=first.items.first(), issue=issue)  # type: ignore[arg-type]


def held_on(briefing: Briefing, day: dt.date) -> Briefing:
    """Move a planned briefing to ``day`` (so that it can be marked and held)."""
    from django.utils import timezone

    Briefing.objects.filter(pk=briefing.pk).update(starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0))))
    briefing.refresh_from_db()
    return briefing
