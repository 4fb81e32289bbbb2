"""The amount of one month's dues, from the rules in force in that month (versioned settings read with
``chibo.core.rules.rule_on`` on the month's first day). Pure functions: no queries.

- salary (compulsory social insurance): CHIBO_DUES_SALARY_RATE of the previous month's insured salary;
- pension: CHIBO_DUES_PENSION_RATE of the pension;
- student: CHIBO_DUES_STUDENT_VND;
- others: CHIBO_DUES_OTHER_RATE (under retirement age) or CHIBO_DUES_OTHER_RETIRED_RATE (at or above it)
  of the regional minimum monthly wage (CHIBO_DUES_MIN_WAGE, the cell's region).

Rates are per ten thousand. The amount is rounded up to CHIBO_DUES_ROUND_VND (a guess), then relief
applies (a reduction of 30/50/70%, rounded up again; exemption: 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from chibo.core.dates import add_months
from chibo.core.rules import rule_on, versions
from chibo.dues.models import Category


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_of_month(month: dt.date) -> dt.date:
    return add_months(first_of_month(month), 1) - dt.timedelta(days=1)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_spanned(month_from: dt.date, month_to: dt.date) -> int:
    """How many months from ``month_from``'s month to ``month_to``'s, both included (01/2026–12/2026: 12)."""
    return month_index(month_to) - month_index(month_from) + 1


def months_in(month_from: dt.date, month_to: dt.date) -> list[dt.date]:
    """The first days of the months from ``month_from``'s to ``month_to``'s, both included."""
    return [add_months(first_of_month(month_from), i) for i in range(max(months_spanned(month_from, month_to), 0))]


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Whole months lived by ``on`` (born 15/03/1966: 720 months on 15/03/2026, 719 on 14/03/2026)."""
    months = month_index(on) - month_index(born)
    if on < add_months(born, months):  # the day of the month is not reached yet (31/01 + 1 month = 28/02)
        months -= 1
    return months


def party_age_exempt_on(admitted_on: dt.date, on: dt.date) -> bool:
    """Whether ``on`` is on or after the day the member reaches CHIBO_DUES_EXEMPT_PARTY_YEARS of Party age."""
    return on >= add_months(admitted_on, 12 * settings.CHIBO_DUES_EXEMPT_PARTY_YEARS)


def party_age_exempt_month(admitted_on: dt.date, month: dt.date) -> bool:
    """The month in which the Party age is reached is exempt, and every month after it (a member is
    exempt from the day it is reached, and dues are monthly)."""
    return party_age_exempt_on(admitted_on, last_of_month(month))


def rate_since(name: str, on: dt.date) -> dt.date:
    """The date of the version of ``name`` in force on ``on``."""
    return [since for since, _value in versions(name) if since <= on][-1]


def round_up(numerator: int, denominator: int = 1) -> int:
    """numerator / denominator VND rounded up to a multiple of CHIBO_DUES_ROUND_VND (integer arithmetic)."""
    step = max(int(settings.CHIBO_DUES_ROUND_VND), 1)
    return -(-numerator // (denominator * step)) * step


@dataclass
class Computed:
    category: str
    base_vnd: int | None
    region: str
    rate: int
    rate_since: dt.date
    gross_vnd: int
    relief_percent: int
    relief_note: str
    amount_vnd: int


def retired_on(*, born: dt.date, sex: str, on: dt.date) -> bool:
    limits = rule_on("CHIBO_DUES_RETIREMENT_AGE_MONTHS", on)
    return age_in_months(born, on) >= int(limits.get(sex, limits.get("male")))


def compute(
    *, category: str, base_vnd: int | None, month: dt.date, region: str, born: dt.date, sex: str, admitted_on: dt.date,
    relief_percent: int = 0, relief_note: str = "",
) -> Computed:
    """The dues of ``month`` for this basis. ``relief_percent`` 100 is an exemption on request."""
    month = first_of_month(month)
    region_used = ""
    if category == Category.SALARY:
        name, base = "CHIBO_DUES_SALARY_RATE", int(base_vnd or 0)
    elif category == Category.PENSION:
        name, base = "CHIBO_DUES_PENSION_RATE", int(base_vnd or 0)
    elif category == Category.STUDENT:
        name, base = "CHIBO_DUES_STUDENT_VND", 0
    else:
        retired = retired_on(born=born, sex=sex, on=month)
        name = "CHIBO_DUES_OTHER_RETIRED_RATE" if retired else "CHIBO_DUES_OTHER_RATE"
        region_used = region
        base = int(rule_on("CHIBO_DUES_MIN_WAGE", month)[region])
    rate = int(rule_on(name, month))
    gross = rate if category == Category.STUDENT else round_up(base * rate, 10000)
    if party_age_exempt_month(admitted_on, month):
        relief_percent = 100
        relief_note = f"{settings.CHIBO_DUES_EXEMPT_PARTY_YEARS} năm tuổi đảng"
    amount = 0 if relief_percent >= 100 else round_up(gross * (100 - relief_percent), 100)
    return Computed(
        category=category, base_vnd=None if category == Category.STUDENT else base, region=region_used, rate=rate,
        rate_since=rate_since(name, month), gross_vnd=gross, relief_percent=relief_percent, relief_note=relief_note,
        amount_vnd=min(amount, gross),
    )
