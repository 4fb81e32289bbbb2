"""Reads for the meeting itself: attendance list and validity, minutes, resolution, quality."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.dates import local_date
from chibo.meetings import rules
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    CellTerm,
    Correction,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QualityAssessment,
    Resolution,
)
from chibo.meetings.selectors_prep import term_on

# Shown apart on the attendance list: they are not expected at the meeting.
APART_STANDINGS = ("exempted", "temp_out", "suspended")


def as_row(attendance: Attendance) -> rules.Row:
    return rules.Row(member_id=attendance.member_id, standing=attendance.standing, status=attendance.status)


def attendance_list(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__given_name", "member__surname", "member__middle_name", "member_id")
    )


def rule_rows(meeting: Meeting) -> list[rules.Row]:
    return [rules.Row(member_id=m, standing=s, status=st) for m, s, st in Attendance.objects.filter(meeting=meeting).values_list("member_id", "standing", "status")]


def meeting_validity(meeting: Meeting) -> rules.Validity:
    return rules.validity(rule_rows(meeting))


@dataclass
class AttendanceView:
    rows: list[Attendance]
    main: list[Attendance] = field(default_factory=list)
    apart: list[Attendance] = field(default_factory=list)
    validity: rules.Validity | None = None
    counts: dict[str, int] = field(default_factory=dict)
    guests: list[Guest] = field(default_factory=list)


def attendance_view(meeting: Meeting) -> AttendanceView:
    rows = attendance_list(meeting)
    view = AttendanceView(rows=rows)
    view.main = [r for r in rows if r.standing not in APART_STANDINGS]
    view.apart = [r for r in rows if r.standing in APART_STANDINGS]
    view.validity = rules.validity(as_row(r) for r in rows)
    view.counts = {
        "total": len(rows),
        "official": sum(1 for r in rows if r.standing == "official"),
        "probationary": sum(1 for r in rows if r.standing == "probationary"),
        "exempted": sum(1 for r in rows if r.standing == "exempted"),
        "temp_out": sum(1 for r in rows if r.standing == "temp_out"),
        "present": sum(1 for r in rows if r.status == rules.PRESENT),
        "excused": sum(1 for r in rows if r.status == rules.EXCUSED),
        "unexcused": sum(1 for r in rows if r.status == rules.UNEXCUSED),
        "unmarked": sum(1 for r in view.main if not r.status),
    }
    view.guests = list(Guest.objects.filter(meeting=meeting).order_by("id"))
    return view


def own_attendance(meeting: Meeting, member_id: int | None) -> Attendance | None:
    if not member_id:
        return None
    return Attendance.objects.filter(meeting=meeting, member_id=member_id).first()


def resolution_for(meeting: Meeting) -> Resolution | None:
    return Resolution.objects.filter(meeting=meeting).select_related("term").first()


def eligible_voters(meeting: Meeting) -> list[Attendance]:
    return [a for a in attendance_list(meeting) if rules.can_vote(as_row(a))]


def agenda_with_speeches(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).prefetch_related("speeches").order_by("position"))


def corrections(meeting: Meeting) -> list[Correction]:
    return list(Correction.objects.filter(meeting=meeting).select_related("made_by").order_by("number"))


def minutes(meeting: Meeting) -> dict[str, Any]:
    view = attendance_view(meeting)
    absentees = [r for r in view.rows if r.status in (rules.EXCUSED, rules.UNEXCUSED)]
    expected = [r for r in view.rows if rules.expected(as_row(r))]
    return {
        "att": view,
        "absentees": absentees,
        "present_count": view.counts["present"],
        "expected_count": len(expected),
        "agenda": agenda_with_speeches(meeting),
        "resolution": resolution_for(meeting),
        "corrections": corrections(meeting),
    }


def votes_by_member(resolution: Resolution | None) -> dict[int, str]:
    if resolution is None:
        return {}
    return dict(resolution.votes.values_list("member_id", "choice"))


def excused_streaks(meeting: Meeting) -> dict[int, int]:
    """For each expected member: consecutive excused absences in the meeting's calendar year, up to and
    including this meeting, over the cell's meetings (chi ủy meetings left out). 0 when not excused now."""
    rows = [r for r in rule_rows(meeting) if rules.expected(r)]
    streaks: dict[int, int] = {r.member_id: (1 if r.status == rules.EXCUSED else 0) for r in rows}
    open_ids = {m for m, n in streaks.items() if n}
    if not open_ids:
        return streaks
    year = timezone.localtime(meeting.starts_at).year
    earlier = list(
        Meeting.objects.filter(org_id=meeting.org_id, starts_at__lt=meeting.starts_at, month__year=year)
        .exclude(kind=MeetingKind.COMMITTEE)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .values_list("pk", flat=True)
    )
    statuses: dict[tuple[int, int], str] = {
        (mid, mt): st
        for mid, mt, st in Attendance.objects.filter(meeting_id__in=earlier, member_id__in=open_ids).values_list("member_id", "meeting_id", "status")
    }
    for member_id in open_ids:
        for meeting_id in earlier:
            status = statuses.get((member_id, meeting_id))
            if status is None:
                continue  # not on that meeting's list (not yet in the cell): no break in the streak
            if status != rules.EXCUSED:
                break
            streaks[member_id] += 1
    return streaks


def term_for(meeting: Meeting) -> CellTerm | None:
    """The cell's recorded term covering the meeting's day (Vietnam date), or None."""
    return term_on(org_id=meeting.org_id, day=local_date(meeting.starts_at))


def needs_term(meeting: Meeting) -> bool:
    """True when an adoption would be refused for want of a term (warn on the meeting's pages first)."""
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.OPEN, MeetingStatus.CLOSED):
        return False
    return term_for(meeting) is None


def duration_minutes(meeting: Meeting) -> int | None:
    """How long the meeting lasted, in whole minutes (None until it closed)."""
    if meeting.opened_at is None or meeting.closed_at is None:
        return None
    return int((meeting.closed_at - meeting.opened_at).total_seconds() // 60)


def quality_for(meeting: Meeting) -> QualityAssessment | None:
    return QualityAssessment.objects.filter(meeting=meeting).first()


def correction_targets(meeting: Meeting) -> list[tuple[str, str, str]]:
    """(target, label, current text) for everything in the minutes and resolution a correction may change."""
    out: list[tuple[str, str, str]] = []
    resolution = resolution_for(meeting)
    if resolution is not None:
        out.append(("resolution.title", _("Nghị quyết: tiêu đề"), resolution.title))
        out.append(("resolution.preamble", _("Nghị quyết: phần mở đầu"), resolution.preamble))
        out.extend(
            (f"resolution.item.{item.position}", _("Nghị quyết: mục %(n)s") % {"n": item.position}, item.text) for item in resolution.items.all()
        )
    for agenda in agenda_with_speeches(meeting):
        out.append((f"agenda.{agenda.pk}.conclusion", _("Biên bản: kết luận “%(t)s”") % {"t": agenda.title}, agenda.conclusion))
        out.extend(
            (f"speech.{s.pk}.text", _("Biên bản: phát biểu của %(n)s (%(t)s)") % {"n": s.speaker_name, "t": agenda.title}, s.text)
            for s in agenda.speeches.all()
        )
    out.extend(
        (f"attendance.{r.member_id}.reason", _("Biên bản: lý do vắng của %(n)s") % {"n": r.member.full_name}, r.reason)
        for r in attendance_list(meeting)
        if r.status in (rules.EXCUSED, rules.UNEXCUSED)
    )
    return out
