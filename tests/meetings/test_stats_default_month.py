"""The statistics page opens on the last complete month when no month is asked (issue 7, §6)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from chibo.meetings.models import MeetingStatus
from tests.meetings.factories import add_attendance, make_meeting

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _period(html: str) -> str:
    start = html.index('data-testid="stats-period"')
    return html[start : html.index("</p>", start)]


def test_on_the_first_of_a_month_the_page_shows_the_month_before(world, client_for):
    add_attendance(make_meeting(world.cell, month=dt.date(2026, 11, 1), day=5, status=MeetingStatus.CLOSED))
    # 1 December 2026, 00:30 in Vietnam (still 30 November in UTC).
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=VN), tick=False):
        response = client_for("staff").get(reverse("meetings:stats", args=[world.commune.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "11/2026" in _period(html)
    fig = response.context["fig"]
    assert (fig.cells_expected, fig.cells_met) == (2, 1)


def test_late_in_a_month_the_default_is_still_the_last_complete_month(world, client_for):
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=VN), tick=False):
        response = client_for("staff").get(reverse("meetings:stats", args=[world.commune.pk]))
    assert response.context["month"] == dt.date(2026, 11, 1)
    # the next month (December, the current one) is one click away
    assert "month=2026-12" in response.content.decode()


def test_an_asked_month_is_kept(world, client_for):
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=VN), tick=False):
        client = client_for("staff")
        assert client.get(reverse("meetings:stats", args=[world.commune.pk]) + "?month=2026-12").context["month"] == dt.date(2026, 12, 1)
        assert client.get(reverse("meetings:stats", args=[world.commune.pk]) + "?month=03/2026").context["month"] == dt.date(2026, 3, 1)
        # a bad month says so and falls back to the default
        bad = client.get(reverse("meetings:stats", args=[world.commune.pk]) + "?month=2026-13")
        assert bad.context["month"] == dt.date(2026, 11, 1)
        assert "2026-13" in bad.content.decode()


def test_the_export_follows_the_same_default(world, client_for):
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=VN), tick=False):
        response = client_for("staff").get(reverse("meetings:stats_xlsx", args=[world.commune.pk]))
    assert response.status_code == 200
