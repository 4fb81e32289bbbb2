"""Publishing a meeting sends real email (a real SMTP server on loopback) and in-app notifications;
a publish that fails or is rolled back sends nothing.

Email leaves on transaction.on_commit: the first test commits for real (transactional_db), the
others run inside the test transaction and run the captured callbacks by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.meetings import services_prep as prep
from chibo.meetings.models import AgendaItem, Meeting, MeetingStatus, Notification
from tests.factories import World

ITEM = "Bàn biện pháp thu hoạch lúa vụ mùa"


@pytest.fixture(autouse=True)
def _channels(settings) -> None:
    settings.CHIBO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.DEFAULT_FROM_EMAIL = "chibo@xa-quang-tan.example"


def addresses(world: World) -> None:
    """The member's address is on her party record; the secretary's only on his account;
    the province staff sent to the meeting have none (in-app only)."""
    world.member.email = "hong.dang@example.vn"
    world.member.save(update_fields=["email"])
    secretary = world.users["secretary"]
    secretary.email = "hung.nguyen@example.vn"
    secretary.save(update_fields=["email"])


def draft_meeting(world: World) -> Meeting:
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5)).replace(hour=19, minute=30, second=0, microsecond=0)
    meeting = prep.meeting_create(actor=world.users["secretary"], cell=world.cell, month=starts.date().replace(day=1), starts_at=starts, place="Nhà văn hóa thôn Trung Sơn")
    prep.agenda_add(actor=world.users["secretary"], meeting=meeting, section="other", title=ITEM)
    prep.upper_assign(actor=world.users["staff"], cell=world.cell, month=meeting.month, attendee=world.users["province"])
    return meeting


def test_publishing_emails_every_member_with_an_address_in_vietnamese(transactional_db: None, world: World, smtp_inbox) -> None:
    addresses(world)
    meeting = draft_meeting(world)
    assert not smtp_inbox.messages

    prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)  # commits: on_commit runs now

    starts = timezone.localtime(meeting.starts_at)
    by_to = {m["To"]: m for m in smtp_inbox.messages}
    assert sorted(by_to) == ["hong.dang@example.vn", "hung.nguyen@example.vn"]
    for message in smtp_inbox.messages:
        assert message["From"] == "chibo@xa-quang-tan.example"
        # Django folds the encoded subject onto a continuation line; the decoder keeps that space.
        assert message["Subject"].strip() == f"Thông báo sinh hoạt thường kỳ tháng {starts:%m/%Y} — Chi bộ thôn Trung Sơn"
        assert message.get_content_charset() == "utf-8"
        body = message.get_content()
        assert f"Thời gian: 19:30 {starts:%d/%m/%Y}" in body
        assert "Địa điểm: Nhà văn hóa thôn Trung Sơn" in body
        assert f". {ITEM}" in body
        assert "đảng viên có thể góp ý trước khi họp" in body

    # In-app: the two members and the province staff sent to the meeting, linked to it.
    rows = Notification.objects.filter(meeting=meeting)
    assert sorted(rows.values_list("user__username", flat=True)) == ["bithu", "canbotinh", "dangvien"]
    assert {n.subject for n in rows} == {smtp_inbox.messages[0]["Subject"].strip()}
    assert all(f"19:30 {starts:%d/%m/%Y}" in n.body for n in rows)

    # Publishing again is refused, and nobody is written to twice.
    with pytest.raises(ChiboError, match="đã được thông báo"):
        prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
    assert len(smtp_inbox.messages) == 2
    assert rows.count() == 3


def test_a_publish_rolled_back_after_the_fact_sends_nothing(world: World, smtp_inbox, django_capture_on_commit_callbacks) -> None:
    addresses(world)
    meeting = draft_meeting(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
        assert Notification.objects.filter(meeting=meeting).count() == 3  # written, then rolled back
        raise RuntimeError("the page failed after publishing")
    assert callbacks == []
    assert smtp_inbox.messages == []
    assert not Notification.objects.filter(meeting=meeting).exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT and meeting.published_at is None

    # The same meeting published properly afterwards sends once.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
    assert len(callbacks) == 2
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["hong.dang@example.vn", "hung.nguyen@example.vn"]


def test_a_refused_publish_sends_nothing(world: World, smtp_inbox, django_capture_on_commit_callbacks) -> None:
    addresses(world)
    already = draft_meeting(world)
    Meeting.objects.filter(pk=already.pk).update(status=MeetingStatus.PUBLISHED)
    empty = prep.meeting_create(actor=world.users["secretary"], cell=world.cell, month=prep.sel.add_months(already.month, 1))
    AgendaItem.objects.filter(meeting=empty).delete()
    for meeting, refusal in ((already, "đã được thông báo"), (empty, "Chương trình họp còn trống")):
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ChiboError, match=refusal):
            prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
        assert callbacks == []
    assert smtp_inbox.messages == []
    assert not Notification.objects.exists()
    empty.refresh_from_db()
    assert empty.status == MeetingStatus.DRAFT


def test_a_mail_server_that_is_down_does_not_break_publishing(world: World, settings, django_capture_on_commit_callbacks, caplog) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    addresses(world)
    meeting = draft_meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    assert Notification.objects.filter(meeting=meeting).count() == 3  # the in-app copy is there
    assert "email to hong.dang@example.vn failed" in caplog.text
