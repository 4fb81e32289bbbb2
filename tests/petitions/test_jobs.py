"""The daily escalation of overdue petitions (jobs.escalate_overdue), called directly."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.meetings.models import Notification
from chibo.petitions import jobs
from chibo.petitions.models import EventKind, Petition, PetitionEvent
from tests.factories import World, vn
from tests.petitions.factories import at_commune, raise_petition

pytestmark = pytest.mark.django_db


def test_jobs_are_listed() -> None:
    assert [jobs.escalate_overdue] == jobs.DAILY


def test_overdue_at_the_commune_moves_to_the_province_once_a_day(world: World) -> None:
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        petition = at_commune(world)
    assert petition.deadline == dt.date(2026, 3, 23)
    assert jobs.escalate_overdue(today=dt.date(2026, 3, 23)) == 0  # due today: not overdue yet
    Notification.objects.all().delete()
    with time_machine.travel(vn(2026, 3, 24, 6), tick=False):
        assert jobs.escalate_overdue(today=dt.date(2026, 3, 24)) == 1
        assert jobs.escalate_overdue(today=dt.date(2026, 3, 24)) == 0  # idempotent
    petition.refresh_from_db()
    assert petition.holder_id == world.province.pk and petition.escalation_count == 1
    assert petition.deadline == dt.date(2026, 4, 14)  # 15 working days from 24/03
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.ESCALATED)
    assert event.actor_id is None and (event.from_holder_id, event.to_holder_id) == (world.commune.pk, world.province.pk)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"canboxa", "canbotinh", "bithu"}  # both levels and the cell's secretary


def test_at_the_root_it_is_flagged_not_moved_and_only_once(world: World) -> None:
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        petition = at_commune(world)
        from chibo.petitions import services

        services.petition_forward(actor=world.users["staff"], petition=petition, to_org_id=world.province.pk)
    assert jobs.escalate_overdue(today=dt.date(2026, 3, 24)) == 1
    assert jobs.escalate_overdue(today=dt.date(2026, 3, 24)) == 0
    assert jobs.escalate_overdue(today=dt.date(2026, 3, 25)) == 0  # flagged once for this deadline
    petition.refresh_from_db()
    assert petition.holder_id == world.province.pk and petition.escalation_count == 0 and petition.stalled_on == dt.date(2026, 3, 24)
    assert PetitionEvent.objects.filter(petition=petition, kind=EventKind.STALLED).count() == 1


def test_petitions_at_the_cell_or_outside_are_not_escalated(world: World) -> None:
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        raise_petition(world)
        from chibo.petitions import services

        services.petition_send(actor=world.users["secretary"], petition=raise_petition(world), to_external="UBND xã")
    assert jobs.escalate_overdue(today=dt.date(2026, 6, 1)) == 0
    assert not Petition.objects.filter(escalation_count__gt=0).exists()
