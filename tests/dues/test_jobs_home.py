"""The daily jobs (this month's records, reminders once a month) and the home page's dues part."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from chibo.dues import jobs, services
from chibo.dues.models import DuesMonth, DuesReminder
from chibo.meetings.models import Notification
from tests.factories import vn

D = dt.date


def test_reminders_once_a_month_to_members_in_arrears(world, june) -> None:
    services.basis_set(actor=None, member=world.member, category="other", base_vnd=None, month_from=D(2026, 4, 1))
    services.basis_set(actor=None, member=world.secretary_member, category="other", base_vnd=None, month_from=D(2026, 6, 1))
    assert jobs.remind_arrears(today=D(2026, 6, 15)) == 1  # April and May owed; the secretary owes only June (not late)
    assert jobs.remind_arrears(today=D(2026, 6, 16)) == 0
    reminder = DuesReminder.objects.get()
    assert (reminder.member_id, reminder.months_owed) == (world.member.pk, 2)
    note = Notification.objects.get(user=world.users["member"])
    assert "2 tháng" in note.subject and "30.000 đ" in note.body and note.url == reverse("dues:member", args=[world.member.pk])
    with time_machine.travel(vn(2026, 7, 1, 6), tick=False):
        assert jobs.open_month(today=D(2026, 7, 1)) == 2
        assert jobs.open_month(today=D(2026, 7, 1)) == 0
        assert DuesMonth.objects.filter(month=D(2026, 7, 1)).count() == 2
        assert jobs.remind_arrears(today=D(2026, 7, 1)) == 2  # a new month: both are reminded (the secretary owes June)


def test_home_shows_what_i_owe_and_the_cells_arrears(world, client_for, june) -> None:
    services.basis_set(actor=None, member=world.member, category="other", base_vnd=None, month_from=D(2026, 4, 1))
    receipt = services.receipt_create(actor=None, member=world.member, months=[D(2026, 4, 1)], paid_on=D(2026, 6, 2))
    mine = client_for("member").get(reverse("core:home")).content.decode()
    assert "còn phải nộp 2 tháng, 30.000 đ" in mine and reverse("dues:receipt", args=[receipt.pk]) in mine
    sec = client_for("secretary").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-dues-arrears"' in sec and world.member.full_name in sec and "nợ 1 tháng" in sec
    assert "Tháng này đã thu 15.000 đ (1 biên lai)." in sec
    page = client_for("member").get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert 'data-testid="dues-section"' in page and "Còn phải nộp 2 tháng, 30.000 đ" in page
