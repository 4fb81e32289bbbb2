from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.workdays import add_working_days
from chibo.meetings.models import Notification
from chibo.transfers import jobs, services
from chibo.transfers.models import Transfer, TransferEvent
from tests.factories import vn

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _at(day: dt.date):
    return time_machine.travel(vn(day.year, day.month, day.day, 6), tick=False)


def test_late_letter_flagged_once_after_working_day_60(world):
    with _at(DAY):
        t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)
    due = add_working_days(DAY, 60)
    assert jobs.flag_late(today=due) == 0  # the last day allowed
    assert jobs.flag_late(today=due + dt.timedelta(days=1)) == 1
    assert jobs.flag_late(today=due + dt.timedelta(days=2)) == 0  # once
    t.refresh_from_db()
    assert t.letter_flagged_on == due + dt.timedelta(days=1)
    assert TransferEvent.objects.filter(transfer=t, kind="flagged").count() == 1
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert {"bithu", "canboxa"} <= users and "nguoingoai" not in users


def test_late_presentation_and_overdue_return(world):
    with _at(DAY):
        t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.other_cell)
        services.transfer_issue_letter(actor=None, transfer=t, on=DAY, letter_number="1")
        away = services.transfer_start(actor=None, member=world.secretary_member, kind="temporary", on=DAY, to_text="X", ends_on=dt.date(2026, 6, 2))
    due = add_working_days(DAY, 30)
    assert jobs.flag_late(today=due) == 0
    assert jobs.flag_late(today=due + dt.timedelta(days=1)) == 1
    assert "nguoingoai" in set(Notification.objects.values_list("user__username", flat=True))  # the receiving side
    assert jobs.flag_late(today=dt.date(2026, 6, 2)) == 0
    assert jobs.flag_late(today=dt.date(2026, 6, 3)) == 1
    away.refresh_from_db()
    assert away.return_flagged_on == dt.date(2026, 6, 3)
    assert Transfer.objects.filter(present_flagged_on__isnull=False).count() == 1
