"""Checks on member data, each failure with its own Vietnamese message."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from chibo.core.errors import ChiboError

# Province codes of the 12-digit citizen ID (Circular 59/2021/TT-BCA, annex I), as issued before 2025.
PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh",
    "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}


def century_sex_digit(*, year: int, sex: str) -> str:
    """The 4th digit: 0/1 for men/women born 1900-1999, 2/3 for 2000-2099, and so on."""
    century_index = (year // 100) - 19  # 1900s -> 0
    return str(century_index * 2 + (1 if sex == "female" else 0))


def check_citizen_id(citizen_id: str, *, date_of_birth: dt.date | None, sex: str | None) -> str:
    value = (citizen_id or "").strip()
    if not value:
        raise ChiboError(_("Số căn cước không được để trống."), field="citizen_id")
    if not value.isdigit() or not value.isascii():
        raise ChiboError(_("Số căn cước chỉ gồm chữ số."), field="citizen_id")
    if len(value) != 12:
        raise ChiboError(_("Số căn cước phải có đúng 12 chữ số (đang có %(n)s).") % {"n": len(value)}, field="citizen_id")
    if value[:3] not in PROVINCE_CODES:
        raise ChiboError(
            _("Ba chữ số đầu của số căn cước (%(code)s) không phải mã tỉnh, thành phố nào.") % {"code": value[:3]},
            field="citizen_id",
        )
    if date_of_birth is not None and sex:
        if not 1900 <= date_of_birth.year <= 2399:
            raise ChiboError(_("Năm sinh không hợp lệ."), field="date_of_birth")
        expected = century_sex_digit(year=date_of_birth.year, sex=sex)
        if value[3] != expected:
            raise ChiboError(
                _("Chữ số thứ 4 của số căn cước (%(got)s) không khớp với giới tính và thế kỷ sinh (phải là %(expected)s).")
                % {"got": value[3], "expected": expected},
                field="citizen_id",
            )
        if value[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ChiboError(
                _("Chữ số thứ 5 và 6 của số căn cước (%(got)s) phải là hai số cuối của năm sinh (%(expected)s).")
                % {"got": value[4:6], "expected": f"{date_of_birth.year % 100:02d}"},
                field="citizen_id",
            )
    return value


def check_card_number(card: str) -> str:
    value = (card or "").strip()
    if value and (not value.isdigit() or not value.isascii() or len(value) != 8):
        raise ChiboError(_("Số thẻ đảng gồm đúng 8 chữ số."), field="party_card_number")
    return value


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Whole months lived from ``born`` to ``on``: 18 years 0 months is 216 (a month is complete on the
    day of the month of birth; for someone born on the 31st, on the last day of shorter months)."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day and not _is_last_day(on):
        months -= 1
    return months


def _is_last_day(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def _years_months(months: int) -> str:
    return _("%(y)s tuổi %(m)s tháng") % {"y": months // 12, "m": months % 12}


def check_admission_age(*, date_of_birth: dt.date, admitted_on: dt.date, min_age: int, max_age: int | None) -> None:
    """Age at admission, counted in months: from ``min_age`` years 0 months to ``max_age`` years 0 months, both included."""
    months = age_in_months(date_of_birth, admitted_on)
    values = {
        "born": date_of_birth.strftime("%d/%m/%Y"),
        "admitted": admitted_on.strftime("%d/%m/%Y"),
        "age": _years_months(max(months, 0)),
    }
    if months < min_age * 12:
        raise ChiboError(
            _(
                "Người vào Đảng phải đủ %(min)s tuổi (tính theo tháng): sinh ngày %(born)s, "
                "vào Đảng ngày %(admitted)s là mới %(age)s."
            )
            % {**values, "min": min_age},
            field="admitted_on",
        )
    if max_age is not None and months > max_age * 12:
        raise ChiboError(
            _(
                "Người vào Đảng không quá %(max)s tuổi (tính theo tháng; trên %(max)s tuổi do cấp ủy "
                "cấp tỉnh xem xét): sinh ngày %(born)s, vào Đảng ngày %(admitted)s là đã %(age)s."
            )
            % {**values, "max": max_age},
            field="admitted_on",
        )


def check_dates(
    *,
    date_of_birth: dt.date,
    admitted_on: dt.date,
    official_on: dt.date | None,
    today: dt.date,
    min_age: int,
    max_age: int | None = None,
    age_on: dt.date | None = None,
) -> None:
    if date_of_birth > today:
        raise ChiboError(_("Ngày sinh không được ở tương lai."), field="date_of_birth")
    if admitted_on > today:
        raise ChiboError(_("Ngày vào Đảng không được ở tương lai."), field="admitted_on")
    check_admission_age(date_of_birth=date_of_birth, admitted_on=age_on or admitted_on, min_age=min_age, max_age=max_age)
    if official_on is not None:
        if official_on > today:
            raise ChiboError(_("Ngày chính thức không được ở tương lai."), field="official_on")
        if official_on < admitted_on:
            raise ChiboError(_("Ngày chính thức phải sau ngày vào Đảng."), field="official_on")
        # Charter Art. 5 (domain.md §2, HIGH): official on the day the probation's months end, not before.
        from django.conf import settings

        from chibo.core.dates import add_months, fmt_date

        months = int(getattr(settings, "CHIBO_PROBATION_MONTHS", 12))
        if official_on < add_months(admitted_on, months):
            raise ChiboError(
                _("Ngày chính thức không được trước khi hết %(n)s tháng dự bị (%(day)s).")
                % {"n": months, "day": fmt_date(add_months(admitted_on, months))},
                field="official_on",
            )


def check_name_part(value: str, *, field: str, label: str, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise ChiboError(_("%(label)s không được để trống.") % {"label": label}, field=field)
    if any(ch.isdigit() for ch in value):
        raise ChiboError(_("%(label)s không được chứa chữ số.") % {"label": label}, field=field)
    return value
