"""The home page shows each persona the month (issue 7, §6), at frozen times in several states of the month.

Scene: "now" is 10/12/2026 10:00 in Vietnam. The cell Trung Sơn (member Hồng, secretary Hùng) and
the cell Đồng Tâm are under the commune Quảng Tân (staff); the outsider is staff of Đại Bình.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings.models import Meeting, MeetingStatus, Notification
from tests.factories import World, make_member
from tests.meetings.factories import make_meeting

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 12, 10, 10, 0, tzinfo=VN)
DEC = dt.date(2026, 12, 1)
NOV = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _home(client: Client) -> str:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    """The HTML of the first <section> (or element) marked with ``data-testid``."""
    start = html.index(f'data-testid="{testid}"')
    end = html.find("</section>", start)
    return html[start : end if end != -1 else len(html)]


def _state(html: str, step: str) -> str:
    match = re.search(rf'data-testid="step-{step}" data-state="(\w+)"', html)
    assert match, step
    return match[1]


def _figure(html: str, month: str, key: str) -> int:
    part = _section(html, f"committee-month-{month}")
    match = re.search(rf'data-testid="figure-{key}"[^>]*><b>(\d+)</b>', part)
    assert match, key
    return int(match[1])


def _meeting(world: World, *, starts: dt.datetime, published_at: dt.datetime | None = None, draft: str = "Dự thảo nghị quyết tháng 12") -> Meeting:
    secretary = world.users["secretary"]
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=starts.date().replace(day=1), starts_at=starts, place="Nhà văn hóa thôn Trung Sơn")
    if draft:
        prep.meeting_update(actor=secretary, meeting=meeting, place=meeting.place, topic="", draft_resolution=draft)
    if published_at is not None:
        meeting = prep.meeting_publish(actor=secretary, meeting=meeting, now=published_at)
    meeting.refresh_from_db()
    return meeting


# Nothing yet this month ---------------------------------------------------------------------------


def test_no_meeting_yet(world, client_for, frozen):
    html = _home(client_for("member"))
    assert 'data-testid="no-next-meeting"' in html
    sec = _home(client_for("secretary"))
    # the rule's day (the 3rd, 19:30) has passed: creating is overdue, the rest waits
    assert _state(sec, "create") == "overdue"
    assert [_state(sec, s) for s in ("prepare", "publish", "hold", "minutes", "approve")] == ["waiting"] * 5
    assert f'href="{reverse("meetings:cell_meetings", args=[world.cell.pk])}"' in _section(sec, "home-secretary")
    # last month had no regular meeting either
    assert 'data-testid="previous-missing"' in sec


def test_creating_is_todo_before_the_rule_day(world, client_for, settings):
    settings.CHIBO_MEETING_DAY = 20
    with time_machine.travel(NOW, tick=False):
        html = _home(client_for("secretary"))
    assert _state(html, "create") == "todo"
    # deadline: one day before 20/12/2026 19:30
    assert "Hạn: 19:30 19/12/2026" in html


# Published (late), with agenda, materials and comments --------------------------------------------


def test_published_late_meeting_for_member_secretary_and_staff(world, client_for, frozen):
    starts = dt.datetime(2026, 12, 11, 8, 0, tzinfo=VN)  # 22 hours after "now": announced late
    meeting = _meeting(world, starts=starts)
    prep.material_add(actor=world.users["secretary"], meeting=meeting, name="bao-cao-thang-12.pdf", data=b"%PDF-1.4\n%%EOF\n")
    meeting = prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
    assert meeting.published_late
    prep.comment_add(actor=world.users["member"], meeting=meeting, text="Đề nghị bổ sung việc thu hoạch lúa.")

    member = _section(_home(client_for("member")), "home-member")
    assert "08:00" in member and "11/12/2026" in member
    assert "Nhà văn hóa thôn Trung Sơn" in member
    assert reverse("meetings:material_download", args=[meeting.materials.get().pk]) in member
    assert "bao-cao-thang-12.pdf" in member
    assert "Bạn đã gửi 1 góp ý." in member
    assert 'data-testid="home-comment"' in member  # before the start: comments are still taken
    for item in meeting.agenda.all():
        assert item.title in member
    assert 'data-testid="home-checkin"' not in member  # not open yet

    sec = _home(client_for("secretary"))
    assert [_state(sec, s) for s in ("create", "prepare", "publish", "hold", "minutes", "approve")] == ["done", "done", "late", "todo", "waiting", "waiting"]
    assert "Hạn: 08:00 11/12/2026" in sec  # holding it: the meeting's own start

    staff = _home(client_for("staff"))
    assert _figure(staff, "current", "announced_late") == 1
    assert _figure(staff, "current", "not_scheduled") == 1  # Đồng Tâm
    assert _figure(staff, "current", "not_announced") == 0
    assert _figure(staff, "current", "not_held") == 2


def test_draft_meeting_publish_deadline_and_overdue(world, client_for, frozen):
    _meeting(world, starts=dt.datetime(2026, 12, 15, 19, 30, tzinfo=VN), draft="")
    sec = _home(client_for("secretary"))
    assert _state(sec, "prepare") == "todo"  # no draft resolution yet
    assert "Dự thảo nghị quyết: chưa có" in sec
    assert _state(sec, "publish") == "todo"
    assert "Hạn: 19:30 14/12/2026" in sec  # a day before the start
    # The member sees nothing of a meeting that is not announced.
    assert 'data-testid="no-next-meeting"' in _home(client_for("member"))
    assert _figure(_home(client_for("staff")), "current", "not_announced") == 1
    # Past the publishing deadline the step is overdue.
    with time_machine.travel(dt.datetime(2026, 12, 14, 20, 0, tzinfo=VN), tick=False):
        assert _state(_home(client_for("secretary")), "publish") == "overdue"


# The meeting day: open, check in from home ----------------------------------------------------------


def test_member_checks_in_from_home_while_the_meeting_is_open(world, client_for):
    starts = dt.datetime(2026, 12, 15, 19, 30, tzinfo=VN)
    with time_machine.travel(NOW, tick=False):
        meeting = _meeting(world, starts=starts, published_at=NOW)
    with time_machine.travel(starts + dt.timedelta(minutes=5), tick=False):
        meeting = record.meeting_open(actor=world.users["secretary"], meeting=meeting)
        client = client_for("member")
        html = _section(_home(client), "home-member")
        assert 'data-testid="home-checkin-button"' in html
        assert f'action="{reverse("meetings:checkin", args=[meeting.pk])}"' in html
        assert "Bạn đã gửi" in html and 'data-testid="home-comment"' not in html  # comments closed once started
        sec = _home(client_for("secretary"))
        assert _state(sec, "hold") == "now" and _state(sec, "minutes") == "now"
        response = client.post(reverse("meetings:checkin", args=[meeting.pk]), {"code": meeting.checkin_code})
        assert response.status_code == 302
        html = _section(_home(client), "home-member")
        assert "Bạn đã được điểm danh." in html and 'data-testid="home-checkin-button"' not in html


# Held, not approved; last month -------------------------------------------------------------------


def _held(world: World, starts: dt.datetime, *, approve: bool) -> Meeting:
    secretary = world.users["secretary"]
    with time_machine.travel(starts - dt.timedelta(days=3), tick=False):
        meeting = _meeting(world, starts=starts, published_at=starts - dt.timedelta(days=3))
    with time_machine.travel(starts, tick=False):
        meeting = record.meeting_open(actor=secretary, meeting=meeting)
        for m in (world.member, world.secretary_member):
            record.attendance_mark(actor=secretary, meeting=meeting, member_id=m.pk, status="present")
        record.minutes_roles(actor=secretary, meeting=meeting, chair_id=world.secretary_member.pk, minute_taker_id=world.member.pk)
    with time_machine.travel(starts + dt.timedelta(minutes=100), tick=False):
        meeting = record.meeting_close(actor=secretary, meeting=meeting)
        if approve:
            record.meeting_approve(actor=secretary, meeting=meeting, as_role="chair")
            meeting = record.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    return meeting


def test_held_not_approved(world, client_for):
    _held(world, dt.datetime(2026, 11, 5, 19, 30, tzinfo=VN), approve=True)
    meeting = _held(world, dt.datetime(2026, 12, 3, 19, 30, tzinfo=VN), approve=False)
    assert meeting.status == MeetingStatus.CLOSED
    with time_machine.travel(NOW, tick=False):
        sec = _home(client_for("secretary"))
        staff = _home(client_for("staff"))
        member = _home(client_for("member"))
    assert [_state(sec, s) for s in ("create", "prepare", "publish", "hold", "minutes", "approve")] == ["done"] * 5 + ["todo"]
    assert "Chủ trì: chưa duyệt" in sec
    assert 'data-testid="previous-not-approved"' not in sec and 'data-testid="previous-missing"' not in sec
    assert 'data-testid="no-next-meeting"' in member  # this month's meeting is over
    assert _figure(staff, "current", "not_approved") == 1
    assert _figure(staff, "current", "not_held") == 1  # Đồng Tâm
    # last complete month: Trung Sơn held and approved, Đồng Tâm nothing
    assert [_figure(staff, "previous", k) for k in ("not_scheduled", "not_announced", "announced_late", "not_held", "not_approved")] == [1, 0, 0, 1, 0]


def test_last_month_not_approved_is_shown_to_the_secretary(world, client_for):
    _held(world, dt.datetime(2026, 11, 25, 19, 30, tzinfo=VN), approve=False)
    with time_machine.travel(NOW, tick=False):
        sec = _home(client_for("secretary"))
    assert 'data-testid="previous-not-approved"' in sec
    assert "Cuộc họp tháng 11/2026 chưa duyệt biên bản." in sec


# Unread notifications --------------------------------------------------------------------------------


def test_unread_notifications(world, client_for, frozen):
    user = world.users["member"]
    for i in range(7):
        Notification.objects.create(user=user, subject=f"Thông báo số {i}")
    Notification.objects.create(user=user, subject="Đã đọc rồi", read_at=NOW)
    html = _section(_home(client_for("member")), "home-unread")
    assert "7 thông báo chưa đọc" in html
    assert "Thông báo số 6" in html and "Đã đọc rồi" not in html
    assert html.count('class="card unread"') == 5


# Several roles, scope --------------------------------------------------------------------------------


def test_several_roles_most_local_first(world, client_for, frozen):
    from chibo.accounts import services as account_services

    user = world.users["secretary"]  # a member of the cell, its secretary, and now commune staff too
    account_services.grant_add(actor=None, user=user, role="staff", org=world.commune)
    html = _home(client_for("secretary"))
    positions = [html.index(f'data-testid="{t}"') for t in ("home-member", "home-secretary", "home-committee")]
    assert positions == sorted(positions)


def test_outsider_sees_nothing_of_other_communes(world, client_for, frozen):
    _meeting(world, starts=dt.datetime(2026, 12, 15, 19, 30, tzinfo=VN), published_at=NOW)
    html = _home(client_for("outsider"))
    assert "Đại Bình" in html
    for name in ("Quảng Tân", "Trung Sơn", "Đồng Tâm", "Quảng Ninh"):
        assert name not in html
    assert 'data-testid="home-secretary"' not in html and 'data-testid="home-member"' not in html
    assert _figure(html, "current", "not_scheduled") == 1  # Làng Y


def test_admin_and_province_see_the_roots(world, client_for, frozen):
    for persona in ("admin", "province"):
        html = _home(client_for(persona))
        assert "Đảng bộ tỉnh Quảng Ninh" in _section(html, "home-committee")
        assert _figure(html, "current", "not_scheduled") == 3


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_without_any_role_is_told_so(world, frozen):
    from tests.factories import make_user

    client = Client()
    client.force_login(make_user("khonggi"))
    assert "Chưa được phân quyền" in client.get(reverse("core:home")).content.decode()


# Query counts ---------------------------------------------------------------------------------------


GIVEN = ["Ba", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lan"]


def _many_cells(world: World, n: int) -> None:
    from chibo.orgs import services as org_services
    from chibo.orgs.models import OrgKind

    for i in range(n):
        cell = org_services.org_create(actor=None, name=f"Chi bộ thôn Số {i}", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2020, 1, 1))
        make_member(cell, given_name=GIVEN[i % len(GIVEN)])
        make_meeting(cell, month=DEC, day=5, status=MeetingStatus.CLOSED)
        make_meeting(cell, month=NOV, day=5, status=MeetingStatus.APPROVED)


# The petitions part (chibo.petitions.selectors_home): the count held at the levels one handles
# (a secretary grant counts: one query), and the cell's answers to read out (secretaries: one more).
PETITIONS_STAFF = 1
PETITIONS_SECRETARY = 2
# session, user; grants (policy); the member part: own cell, next meeting, comments, agenda,
# materials; unread (latest; the count only when the latest fill the box).
MEMBER_QUERIES = 2 + 1 + 5 + 1 + 1 + 1 + 2  # ... the member's open tasks; the briefing the member is invited to; dues (owed, receipts)
# the secretary part: cells, the months' meetings (+ the meeting-day rule while there is none);
# whether a secretary grant is on a committee (it is on the cell: no committee part); the
# secretary is a member too. Then petitions; tasks (the cells, their task counts); briefings (committees);
# inspections (committees, cells, items).
# The probation part (chibo.probation.selectors_home): the cells, their probationers (staff: nodes, rows).
PROBATION = 2
# The transfers part (chibo.transfers.selectors_home): to receive, letters to issue, temporary
# transfers past their end, in the user's EDIT scope (secretaries, staff, admins).
TRANSFERS = 3
# Residence contact (secretaries): the cells, the residence cells' figures (a work cell's comments
# received would be one more).
RESIDENCE = 2
# Discipline: the granted nodes (with their last reconciliation), the cells' open flags; staff: the
# nodes, the removal proposals, the overdue cells.
DISCIPLINE_SECRETARY, DISCIPLINE_STAFF = 2, 3
# Party dues (secretaries): the cells, this month's receipts, the arrears.
DUES_SECRETARY = 3
# Admissions: the cells' candidates (secretaries); the decisions due (staff).
ADMISSIONS = 1
LIFECYCLES_SECRETARY = PROBATION + TRANSFERS + RESIDENCE + DISCIPLINE_SECRETARY + DUES_SECRETARY + ADMISSIONS
SECRETARY_QUERIES = MEMBER_QUERIES + 3 + PETITIONS_SECRETARY + 2 + 1 + 3 + LIFECYCLES_SECRETARY
# the committee part: grants, the nodes, then two per node (cells and meetings, both months at once).
STAFF_QUERIES = 2 + 1 + 1 + 2 + 1 + PETITIONS_STAFF + 2 + 2 + PROBATION + TRANSFERS + DISCIPLINE_STAFF + ADMISSIONS  # ... briefings, inspections


@pytest.mark.parametrize("extra_cells", [0, 8])
def test_query_counts_do_not_grow_with_cells(world, client_for, frozen, django_assert_num_queries, extra_cells):
    _many_cells(world, extra_cells)
    _meeting(world, starts=dt.datetime(2026, 12, 15, 19, 30, tzinfo=VN), published_at=NOW)
    clients = {p: client_for(p) for p in ("member", "secretary", "staff")}
    with django_assert_num_queries(MEMBER_QUERIES):
        clients["member"].get(reverse("core:home"))
    with django_assert_num_queries(SECRETARY_QUERIES):
        clients["secretary"].get(reverse("core:home"))
    with django_assert_num_queries(STAFF_QUERIES):
        html = clients["staff"].get(reverse("core:home")).content.decode()
    assert _figure(html, "current", "not_approved") == extra_cells


def test_a_meeting_held_without_a_draft_resolution_shows_the_missing_preparation(world, client_for):
    starts = dt.datetime(2026, 12, 3, 19, 30, tzinfo=VN)
    with time_machine.travel(starts - dt.timedelta(days=3), tick=False):
        meeting = _meeting(world, starts=starts, published_at=starts - dt.timedelta(days=3), draft="")
    with time_machine.travel(starts, tick=False):
        record.meeting_open(actor=world.users["secretary"], meeting=meeting)
    with time_machine.travel(NOW, tick=False):
        sec = _home(client_for("secretary"))
    assert _state(sec, "prepare") == "missed"
    assert _state(sec, "hold") == "now"  # opened on the 3rd and not closed yet


@pytest.mark.parametrize("clock", [dt.datetime(2026, 12, 1, 0, 30, tzinfo=VN), dt.datetime(2026, 11, 30, 23, 30, tzinfo=VN)])
def test_the_month_turns_at_midnight_in_vietnam(world, client_for, clock):
    """At 00:30 on 1 December in Vietnam it is still 30 November in UTC: the home is already December's."""
    make_meeting(world.cell, month=NOV, day=5, status=MeetingStatus.CLOSED)
    with time_machine.travel(clock, tick=False):
        staff = client_for("staff").get(reverse("core:home"))
        sec = _home(client_for("secretary"))
    months = [mf.month for mf in staff.context["committees"][0].months]
    if clock.day == 1:
        assert months == [DEC, NOV]
        assert _figure(staff.content.decode(), "previous", "not_approved") == 1
        assert _state(sec, "create") == "todo"  # December's meeting: the 3rd, still ahead
        assert 'data-testid="previous-not-approved"' in sec  # November's, held, not approved
    else:
        assert months == [NOV, dt.date(2026, 10, 1)]
        assert _figure(staff.content.decode(), "current", "not_approved") == 1
        assert _state(sec, "approve") == "todo"


def test_home_is_read_only(world, client_for):
    assert client_for("member").post(reverse("core:home")).status_code == 405
