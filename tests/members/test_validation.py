import datetime as dt

import pytest

from chibo.core.errors import ChiboError
from chibo.members.validation import (
    age_in_months,
    check_admission_age,
    check_citizen_id,
    check_dates,
)

BORN = dt.date(1985, 2, 1)


def test_valid_id_passes():
    assert check_citizen_id("022185000123", date_of_birth=BORN, sex="female") == "022185000123"


@pytest.mark.parametrize(
    ("value", "sex", "message"),
    [
        ("02218500012a", "female", "chỉ gồm chữ số"),
        ("0221850001", "female", "đúng 12 chữ số"),
        ("003185000123", "female", "mã tỉnh"),
        ("022085000123", "female", "Chữ số thứ 4"),
        ("022186000123", "female", "Chữ số thứ 5 và 6"),
        ("", "female", "không được để trống"),
    ],
)
def test_each_citizen_id_failure_has_its_own_message(value, sex, message):
    with pytest.raises(ChiboError) as exc:
        check_citizen_id(value, date_of_birth=BORN, sex=sex)
    assert message in exc.value.message
    assert exc.value.field == "citizen_id"


def test_century_digit_for_21st_century():
    assert check_citizen_id("022303000001", date_of_birth=dt.date(2003, 1, 1), sex="female")
    with pytest.raises(ChiboError):
        check_citizen_id("022103000001", date_of_birth=dt.date(2003, 1, 1), sex="female")


def test_future_and_underage_dates_are_refused():
    today = dt.date(2026, 1, 1)
    with pytest.raises(ChiboError, match="tương lai"):
        check_dates(date_of_birth=dt.date(2027, 1, 1), admitted_on=dt.date(2027, 1, 2), official_on=None, today=today, min_age=18)
    with pytest.raises(ChiboError, match="18 tuổi"):
        check_dates(date_of_birth=dt.date(2000, 6, 1), admitted_on=dt.date(2018, 5, 31), official_on=None, today=today, min_age=18)
    check_dates(date_of_birth=dt.date(2000, 6, 1), admitted_on=dt.date(2018, 6, 1), official_on=None, today=today, min_age=18)
    with pytest.raises(ChiboError, match="sau ngày vào Đảng"):
        check_dates(date_of_birth=dt.date(1980, 1, 1), admitted_on=dt.date(2010, 1, 1), official_on=dt.date(2009, 1, 1), today=today, min_age=18)


BORN_2000 = dt.date(2000, 6, 1)


@pytest.mark.parametrize(
    ("admitted", "months"),
    [
        (dt.date(2018, 5, 31), 215),
        (dt.date(2018, 6, 1), 216),
        (dt.date(2060, 6, 30), 720),
        (dt.date(2060, 7, 1), 721),
    ],
)
def test_age_in_months(admitted, months):
    assert age_in_months(BORN_2000, admitted) == months


def test_age_in_months_of_someone_born_on_the_31st_or_a_29th_of_february():
    assert age_in_months(dt.date(2000, 1, 31), dt.date(2018, 2, 28)) == 18 * 12 + 1  # the last day completes the month
    assert age_in_months(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 18 * 12
    assert age_in_months(dt.date(2000, 2, 29), dt.date(2018, 2, 27)) == 18 * 12 - 1


def test_admission_age_17_years_11_months_is_refused_with_the_lower_bound():
    with pytest.raises(ChiboError) as refused:
        check_admission_age(date_of_birth=BORN_2000, admitted_on=dt.date(2018, 5, 1), min_age=18, max_age=60)
    assert refused.value.field == "admitted_on"
    assert refused.value.message == (
        "Người vào Đảng phải đủ 18 tuổi (tính theo tháng): sinh ngày 01/06/2000, vào Đảng ngày 01/05/2018 là mới 17 tuổi 11 tháng."
    )


def test_admission_age_18_years_0_months_and_60_years_0_months_are_accepted():
    check_admission_age(date_of_birth=BORN_2000, admitted_on=dt.date(2018, 6, 1), min_age=18, max_age=60)
    check_admission_age(date_of_birth=BORN_2000, admitted_on=dt.date(2060, 6, 1), min_age=18, max_age=60)
    check_admission_age(date_of_birth=BORN_2000, admitted_on=dt.date(2060, 6, 30), min_age=18, max_age=60)


def test_admission_age_60_years_1_month_is_refused_with_the_upper_bound():
    with pytest.raises(ChiboError) as refused:
        check_admission_age(date_of_birth=BORN_2000, admitted_on=dt.date(2060, 7, 1), min_age=18, max_age=60)
    assert refused.value.field == "admitted_on"
    assert refused.value.message == (
        "Người vào Đảng không quá 60 tuổi (tính theo tháng; trên 60 tuổi do cấp ủy cấp tỉnh xem xét): "
        "sinh ngày 01/06/2000, vào Đảng ngày 01/07/2060 là đã 60 tuổi 1 tháng."
    )
