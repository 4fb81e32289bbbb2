"""The counting rules of a meeting at their edges, for vote bases of 1 to 9 (domain.md §3).

Every expected value below is written by hand from the rule's text, never computed with chibo.meetings.rules:
- validity (Charter Art. 9.5; 24-QĐ/TW §9.3): more than half of the base present;
- adoption: more than half of the base (not of those present) agree;
- vote base: official members summoned, minus those temporarily transferred out, suspended, absent
  exempted members (present ones count) and members absent with an approved reason;
- quality (12-HD/BTCTW §3.1): attendance above 85% of the official and probationary members; no absence
  without reason; no member absent with reason more than 3 times in a row in the year.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from chibo.meetings.rules import Row, adopted, attendance_rate, can_vote, quality, validity


def _rows(*, official_present: int = 0, official_unexcused: int = 0, official_excused: int = 0, official_unrecorded: int = 0,
          exempted_present: int = 0, exempted_absent: int = 0, probationary_present: int = 0, probationary_absent: int = 0,
          temp_out: int = 0, suspended: int = 0) -> list[Row]:
    groups = [
        ("official", "present", official_present),
        ("official", "unexcused", official_unexcused),
        ("official", "excused", official_excused),
        ("official", "", official_unrecorded),
        ("exempted", "present", exempted_present),
        ("exempted", "excused", exempted_absent),
        ("probationary", "present", probationary_present),
        ("probationary", "excused", probationary_absent),
        ("temp_out", "", temp_out),
        ("suspended", "", suspended),
    ]
    rows: list[Row] = []
    for standing, status, count in groups:
        rows += [Row(member_id=len(rows) + i + 1, standing=standing, status=status) for i in range(count)]
    return rows


# base → the fewest present members (and agreeing votes) that are more than half of it
MORE_THAN_HALF = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4, 8: 5, 9: 5}

# (base, present, valid): at each base, one short of more than half, and exactly more than half
VALIDITY = [
    (1, 0, False), (1, 1, True),
    (2, 1, False), (2, 2, True),
    (3, 1, False), (3, 2, True),
    (4, 2, False), (4, 3, True),
    (5, 2, False), (5, 3, True),
    (6, 3, False), (6, 4, True),
    (7, 3, False), (7, 4, True),
    (8, 4, False), (8, 5, True),
    (9, 4, False), (9, 5, True),
]


@pytest.mark.parametrize(("base", "present", "valid"), VALIDITY)
def test_validity_needs_more_than_half_of_the_base(base, present, valid):
    # The absent are unexcused: they stay in the base.
    result = validity(_rows(official_present=present, official_unexcused=base - present))
    assert (result.base, result.present_in_base, result.valid) == (base, present, valid)
    assert result.needed == MORE_THAN_HALF[base]


def test_no_base_is_never_valid():
    assert validity([]).valid is False
    assert validity(_rows(official_excused=3, probationary_present=2)).valid is False


# (base, agree, adopted)
ADOPTION = [
    (1, 0, False), (1, 1, True),
    (2, 1, False), (2, 2, True),
    (3, 1, False), (3, 2, True),
    (4, 2, False), (4, 3, True),
    (5, 2, False), (5, 3, True),
    (6, 3, False), (6, 4, True),
    (7, 3, False), (7, 4, True),
    (8, 4, False), (8, 5, True),
    (9, 4, False), (9, 5, True),
]


@pytest.mark.parametrize(("base", "agree", "result"), ADOPTION)
def test_adoption_needs_more_than_half_of_the_base_agreeing(base, agree, result):
    assert adopted(agree=agree, base=base) is result


def test_adoption_counts_the_base_not_those_present():
    # Base 9, 5 present, all 5 agree: adopted (5 of 9). Base 9, 5 present, 4 agree: not (4 of 9 is not more than half).
    assert adopted(agree=5, base=9) is True
    assert adopted(agree=4, base=9) is False
    assert adopted(agree=0, base=0) is False


# (rows, base, present in the base, voters): each base from 1 to 9 built from a different mix
VOTE_BASE = [
    (dict(official_present=1), 1, 1, 1),
    (dict(official_present=1, official_excused=1, temp_out=1), 1, 1, 1),
    (dict(official_present=1, official_unexcused=1, probationary_present=2), 2, 1, 1),
    (dict(official_present=1, exempted_present=1, exempted_absent=3), 2, 2, 2),
    (dict(official_present=2, official_unrecorded=1, suspended=1), 3, 2, 2),
    (dict(official_present=2, official_unexcused=1, exempted_present=1, official_excused=2), 4, 3, 3),
    (dict(official_present=3, official_unexcused=2, temp_out=2, probationary_absent=1), 5, 3, 3),
    (dict(official_present=4, exempted_present=2, exempted_absent=1, official_excused=1), 6, 6, 6),
    (dict(official_present=3, official_unexcused=4, probationary_present=3, suspended=1), 7, 3, 3),
    (dict(official_present=5, official_unexcused=2, exempted_present=1, official_excused=3, temp_out=1), 8, 6, 6),
    (dict(official_present=6, official_unexcused=1, official_unrecorded=1, exempted_present=1, probationary_present=1), 9, 7, 7),
]


@pytest.mark.parametrize(("mix", "base", "present", "voters"), VOTE_BASE)
def test_vote_base(mix, base, present, voters):
    rows = _rows(**mix)
    result = validity(rows)
    assert (result.base, result.present_in_base) == (base, present)
    assert sum(1 for row in rows if can_vote(row)) == voters


def test_who_votes():
    assert can_vote(Row(1, "official", "present")) is True
    assert can_vote(Row(1, "exempted", "present")) is True  # an exempted member who attends counts and votes
    assert can_vote(Row(1, "probationary", "present")) is False
    assert can_vote(Row(1, "official", "excused")) is False
    assert can_vote(Row(1, "temp_out", "present")) is False
    assert can_vote(Row(1, "suspended", "present")) is False


# (expected members, present, rate, above 85%): for 1 to 9 expected members, the edge of the benchmark
ATTENDANCE = [
    (1, 0, "0.00", False), (1, 1, "100.00", True),
    (2, 1, "50.00", False), (2, 2, "100.00", True),
    (3, 2, "66.67", False), (3, 3, "100.00", True),
    (4, 3, "75.00", False), (4, 4, "100.00", True),
    (5, 4, "80.00", False), (5, 5, "100.00", True),
    (6, 5, "83.33", False), (6, 6, "100.00", True),
    (7, 5, "71.43", False), (7, 6, "85.71", True),
    (8, 6, "75.00", False), (8, 7, "87.50", True),
    (9, 7, "77.78", False), (9, 8, "88.89", True),
]


@pytest.mark.parametrize(("expected", "present", "rate", "ok"), ATTENDANCE)
def test_attendance_above_85_percent(expected, present, rate, ok):
    # Half the expected are probationary where possible; the absent had a reason.
    probationary = expected // 2
    rows = _rows(
        official_present=min(present, expected - probationary),
        probationary_present=max(0, present - (expected - probationary)),
        official_excused=max(0, expected - probationary - present),
        probationary_absent=probationary - max(0, present - (expected - probationary)),
        # left out of the rate: exempted, temporarily transferred, suspended
        exempted_present=1, exempted_absent=1, temp_out=1, suspended=1,
    )
    assert attendance_rate(rows) == Decimal(rate)
    result = quality(rows, excused_streaks={})
    assert (result.attendance_rate, result.attendance_ok) == (Decimal(rate), ok)
    assert result.no_unexcused is True


def test_exactly_85_percent_is_not_above(settings):
    settings.CHIBO_QUALITY_ATTENDANCE_PERCENT = 80
    # 4 of 5 is exactly 80%: not above the (here lowered) benchmark.
    rows = _rows(official_present=4, official_excused=1)
    assert quality(rows, excused_streaks={}).attendance_ok is False
    settings.CHIBO_QUALITY_ATTENDANCE_PERCENT = 85
    assert quality(_rows(official_present=17, official_excused=3), excused_streaks={}).attendance_ok is False  # 85.00%


@pytest.mark.parametrize(
    ("mix", "no_unexcused"),
    [
        (dict(official_present=9), True),
        (dict(official_present=8, official_unexcused=1), False),
        (dict(official_present=8, official_excused=1), True),
        (dict(official_present=8, exempted_absent=1), True),  # exempted: left out
        (dict(official_present=8, temp_out=1), True),
    ],
)
def test_no_absence_without_reason(mix, no_unexcused):
    assert quality(_rows(**mix), excused_streaks={}).no_unexcused is no_unexcused


@pytest.mark.parametrize(("streak", "ok"), [(0, True), (1, True), (2, True), (3, True), (4, False), (9, False)])
def test_excused_more_than_3_times_in_a_row(streak, ok):
    rows = _rows(official_present=8, official_excused=1)
    assert quality(rows, excused_streaks={9: streak, 1: 0}).no_repeat_excused is ok
