"""Working days: weekends and the public holidays of the setting are skipped."""

from __future__ import annotations

import datetime as dt

from chibo.core.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_are_skipped() -> None:
    assert add_working_days(dt.date(2026, 6, 5), 1) == dt.date(2026, 6, 8)  # Friday → Monday
    assert add_working_days(dt.date(2026, 6, 6), 0) == dt.date(2026, 6, 8)  # Saturday, no days: next working day


def test_a_deadline_landing_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Without holidays, 15 working days from Monday 06/04/2026 is Monday 27/04, the Hùng Kings day made up.
    assert not is_working_day(dt.date(2026, 4, 27))
    assert add_working_days(dt.date(2026, 4, 6), 15) == dt.date(2026, 4, 28)


def test_tet_counts_no_working_days(settings) -> None:
    assert working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 23)) == 1  # only Monday 23/02
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)


def test_between_inverts_add(settings) -> None:
    start = dt.date(2025, 12, 24)
    for n in (0, 1, 5, 15, 40):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(dt.date(2026, 1, 5), dt.date(2026, 1, 1)) == 0


def test_holidays_come_from_the_setting(settings) -> None:
    settings.CHIBO_PUBLIC_HOLIDAYS = ["2026-06-08"]
    assert add_working_days(dt.date(2026, 6, 5), 1) == dt.date(2026, 6, 9)
    settings.CHIBO_PUBLIC_HOLIDAYS = []
    assert add_working_days(dt.date(2026, 4, 6), 15) == dt.date(2026, 4, 27)
