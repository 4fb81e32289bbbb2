"""Removing a guest or a speech from the minutes: done and audited while the meeting is open or closed,
refused for another meeting's rows, before the meeting opens, and once the minutes are approved (locked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings.models import AgendaItem, Guest, Meeting, Speech
from tests.factories import World
from tests.meetings.factories import lock_meeting, make_term


@pytest.fixture(autouse=True)
def _term(world: World) -> None:
    """The cell's recorded term, so the adopted resolutions of these meetings take a number."""
    today = timezone.localdate()
    make_term(world.cell, starts_on=today - dt.timedelta(days=800), ends_on=today + dt.timedelta(days=800))


@dataclass
class Held:
    meeting: Meeting
    item: AgendaItem


def _meeting(world: World, *, days_ago: int, open_it: bool = True) -> Held:
    """A published meeting of the cell some days ago (opened unless told), with one agenda item."""
    secretary = world.users["secretary"]
    starts = timezone.localtime(timezone.now() - dt.timedelta(days=days_ago)).replace(hour=19, minute=30, second=0, microsecond=0)
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=starts.date().replace(day=1), starts_at=starts)
    item = prep.agenda_add(actor=secretary, meeting=meeting, section="other", title="Bàn việc thu hoạch lúa")
    meeting = prep.meeting_publish(actor=secretary, meeting=meeting, now=starts - dt.timedelta(days=3))
    if open_it:
        meeting = record.meeting_open(actor=secretary, meeting=meeting)
    return Held(meeting=meeting, item=item)


@pytest.fixture
def held(world: World) -> Held:
    return _meeting(world, days_ago=2)


@pytest.fixture
def earlier(world: World) -> Held:
    """Another open meeting of the same cell, the month before."""
    return _meeting(world, days_ago=40)


def _speech(world: World, held: Held, text: str = "Đồng ý với báo cáo.") -> Speech:
    return record.speech_add(actor=world.users["secretary"], meeting=held.meeting, item_id=held.item.pk, member_id=world.member.pk, text=text)


def _lock(world: World, held: Held) -> Meeting:
    """Mark everyone present, adopt a resolution, close, and approve (chair and minute-taker)."""
    return lock_meeting(world, held.meeting)


# Guests ----------------------------------------------------------------------------------------


def test_removing_a_guest_deletes_it_and_audits_who_it_was(world, held):
    guest = record.guest_add(actor=world.users["secretary"], meeting=held.meeting, name="Trần Văn Khách", title="Bí thư Đoàn xã")
    kept = record.guest_add(actor=world.users["secretary"], meeting=held.meeting, name="Lê Thị Mời")
    record.guest_remove(actor=world.users["staff"], meeting=held.meeting, guest_id=guest.pk)
    assert list(Guest.objects.filter(meeting=held.meeting)) == [kept]
    event = AuditEvent.objects.get(verb="guest.remove")
    assert (event.actor, event.object_id) == (world.users["staff"], held.meeting.pk)
    assert event.before == {"name": "Trần Văn Khách", "title": "Bí thư Đoàn xã"}
    assert event.summary == "Bỏ khách mời: Trần Văn Khách"


def test_a_guest_can_be_removed_from_a_closed_meeting(world, held):
    guest = record.guest_add(actor=world.users["secretary"], meeting=held.meeting, name="Trần Văn Khách")
    for member in (world.member, world.secretary_member):
        record.attendance_mark(actor=world.users["secretary"], meeting=held.meeting, member_id=member.pk, status="present")
    record.meeting_close(actor=world.users["secretary"], meeting=held.meeting)
    record.guest_remove(actor=world.users["secretary"], meeting=held.meeting, guest_id=guest.pk)
    assert not Guest.objects.exists()


def test_another_meetings_guest_or_a_missing_one_is_not_removed(world, held, earlier):
    theirs = record.guest_add(actor=world.users["secretary"], meeting=earlier.meeting, name="Khách tháng trước")
    events = AuditEvent.objects.count()
    for guest_id in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(ChiboError, match="Không tìm thấy khách mời"):
            record.guest_remove(actor=world.users["secretary"], meeting=held.meeting, guest_id=guest_id)
    assert Guest.objects.filter(pk=theirs.pk).exists()
    assert AuditEvent.objects.count() == events


