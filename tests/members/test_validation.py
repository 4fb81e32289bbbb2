import datetime as dt

import pytest

from chibo.core.errors import ChiboError
from chibo.members.validation import check_citizen_id, check_dates

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
