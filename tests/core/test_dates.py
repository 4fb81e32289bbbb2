"""Dates and times a person sees are Vietnam's (Asia/Ho_Chi_Minh), through one path: chibo.core.dates.

The database stores UTC: a meeting at 00:30 on 02/12 in Vietnam is 17:30 on 01/12 in UTC. Each surface
(page, PDF, DOCX, XLSX, notification and mail, API) is read back here with a meeting at 00:30, 06:30
or 23:30 Vietnam time; every expected value is written by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.core import access, dates
from chibo.core.models import OPEN
from chibo.meetings import services_prep as prep
from chibo.meetings.models import MeetingStatus, Notification
from tests.factories import VN, World, make_member, vn
from tests.meetings.factories import add_attendance, make_meeting

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")

# A moment as the database holds it (UTC) → its day and time in Vietnam.
EDGES = [
    pytest.param(dt.datetime(2026, 12, 1, 17, 30, tzinfo=UTC), "02/12/2026", "00:30", id="00:30"),
    pytest.param(dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "02/12/2026", "06:30", id="06:30"),
    pytest.param(dt.datetime(2026, 12, 2, 16, 30, tzinfo=UTC), "02/12/2026", "23:30", id="23:30"),
]


# The functions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "day", "time"), EDGES)
def test_formats_in_vietnam_time(moment: dt.datetime, day: str, time: str) -> None:
    for same in (moment, moment.astimezone(NEW_YORK)):  # whatever zone the value carries
        assert dates.fmt_date(same) == day
        assert dates.fmt_time(same) == time
        assert dates.fmt_datetime(same) == f"{day} {time}"
        assert dates.fmt_month(same) == "12/2026"
        assert dates.local_date(same) == dt.date(2026, 12, 2)
        assert dates.local(same).utcoffset() == dt.timedelta(hours=7)
        hour, minute = (int(x) for x in time.split(":"))
        assert dates.excel_datetime(same) == dt.datetime(2026, 12, 2, hour, minute)  # naive, as Excel needs


def test_plain_values() -> None:
    assert dates.fmt_date(dt.date(2026, 12, 2)) == "02/12/2026"
    assert dates.fmt_date(dt.date(999, 1, 2)) == "02/01/0999"
    assert dates.fmt_time(dt.time(7, 5)) == "07:05"
    assert dates.fmt_time(dt.datetime(2026, 12, 2, 0, 30)) == "00:30"  # a naive value is taken as local
    assert dates.fmt_month(dt.date(2027, 1, 1)) == "01/2027"
    assert (dates.fmt_date(None), dates.fmt_time(None), dates.fmt_datetime(None), dates.fmt_month(None)) == ("", "", "", "")
    assert dates.excel_datetime(None) is None
    assert dates.fmt(dt.date(2026, 1, 3)) == "03/01/2026"


@pytest.mark.parametrize(
    ("utc", "vietnam"),
    [
        (dt.datetime(2026, 11, 30, 17, 30, tzinfo=UTC), dt.date(2026, 12, 1)),  # 00:30 on the 1st
        (dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), dt.date(2026, 12, 31)),  # 23:30 on 31/12
        (dt.datetime(2026, 12, 31, 17, 30, tzinfo=UTC), dt.date(2027, 1, 1)),  # 00:30 on New Year's day
    ],
)
def test_today_is_vietnams_date(utc: dt.datetime, vietnam: dt.date) -> None:
    with time_machine.travel(utc, tick=False):
        assert dates.today() == access.today() == timezone.localdate() == vietnam
        assert dates.now().date() == vietnam and dates.now().utcoffset() == dt.timedelta(hours=7)


# The template filters ---------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load chibo %}" + source).render(Context(context))


@pytest.mark.parametrize(("moment", "day", "time"), EDGES)
def test_filters(moment: dt.datetime, day: str, time: str) -> None:
    assert render("{{ v|dmy }}|{{ v|hm }}|{{ v|dmy_hm }}|{{ v|my }}", v=moment) == f"{day}|{time}|{day} {time}|12/2026"


def test_filters_on_dates_times_and_nothing() -> None:
    assert render("{{ v|dmy }}|{{ v|my }}", v=dt.date(2026, 12, 2)) == "02/12/2026|12/2026"
    assert render("{{ v|dmy }}", v=OPEN) == ""  # an open period end
    assert render("{{ v|hm }}", v=dt.time(19, 30)) == "19:30"
    for empty in (None, ""):
        assert render("{{ v|dmy }}{{ v|hm }}{{ v|dmy_hm }}{{ v|my }}", v=empty) == ""


# Every surface, with a meeting at 00:30 on 02/12/2026 in Vietnam ---------------------------------

EARLY = dt.time(0, 30)
DAY = dt.date(2026, 12, 1)


def test_page_shows_the_vietnam_day(world: World, client_for) -> None:
    meeting = make_meeting(world.cell, month=DAY, day=2, at=EARLY)
    html = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "00:30 02/12/2026" in html
    assert "01/12/2026" not in html


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return " ".join(" ".join(paragraphs + cells).split())


@pytest.fixture
def early_meeting(world: World):
    """Held from 00:30 to 02:15 on 02/12/2026 (Vietnam), that is 17:30–19:15 on 01/12 in UTC."""
    meeting = make_meeting(
        world.cell, month=DAY, day=2, at=EARLY, status=MeetingStatus.CLOSED,
        chair=world.secretary_member, minute_taker=world.member, closed_at=vn(2026, 12, 2, 2, 15),
    )  # fmt: skip
    add_attendance(meeting, {world.secretary_member.pk: "present", world.member.pk: "present"})
    return meeting


def test_minutes_pdf_and_docx_carry_the_vietnam_day_and_time(early_meeting, client_for) -> None:
    client = client_for("secretary")
    pdf = client.get(reverse("meetings:minutes_pdf", args=[early_meeting.pk]))
    docx_file = client.get(reverse("meetings:minutes_docx", args=[early_meeting.pk]))
    assert pdf.status_code == docx_file.status_code == 200
    for text in (pdf_text(pdf.content), docx_text(docx_file.content)):
        assert "Hồi 00 giờ 30 phút, ngày 02 tháng 12 năm 2026" in text
        assert "kết thúc hồi 02 giờ 15 phút cùng ngày" in text
        assert "ngày 01 tháng 12" not in text


def test_xlsx_meeting_day_is_the_vietnam_day(early_meeting, world: World, client_for) -> None:
    response = client_for("secretary").get(reverse("meetings:stats_xlsx", args=[world.cell.pk]) + "?month=2026-12")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["Buoi sinh hoat"].iter_rows(values_only=True))
    assert rows[1][0] == "02/12/2026"  # a dd/mm/yyyy text


def test_notification_and_mail_carry_the_vietnam_time(world: World, settings, django_capture_on_commit_callbacks) -> None:
    settings.CHIBO_NOTIFY_CHANNELS = ["inapp", "email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.member.email = "hong.dang@example.vn"
    world.member.save(update_fields=["email"])
    with time_machine.travel(vn(2026, 11, 25, 9, 0), tick=False):
        meeting = prep.meeting_create(
            actor=world.users["secretary"], cell=world.cell, month=DAY, starts_at=vn(2026, 12, 2, 0, 30), place="Nhà văn hóa"
        )
        with django_capture_on_commit_callbacks(execute=True):
            prep.meeting_publish(actor=world.users["secretary"], meeting=meeting)
    bodies = [n.body for n in Notification.objects.filter(meeting=meeting)] + [m.body for m in mail.outbox]
    assert len(bodies) >= 2 and len(mail.outbox) == 1
    for body in bodies:
        assert "Thời gian: 00:30 02/12/2026" in body


def test_api_datetimes_carry_the_vietnam_offset(world: World, client_for) -> None:
    from rest_framework.test import APIClient

    with time_machine.travel(vn(2026, 12, 2, 0, 30), tick=False):
        member = make_member(world.cell, given_name="Mới", born=dt.date(1979, 1, 1))
    client = APIClient()
    client.force_authenticate(world.users["secretary"])
    data = client.get(reverse("api:member-detail", args=[member.pk])).json()
    assert data["created_at"] == "2026-12-02T00:30:00+07:00"
    assert data["updated_at"] == "2026-12-02T00:30:00+07:00"
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "+07:00" in schema


def test_vn_helper_is_vietnam_wall_clock() -> None:
    assert vn(2026, 12, 2, 0, 30) == dt.datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert vn(2026, 12, 2).tzinfo is VN


def test_history_shows_stored_moments_in_vietnam_time() -> None:
    from chibo.core.audit import display_value, jsonable

    stored = jsonable(dt.datetime(2026, 12, 1, 17, 30, tzinfo=UTC))  # as an audit row keeps it
    assert display_value(stored) == "02/12/2026 00:30"
    assert display_value("2026-12-02") == "02/12/2026"
    assert display_value("2026-12-02Tkhông phải giờ") == "2026-12-02Tkhông phải giờ"


def test_the_session_clock_option_needs_an_offset() -> None:
    from tests.conftest import parse_clock

    assert parse_clock("2026-12-31T23:30:00+07:00") == dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert parse_clock("2026-12-31T16:30:00Z") == dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    with pytest.raises(pytest.UsageError, match="offset"):
        parse_clock("2026-12-31T23:30:00")
    with pytest.raises(pytest.UsageError, match="ISO 8601"):
        parse_clock("31/12/2026 23:30")


def test_named_session_clocks_are_the_edges_of_the_month_in_vietnam() -> None:
    from tests.conftest import named_clock

    vn = dt.timezone(dt.timedelta(hours=7))
    assert named_clock("month-end", today=dt.date(2026, 12, 1)) == dt.datetime(2026, 12, 31, 23, 30, tzinfo=vn)
    assert named_clock("month-start", today=dt.date(2026, 12, 1)) == dt.datetime(2027, 1, 1, 0, 30, tzinfo=vn)
    assert named_clock("month-end", today=dt.date(2027, 2, 14)) == dt.datetime(2027, 2, 28, 23, 30, tzinfo=vn)
    assert named_clock("month-start", today=dt.date(2028, 2, 29)) == dt.datetime(2028, 3, 1, 0, 30, tzinfo=vn)
    assert named_clock("year-end", today=dt.date(2027, 3, 5)) == dt.datetime(2027, 12, 31, 23, 30, tzinfo=vn)
    assert named_clock("year-start", today=dt.date(2027, 3, 5)) == dt.datetime(2028, 1, 1, 0, 30, tzinfo=vn)