def test_guests_cannot_be_removed_before_opening_or_once_locked(world):
    published = _meeting(world, days_ago=40, open_it=False)
    Guest.objects.create(meeting=published.meeting, name="Ghi sẵn")  # a row the service would not allow
    with pytest.raises(ChiboError, match="trạng thái"):
        record.guest_remove(actor=world.users["secretary"], meeting=published.meeting, guest_id=Guest.objects.get().pk)
    held = _meeting(world, days_ago=2)
    guest = record.guest_add(actor=world.users["secretary"], meeting=held.meeting, name="Trần Văn Khách")
    locked = _lock(world, held)
    events = AuditEvent.objects.count()
    with pytest.raises(ChiboError, match="khóa sổ"):
        record.guest_remove(actor=world.users["secretary"], meeting=locked, guest_id=guest.pk)
    assert Guest.objects.filter(pk=guest.pk).exists() and Guest.objects.count() == 2
    assert AuditEvent.objects.count() == events


# Speeches --------------------------------------------------------------------------------------


def test_removing_a_speech_deletes_it_and_audits_what_was_said(world, held):
    speech = _speech(world, held)
    kept = _speech(world, held, text="Cần thu hoạch sớm.")
    record.speech_remove(actor=world.users["secretary"], meeting=held.meeting, speech_id=speech.pk)
    assert list(Speech.objects.all()) == [kept]
    event = AuditEvent.objects.get(verb="speech.remove")
    assert (event.actor, event.object_id) == (world.users["secretary"], held.meeting.pk)
    assert event.before == {"speaker": "Đặng Thị Hồng", "text": "Đồng ý với báo cáo."}
    assert event.summary == "Xóa phát biểu của Đặng Thị Hồng"


def test_another_meetings_speech_or_a_missing_one_is_not_removed(world, held, earlier):
    theirs = _speech(world, earlier)
    events = AuditEvent.objects.count()
    for speech_id in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(ChiboError, match="Không tìm thấy phát biểu"):
            record.speech_remove(actor=world.users["secretary"], meeting=held.meeting, speech_id=speech_id)
    assert Speech.objects.filter(pk=theirs.pk).exists()
    assert AuditEvent.objects.count() == events


def test_a_speech_in_locked_minutes_is_not_removed(world, held):
    speech = _speech(world, held)
    locked = _lock(world, held)
    events = AuditEvent.objects.count()
    with pytest.raises(ChiboError, match="khóa sổ"):
        record.speech_remove(actor=world.users["secretary"], meeting=locked, speech_id=speech.pk)
    assert Speech.objects.filter(pk=speech.pk, text="Đồng ý với báo cáo.").exists()
    assert AuditEvent.objects.count() == events


# Through the pages: the outsider gets 404 and removes nothing; the secretary removes ---------------


def test_the_outsider_cannot_remove_and_the_secretary_can(world, held, client_for):
    guest = record.guest_add(actor=world.users["secretary"], meeting=held.meeting, name="Trần Văn Khách")
    speech = _speech(world, held)
    guests_url = reverse("meetings:record_guests", args=[held.meeting.pk])
    minutes_url = reverse("meetings:minutes", args=[held.meeting.pk])
    outsider, member = client_for("outsider"), client_for("member")
    for client in (outsider, member):
        assert client.post(guests_url, {"remove": guest.pk}).status_code == 404
        assert client.post(minutes_url, {"op": "speech_remove", "speech": speech.pk}).status_code == 404
    assert Guest.objects.filter(pk=guest.pk).exists() and Speech.objects.filter(pk=speech.pk).exists()
    secretary: Client = client_for("secretary")
    assert secretary.post(guests_url, {"remove": guest.pk}).status_code < 400
    assert secretary.post(minutes_url, {"op": "speech_remove", "speech": speech.pk}).status_code < 400
    assert not Guest.objects.filter(pk=guest.pk).exists() and not Speech.objects.filter(pk=speech.pk).exists()
