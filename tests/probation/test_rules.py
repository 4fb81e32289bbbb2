import datetime as dt

import pytest

from chibo.core.workdays import add_working_days
from chibo.probation import rules

D = dt.date


@pytest.mark.parametrize(
    ("admitted", "end"),
    [
        (D(2025, 3, 15), D(2026, 3, 15)),  # the same day 12 months later
        (D(2024, 2, 29), D(2025, 2, 28)),  # no 29/02 next year: the month's last day
        (D(2023, 2, 28), D(2024, 2, 28)),  # a leap year after: still the 28th
        (D(2025, 1, 31), D(2026, 1, 31)),
        (D(2025, 12, 31), D(2026, 12, 31)),
        (D(2026, 1, 1), D(2027, 1, 1)),
    ],
)
def test_probation_ends_on_the_same_day_twelve_months_later(admitted, end):
    assert rules.probation_end(admitted) == end


def test_admitted_by_is_the_latest_ceremony_ending_by_a_day():
    """The query filter agrees with probation_end on every day of two years (month ends, 29/02)."""
    day = D(2024, 1, 1)
    while day < D(2026, 1, 1):
        cutoff = rules.admitted_by(day)
        assert rules.probation_end(cutoff) <= day < rules.probation_end(cutoff + dt.timedelta(days=1))
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("yes", "official", "passed"),
    [(2, 3, True), (1, 3, False), (4, 6, True), (3, 6, False), (6, 9, True), (5, 9, False), (7, 10, True), (6, 10, False), (0, 0, False), (1, 1, True)],
)
def test_two_thirds_of_the_official_members(yes, official, passed):
    assert rules.passes(yes_votes=yes, official_members=official) is passed


def test_overdue_cutoff_agrees_with_the_deadline():
    today = D(2026, 6, 15)
    last = rules.latest_with_deadline_before(today, rules.vote_deadline)
    assert rules.vote_deadline(last) < today <= rules.vote_deadline(last + dt.timedelta(days=1))
    assert rules.vote_deadline(last) == add_working_days(last, 30)
