"""The counting rules of a cell meeting, as pure functions (domain.md §3, all HIGH).

- Vote base (Charter Art. 9.5; 24-QĐ/TW §9.3): official members summoned, minus those temporarily
  transferred out, suspended, exempted and absent, or absent with an approved reason. Exempted
  members who attend count.
- A meeting can decide when more than half of the base is present; a resolution is adopted when
  more than half of the base agrees. Only official members present vote.
- Quality (12-HD/BTCTW §3.1): attendance above 85%; no absence without reason; no member absent
  with reason more than 3 times in a row in a year. Exempted and temporarily transferred members
  are left out of the attendance rate.
- Length (42-HD/BTCTW): at least 90 minutes, 120 for a regular meeting combined with a thematic
  one (settings ``CHIBO_MEETING_MIN_MINUTES``, ``CHIBO_MEETING_MIN_MINUTES_COMBINED``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

PRESENT, EXCUSED, UNEXCUSED = "present", "excused", "unexcused"


@dataclass(frozen=True)
class Row:
    """One member's line for a meeting: their standing that day and their attendance status."""

    member_id: int
    standing: str  # official | probationary | exempted | temp_out | suspended
    status: str  # present | excused | unexcused | "" (not recorded yet)


def counts_in_base(row: Row) -> bool:
    if row.standing == "official":
        return row.status != EXCUSED
    if row.standing == "exempted":
        return row.status == PRESENT
    return False


def can_vote(row: Row) -> bool:
    return row.standing in ("official", "exempted") and row.status == PRESENT


@dataclass(frozen=True)
class Validity:
    base: int
    present_in_base: int
    valid: bool
    needed: int  # present members needed for validity (more than half)


def validity(rows: Iterable[Row]) -> Validity:
    rows = list(rows)
    base = sum(1 for r in rows if counts_in_base(r))
    present = sum(1 for r in rows if counts_in_base(r) and r.status == PRESENT)
    needed = base // 2 + 1
    return Validity(base=base, present_in_base=present, valid=base > 0 and present * 2 > base, needed=needed)


def adopted(*, agree: int, base: int) -> bool:
    return base > 0 and agree * 2 > base


def expected(row: Row) -> bool:
    """Members expected to attend, for the attendance rate."""
    return row.standing in ("official", "probationary")


def attendance_rate(rows: Iterable[Row]) -> Decimal:
    rows = [r for r in rows if expected(r)]
    if not rows:
        return Decimal("0.00")
    present = sum(1 for r in rows if r.status == PRESENT)
    return (Decimal(present) * 100 / Decimal(len(rows))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Quality:
    attendance_rate: Decimal
    attendance_ok: bool
    no_unexcused: bool
    no_repeat_excused: bool


def quality(rows: Iterable[Row], *, excused_streaks: dict[int, int]) -> Quality:
    """``excused_streaks``: for each member, consecutive excused absences this year up to this meeting."""
    rows = list(rows)
    rate = attendance_rate(rows)
    threshold = Decimal(str(getattr(settings, "CHIBO_QUALITY_ATTENDANCE_PERCENT", 85)))
    max_streak = getattr(settings, "CHIBO_QUALITY_MAX_EXCUSED_STREAK", 3)
    return Quality(
        attendance_rate=rate,
        attendance_ok=rate > threshold,
        no_unexcused=not any(r.status == UNEXCUSED for r in rows if expected(r)),
        no_repeat_excused=all(n <= max_streak for n in excused_streaks.values()),
    )


# Length (42-HD/BTCTW, HIGH): at least 90 minutes; 120 when the regular meeting is combined with a
# thematic one. A shorter meeting is flagged, not refused.


def min_minutes(kind: str) -> int:
    if kind == "combined":
        return int(getattr(settings, "CHIBO_MEETING_MIN_MINUTES_COMBINED", 120))
    return int(getattr(settings, "CHIBO_MEETING_MIN_MINUTES", 90))


def under_length(*, kind: str, opened_at: dt.datetime, closed_at: dt.datetime) -> bool:
    """True when the meeting lasted less than its minimum (exactly the minimum is enough)."""
    return closed_at - opened_at < dt.timedelta(minutes=min_minutes(kind))
