"""The daily reminder to invitees: N days ahead, once per person and briefing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.briefings import jobs, services
from chibo.briefings.models import BriefingReminder
from chibo.meetings.models import Notification
from tests.briefings.factories import held_on
from tests.factories import vn

pytestmark = pytest.mark.django_db


def test_remind_invited_once(world, settings, mailoutbox):
    settings.CHIBO_BRIEFING_REMIND_DAYS = 3
    with time_machine.travel(vn(2026, 5, 10, 6), tick=False):
        briefings = services.plan_year(actor=world.users["staff"], committee=world.commune, year=2026, days={})
        soon = held_on(briefings[1], dt.date(2026, 5, 13))
        assert jobs.remind_invited(today=dt.date(2026, 5, 9)) == 0  # four days ahead: not yet
        assert jobs.remind_invited(today=dt.date(2026, 5, 10)) == 1
        assert jobs.remind_invited(today=dt.date(2026, 5, 10)) == 0
        assert jobs.remind_invited(today=dt.date(2026, 5, 11)) == 0
    note = Notification.objects.get(user=world.users["secretary"])
    assert note.url == f"/briefings/{soon.pk}/"
    assert "13/05/2026" in note.subject
    assert BriefingReminder.objects.count() == 1
    assert [jobs.remind_invited] == jobs.DAILY


def test_cancelled_briefings_are_not_reminded(world):
    with time_machine.travel(vn(2026, 5, 10, 6), tick=False):
        briefing = services.plan_year(actor=world.users["staff"], committee=world.commune, year=2026, days={})[1]
        briefing = held_on(briefing, dt.date(2026, 5, 12))
        services.briefing_cancel(actor=world.users["staff"], briefing=briefing, reason="Bão")
        assert jobs.remind_invited(today=dt.date(2026, 5, 10)) == 0
