"""Demo meetings (`chibo demo`): 24 months per cell, the coming meeting, and statistics that match the rows."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from chibo.accounts.models import User
from chibo.core.access import today
from chibo.core.dates import local_date
from chibo.demo.build import build
from chibo.demo.meetings import window
from chibo.meetings.models import (
    REGULAR_KINDS,
    Attendance,
    Meeting,
    MeetingStatus,
    QualityAssessment,
    Resolution,
    UpperAssignment,
    Vote,
)
from chibo.meetings.selectors_stats import HELD_STATUSES, month_end, total_figures
from chibo.members.models import Membership, StatusPeriod
from chibo.orgs.models import CELL_KINDS
from chibo.orgs.selectors import versions_on


@pytest.fixture
def district(db):
    build(scale="district", seed=1)


def test_every_active_cell_has_24_months_of_meetings(district):
    months, coming = window(today(), 24)
    cells = set(versions_on(today()).filter(kind__in=CELL_KINDS).values_list("org_id", flat=True))
    by_cell: dict[int, set[dt.date]] = defaultdict(set)
    for org_id, month in Meeting.objects.filter(kind__in=REGULAR_KINDS).values_list("org_id", "month"):
        by_cell[org_id].add(month)
    assert set(by_cell) >= cells
    for org_id in cells:
        held = by_cell[org_id]
        assert held <= set(months) | {coming}, org_id
        assert len(held & set(months)) >= 21, (org_id, len(held))  # a few cells miss a month
    assert min(m for ms in by_cell.values() for m in ms) == months[0]
    # Past meetings are approved; a thematic or combined meeting most quarters; a few moved, a few late.
    past = Meeting.objects.filter(month__lte=months[-1])
    assert not past.exclude(status=MeetingStatus.APPROVED).exists()
    assert past.filter(kind__in=["thematic", "combined"]).values("org_id").distinct().count() >= 0.85 * len(cells)
    assert past.exclude(moved_reason="").exists() and past.filter(published_late=True).exists()
    assert UpperAssignment.objects.filter(attended=True).count() >= 0.25 * past.filter(kind__in=REGULAR_KINDS).count()


def test_attendance_follows_membership_and_status(district):
    rows = list(
        Attendance.objects.select_related("meeting").filter(meeting__status=MeetingStatus.APPROVED).order_by("id")[::37]
    )
    assert rows
    for row in rows:
        day = row.meeting.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
        assert Membership.objects.filter(member_id=row.member_id, org_id=row.meeting.org_id, valid_from__lte=day, valid_to__gt=day).exists()
        status = StatusPeriod.objects.get(member_id=row.member_id, valid_from__lte=day, valid_to__gt=day).status
        assert row.standing == status
    counts = dict(Attendance.objects.values_list("status").annotate(n=Count("id")))
    expected = Attendance.objects.filter(standing__in=["official", "probationary"])
    rate = expected.filter(status="present").count() / expected.count()
    assert 0.86 <= rate <= 0.96
    assert counts["excused"] > 10 * counts.get("unexcused", 0) > 0
    assert Attendance.objects.filter(standing="temp_out", status="").exists()


def _streak(meeting: Meeting, member_id: int) -> int:
    """Consecutive excused absences of a member up to this meeting, in its year, recounted from the rows."""
    year = meeting.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7))).year
    statuses = (
        Attendance.objects.filter(
            member_id=member_id, meeting__org_id=meeting.org_id, meeting__month__year=year,
            meeting__starts_at__lte=meeting.starts_at,
        )
        .exclude(meeting__kind="committee")
        .order_by("-meeting__starts_at")
        .values_list("status", flat=True)
    )
    streak = 0
    for status in statuses:
        if status != "excused":
            break
        streak += 1
    return streak


def test_resolutions_votes_and_quality_follow_the_rules(district):
    """Recounted from the attendance rows with plain queries, not with chibo.meetings.rules."""
    sampled = 0
    for resolution in Resolution.objects.select_related("meeting").order_by("id")[::53]:
        meeting = resolution.meeting
        att = Attendance.objects.filter(meeting=meeting)
        # Vote base: official members not excused, and exempted members who came.
        in_base = att.filter(Q(standing="official") & ~Q(status="excused") | Q(standing="exempted", status="present"))
        base = in_base.count()
        assert resolution.vote_base == base
        # Only official (or exempted) members who are present vote.
        voters = Vote.objects.filter(resolution=resolution).values_list("member_id", flat=True)
        assert set(voters) <= set(att.filter(standing__in=["official", "exempted"], status="present").values_list("member_id", flat=True))
        agree = Vote.objects.filter(resolution=resolution, choice="agree").count()
        assert resolution.votes_agree == agree
        assert resolution.adopted == (base > 0 and 2 * agree > base)
        # Quality: attendance of official and probationary members above 85%, no unexcused absence, no streak over 3.
        expected = att.filter(standing__in=["official", "probationary"])
        total, present = expected.count(), expected.filter(status="present").count()
        quality = QualityAssessment.objects.get(meeting=meeting)
        assert abs(quality.attendance_rate - Decimal(100 * present) / Decimal(total)) <= Decimal("0.005")
        assert quality.attendance_ok == (100 * present > 85 * total)
        assert quality.no_unexcused == (not expected.filter(status="unexcused").exists())
        excused = expected.filter(status="excused").values_list("member_id", flat=True)
        assert quality.no_repeat_excused == all(_streak(meeting, member_id) <= 3 for member_id in excused)
        sampled += 1
    assert sampled >= 5
    assert Resolution.objects.filter(adopted=True).count() >= 0.98 * Resolution.objects.count()
    # Numbered within the term: unique, consecutive in date order, from 01 in the 2025–2030 term.
    by_term: dict[int, list[int]] = defaultdict(list)
    numbered = Resolution.objects.filter(number__isnull=False)  # a resolution takes its number when a vote adopts it
    for term_id, number in numbered.order_by("meeting__starts_at").values_list("term_id", "number"):
        by_term[term_id].append(number)
    for numbers in by_term.values():
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert Resolution.objects.filter(term__name="2025–2030", number=1).exists()


def test_the_persona_cell_has_its_coming_meeting_published(district):
    _months, coming = window(today(), 24)
    bithu = User.objects.get(username="bithu")
    cell = bithu.grants.get().org
    meeting = Meeting.objects.get(org=cell, month=coming)
    assert meeting.status == MeetingStatus.PUBLISHED
    assert local_date(meeting.starts_at) >= today() - dt.timedelta(days=1) and meeting.checkin_code and meeting.draft_resolution
    assert meeting.agenda.count() >= 8 and meeting.chair_id == bithu.member_id
    assert not meeting.attendance.exists()
    canboxa = User.objects.get(username="canboxa")
    months = set(UpperAssignment.objects.filter(attendee=canboxa, cell=cell).values_list("month", flat=True))
    assert coming in months and len(months) >= 4


def test_month_statistics_match_the_rows(district):
    months, _coming = window(today(), 24)
    month = months[-3]
    on = month_end(month)
    root = versions_on(on).get(parent__isnull=True)
    figures = total_figures(path=root.path, month=month, on=on)
    cells = set(versions_on(on).filter(kind__in=CELL_KINDS).values_list("org_id", flat=True))
    meetings = Meeting.objects.filter(month=month, org_id__in=cells).exclude(kind="committee")
    held = meetings.filter(status__in=HELD_STATUSES)
    att = Attendance.objects.filter(meeting__in=held)
    expected = att.filter(standing__in=["official", "probationary"])
    assert figures.cells_expected == len(cells)
    assert figures.cells_met == held.filter(kind__in=REGULAR_KINDS).values("org_id").distinct().count() > 0.95 * len(cells)
    assert figures.meetings == meetings.count() and figures.meetings_held == held.count()
    assert figures.expected == expected.count() and figures.present == expected.filter(status="present").count()
    assert figures.absent_excused == att.filter(status="excused").count()
    assert figures.absent_without_reason == att.filter(status="unexcused").count()
    assert figures.published_late == meetings.filter(published_late=True).count()
    assert figures.cells_upper_attended == UpperAssignment.objects.filter(month=month, attended=True, cell_id__in=cells).values("cell_id").distinct().count()
    assert figures.quality_assessed == QualityAssessment.objects.filter(meeting__in=meetings).count() == meetings.count()

    out = StringIO()
    call_command("stats", "--json", "--month", f"{month:%Y-%m}", stdout=out)
    data = json.loads(out.getvalue())["meetings"]
    assert data["cells_met"] == figures.cells_met and data["present"] == figures.present and data["expected"] == figures.expected


def test_a_small_province_includes_meetings(db):
    build(scale="province", seed=1, factor=0.02)
    months, _coming = window(today(), 12)
    assert set(Meeting.objects.values_list("month", flat=True).distinct()) >= set(months)
    cells = versions_on(today()).filter(kind__in=CELL_KINDS).count()
    assert Meeting.objects.filter(month=months[-1], kind__in=REGULAR_KINDS).count() > 0.95 * cells
    assert Attendance.objects.count() > 10 * Meeting.objects.count()
