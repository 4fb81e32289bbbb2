"""The daily flags of grounds of removal, read from attendance; and the dues provider's registry entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.discipline import grounds, jobs, services
from chibo.discipline.models import RemovalFlag
from chibo.meetings.models import Attendance
from chibo.members.models import Status
from chibo.members.services import member_set_status
from tests.discipline.factories import absences
from tests.factories import VN

NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=VN)
M = [dt.date(2026, m, 1) for m in (1, 2, 3, 4, 5)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


def test_two_months_of_unexcused_absence_are_not_flagged_three_are(world, frozen):
    absences(world.cell, world.member, M[:2])
    assert jobs.flag_grounds(today=frozen) == 0 and not RemovalFlag.objects.exists()
    meetings = absences(world.cell, world.member, M[2:3])
    assert jobs.flag_grounds(today=frozen) == 1
    flag = RemovalFlag.objects.get()
    assert (flag.member_id, flag.cell_id, flag.ground, flag.year) == (world.member.pk, world.cell.pk, "absence", 2026)
    assert flag.months == [m.isoformat() for m in M[:3]] and flag.evidence[2]["ids"] == [meetings[0].pk]
    assert jobs.flag_grounds(today=frozen) == 0  # idempotent
    absences(world.cell, world.member, M[3:4])
    assert jobs.flag_grounds(today=frozen) == 1 and RemovalFlag.objects.get().months == [m.isoformat() for m in M[:4]]


def test_an_excused_absence_is_not_counted(world, frozen):
    absences(world.cell, world.member, M[:2])
    absences(world.cell, world.member, M[2:3], status="excused")
    assert jobs.flag_grounds(today=frozen) == 0


def test_a_thematic_meeting_is_not_a_regular_one(world, frozen):
    absences(world.cell, world.member, M[:2])
    absences(world.cell, world.member, M[2:3], kind="thematic")
    assert jobs.flag_grounds(today=frozen) == 0


def test_last_years_months_do_not_count(world, frozen):
    absences(world.cell, world.member, [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)])
    assert jobs.flag_grounds(today=frozen) == 0


def test_exempted_and_temporarily_transferred_members_are_not_flagged(world, frozen):
    meetings = absences(world.cell, world.member, M[:3])
    Attendance.objects.filter(meeting__in=meetings, member=world.secretary_member).update(status="unexcused")
    found = services.exemption_apply(actor=None, member=world.member, applied_on=frozen, form="written", ground="age")
    services.exemption_decide(actor=None, exemption=found, approve=True, decided_on=frozen)
    member_set_status(actor=None, member=world.secretary_member, status=Status.TEMP_OUT, on=frozen, owner="transfers")
    assert jobs.flag_grounds(today=frozen) == 0


def test_a_dismissed_flag_stays_dismissed(world, frozen):
    absences(world.cell, world.member, M[:3])
    jobs.flag_grounds(today=frozen)
    services.flag_dismiss(actor=None, flag=RemovalFlag.objects.get(), reason="Đi lao động xa, có báo")
    absences(world.cell, world.member, M[3:4])
    assert jobs.flag_grounds(today=frozen) == 0 and RemovalFlag.objects.get().status == "dismissed"


def test_the_dues_provider_is_skipped_without_the_dues_app(world, frozen, monkeypatch):
    monkeypatch.setattr("django.apps.apps.is_installed", lambda name: name != "chibo.dues")
    dues = grounds.provider_for("dues")
    assert dues is not None and not dues.available()
    assert [p.ground for p in grounds.active_providers()] == ["absence"]


def test_three_unpaid_months_of_dues_flag_the_member(world, frozen):
    """Read from the dues app's records (chibo.dues.selectors.unpaid_months): a basis from January and
    receipts for January and February leave March to May unpaid on 20/06 (June is still to pay)."""
    from chibo.dues import services as dues

    secretary = world.users["secretary"]
    dues.basis_set(actor=secretary, member=world.member, category="other", base_vnd=None, month_from=M[0])
    assert jobs.flag_grounds(today=frozen) == 1  # January to June unpaid
    RemovalFlag.objects.all().delete()
    dues.receipt_create(actor=secretary, member=world.member, months=M[:2], paid_on=dt.date(2026, 6, 1))
    assert jobs.flag_grounds(today=frozen) == 1
    flag = RemovalFlag.objects.get()
    assert flag.ground == "dues" and flag.months[:3] == [m.isoformat() for m in M[2:5]]
    assert grounds.DuesProvider().evidence_links(flag)[0][1] == f"/dues/member/{world.member.pk}/"
