"""The amount of a month at the edges of each rule."""

from __future__ import annotations

import datetime as dt

import pytest

from chibo.dues import rates

D = dt.date


BORN, ADMITTED = D(1985, 2, 1), D(2005, 3, 2)


def other(month: dt.date, *, region: str = "I", born: dt.date = BORN, sex: str = "female", admitted: dt.date = ADMITTED, **kw):
    return rates.compute(category="other", base_vnd=None, month=month, region=region, born=born, sex=sex, admitted_on=admitted, **kw)


def test_months_spanned_and_age_in_months_edges() -> None:
    assert rates.months_spanned(D(2026, 1, 1), D(2026, 12, 1)) == 12
    assert rates.months_spanned(D(2026, 1, 1), D(2027, 1, 1)) == 13
    assert rates.months_spanned(D(2026, 5, 1), D(2026, 5, 1)) == 1
    assert rates.age_in_months(D(1966, 3, 15), D(2026, 3, 15)) == 720
    assert rates.age_in_months(D(1966, 3, 15), D(2026, 3, 14)) == 719
    assert rates.age_in_months(D(2000, 1, 31), D(2000, 2, 29)) == 1  # the month's last day counts as reached
    assert rates.age_in_months(D(2000, 1, 31), D(2000, 2, 28)) == 0


def test_salary_pension_student() -> None:
    kw = {"region": "I", "born": D(1985, 2, 1), "sex": "male", "admitted_on": D(2005, 3, 2)}
    salary = rates.compute(category="salary", base_vnd=8_500_000, month=D(2026, 3, 1), **kw)
    assert (salary.gross_vnd, salary.amount_vnd, salary.rate, salary.rate_since) == (85_000, 85_000, 100, D(2026, 1, 1))
    assert rates.compute(category="salary", base_vnd=8_512_345, month=D(2026, 3, 1), **kw).amount_vnd == 86_000  # 85,123.45 rounded up
    assert rates.compute(category="pension", base_vnd=6_000_000, month=D(2026, 3, 1), **kw).amount_vnd == 30_000
    student = rates.compute(category="student", base_vnd=None, month=D(2026, 3, 1), **kw)
    assert (student.amount_vnd, student.base_vnd) == (5_000, None)


def test_others_by_region_and_the_2028_rise() -> None:
    dec = other(D(2027, 12, 1))
    jan = other(D(2028, 1, 1))
    assert (dec.rate, dec.rate_since, dec.amount_vnd) == (30, D(2026, 1, 1), 15_000)  # 4,960,000 × 0.3% = 14,880 → 15,000
    assert (jan.rate, jan.rate_since, jan.amount_vnd) == (50, D(2028, 1, 1), 25_000)  # × 0.5% = 24,800 → 25,000
    assert other(D(2026, 6, 1), region="IV").amount_vnd == 11_000  # 3,450,000 × 0.3% = 10,350
    assert other(D(2026, 6, 1)).region == "I" and other(D(2026, 6, 1)).base_vnd == 4_960_000


def test_at_retirement_age_the_lower_rate() -> None:
    # A man needs 61 years 6 months in 2026: born 01/12/1964 he reaches it on 01/06/2026.
    assert other(D(2026, 5, 1), born=D(1964, 12, 1), sex="male").rate == 30
    assert other(D(2026, 6, 1), born=D(1964, 12, 1), sex="male").rate == 20
    assert other(D(2026, 6, 1), born=D(1964, 12, 1), sex="male").amount_vnd == 10_000  # 9,920 → 10,000
    assert other(D(2028, 6, 1), born=D(1950, 1, 1), sex="male").rate == 30


def test_fifty_years_of_party_age_exempt_the_day_it_is_reached() -> None:
    admitted = D(1976, 3, 15)
    assert not rates.party_age_exempt_on(admitted, D(2026, 3, 14))
    assert rates.party_age_exempt_on(admitted, D(2026, 3, 15))
    assert other(D(2026, 2, 1), admitted=admitted).amount_vnd == 15_000
    march = other(D(2026, 3, 1), admitted=admitted)
    assert (march.amount_vnd, march.relief_percent, march.gross_vnd) == (0, 100, 15_000)
    assert "50" in march.relief_note


@pytest.mark.parametrize(("percent", "amount"), [(30, 11_000), (50, 8_000), (70, 5_000), (100, 0)])
def test_reductions_round_up(percent: int, amount: int) -> None:
    assert other(D(2026, 6, 1), relief_percent=percent).amount_vnd == amount  # of 15,000


def test_a_later_version_does_not_change_an_earlier_month(settings) -> None:
    settings.CHIBO_DUES_OTHER_RATE = [("2026-01-01", 30), ("2026-07-01", 40)]
    assert other(D(2026, 6, 1)).rate == 30
    assert other(D(2026, 7, 1)).rate == 40
