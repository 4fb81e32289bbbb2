"""What the phone layout needs from the meeting pages, checked on the HTML (the browser test
tests/browser/test_phone.py measures it): the check-in code only while it can be used, the compact
attendance line, the "all present" action, the counts swapped with each tap, the chart's phone rows.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.urls import reverse
from django.utils import timezone

from chibo.meetings.models import MeetingStatus
from tests.meetings.factories import make_meeting
from tests.meetings.test_record_views import approved_meeting, closed_meeting, open_meeting


def detail_html(client_for, meeting) -> str:
    response = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_checkin_code_shows_while_the_meeting_is_announced_and_open(world, client_for):
    published = make_meeting(world.cell, month=dt.date(2026, 9, 1), status=MeetingStatus.PUBLISHED, checkin_code="654321")
    assert 'data-testid="checkin-code"><b>654321</b>' in detail_html(client_for, published)
    opened = open_meeting(world)
    assert 'data-testid="checkin-code"><b>123456</b>' in detail_html(client_for, opened)


def test_the_checkin_code_is_hidden_once_the_meeting_is_closed_and_after_it_is_locked(world, client_for):
    meeting = closed_meeting(world)
    html = detail_html(client_for, meeting)
    assert 'data-testid="checkin-code"' not in html and "123456" not in html


def test_a_locked_meeting_shows_no_checkin_code_anywhere(world, client_for):
    meeting = approved_meeting(world)
    assert meeting.status == MeetingStatus.APPROVED
    for name in ("detail", "attendance"):
        html = client_for("secretary").get(reverse(f"meetings:{name}", args=[meeting.pk])).content.decode()
        assert "123456" not in html, name


def test_the_attendance_page_offers_all_present_first_and_one_line_per_member(world, client_for):
    meeting = open_meeting(world)
    html = client_for("secretary").get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()
    assert html.index('data-testid="all-present"') < html.index(f'id="att-{world.member.pk}"')
    row = html[html.index(f'id="att-{world.member.pk}"') :]
    row = row[: row.index("</form>")]
    # The row keeps the endpoint's field names and HTMX target.
    assert 'name="member"' in row and 'name="reason"' in row
    assert re.search(r'name="status" value="present" aria-pressed="false">Có mặt<', row)
    assert 'value="excused"' in row and 'value="unexcused"' in row and ">Vắng</summary>" in row
    assert f'hx-target="#att-{world.member.pk}"' in row
    # The validity line comes before the list, so it can stick to the top while the list scrolls.
    assert html.index('id="validity"') < html.index(f'id="att-{world.member.pk}"')


def test_the_member_sees_no_all_present_action(world, client_for):
    meeting = open_meeting(world)
    html = client_for("member").get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()
    assert 'data-testid="all-present"' not in html and 'name="status"' not in html


def test_an_htmx_tap_swaps_the_counts_with_the_validity_line(world, client_for):
    meeting = open_meeting(world)
    response = client_for("secretary").post(
        reverse("meetings:record_mark", args=[meeting.pk]),
        {"member": world.member.pk, "status": "excused", "reason": "Ốm", "client_id": str(uuid.uuid4()), "at": timezone.now().isoformat()},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert re.search(r'id="validity"[^>]*hx-swap-oob="true"', html)
    counts = html[html.index('id="att-counts"') :]
    assert 'hx-swap-oob="true"' in counts[:80]
    assert "<b>1</b> Vắng có lý do" in counts and "<b>1</b> Chưa điểm danh" in counts


def test_the_stats_chart_has_rows_for_a_phone_with_vietnamese_decimals(world, client_for):
    open_meeting(world)
    response = client_for("staff").get(reverse("meetings:stats", args=[world.commune.pk]))
    html = response.content.decode()
    rows = html[html.index('<ol class="stats-bars">') : html.index("</ol>", html.index('<ol class="stats-bars">'))]
    assert rows.count("<li>") == 12
    # Widths are CSS numbers (a dot), the text a Vietnamese number (a comma).
    for width in re.findall(r'style="width:([^%"]*)%"', rows):
        assert re.fullmatch(r"\d+(\.\d+)?", width), width
    assert not re.search(r">\d+\.\d+%", rows)
