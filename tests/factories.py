"""Builders for consistent test data: a small tree, members with valid citizen IDs, users with grants.

Everything goes through the real services, so tests see the same rows the app writes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from chibo.accounts import services as account_services
from chibo.accounts.models import User
from chibo.members import services as member_services
from chibo.members.models import Member
from chibo.members.validation import century_sex_digit
from chibo.orgs import services as org_services
from chibo.orgs.models import AdminUnit, AreaKind, Organisation, OrgKind, Sector

PASSWORD = "mat-khau-thu-nghiem"
# Vietnam's time zone, for times built in tests: vn(2026, 12, 2, 0, 30) is 00:30 on 02/12 there.
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime on Vietnam's wall clock."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)

START = dt.date(2020, 1, 1)
_serial = itertools.count(1)


def citizen_id(*, born: dt.date, sex: str, province: str = "022") -> str:
    return f"{province}{century_sex_digit(year=born.year, sex=sex)}{born.year % 100:02d}{next(_serial):06d}"


def make_member(
    org: Organisation,
    *,
    surname: str = "Nguyễn",
    middle_name: str = "Văn",
    given_name: str = "An",
    sex: str = "male",
    born: dt.date = dt.date(1980, 5, 17),
    admitted_on: dt.date = dt.date(2005, 3, 2),
    official_on: dt.date | None = dt.date(2006, 3, 2),
    joined_on: dt.date | None = START,
    **extra: Any,
) -> Member:
    data = {
        "surname": surname,
        "middle_name": middle_name,
        "given_name": given_name,
        "sex": sex,
        "date_of_birth": born,
        "admitted_on": admitted_on,
        "official_on": official_on,
        "citizen_id": citizen_id(born=born, sex=sex),
        **extra,
    }
    return member_services.member_create(actor=None, org=org, data=data, joined_on=joined_on)


def make_user(username: str, *, role: str | None = None, org: Organisation | None = None, member: Member | None = None) -> User:
    user = account_services.user_create(actor=None, username=username, password=PASSWORD, member=member)
    if role:
        account_services.grant_add(actor=None, user=user, role=role, org=org)
    return user


@dataclass
class World:
    """Province → two communes → cells, with one persona per role and an outsider in the other commune."""

    province: Organisation
    commune: Organisation
    other_commune: Organisation
    cell: Organisation
    cell2: Organisation
    other_cell: Organisation
    member: Member
    secretary_member: Member
    other_member: Member
    users: dict[str, User]


def build_world() -> World:
    province = org_services.org_create(actor=None, name="Đảng bộ tỉnh Quảng Ninh", kind=OrgKind.PROVINCIAL, parent=None, on=START)
    commune = org_services.org_create(actor=None, name="Đảng bộ xã Quảng Tân", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=province, on=START, admin_unit=AdminUnit.COMMUNE)
    other_commune = org_services.org_create(actor=None, name="Đảng bộ xã Đại Bình", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=province, on=START, admin_unit=AdminUnit.COMMUNE)
    cell = org_services.org_create(actor=None, name="Chi bộ thôn Trung Sơn", kind=OrgKind.CELL, parent=commune, on=START, sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name="Trung Sơn")
    cell2 = org_services.org_create(actor=None, name="Chi bộ thôn Đồng Tâm", kind=OrgKind.CELL, parent=commune, on=START, sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name="Đồng Tâm")
    other_cell = org_services.org_create(actor=None, name="Chi bộ thôn Làng Y", kind=OrgKind.CELL, parent=other_commune, on=START, sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name="Làng Y")
    member = make_member(cell, surname="Đặng", middle_name="Thị", given_name="Hồng", sex="female", born=dt.date(1985, 2, 1))
    secretary_member = make_member(cell, surname="Nguyễn", middle_name="Văn", given_name="Hùng", born=dt.date(1970, 8, 9), admitted_on=dt.date(1995, 1, 1), official_on=dt.date(1996, 1, 1))
    other_member = make_member(other_cell, surname="Trần", middle_name="Quốc", given_name="Bảo", born=dt.date(1975, 4, 4))
    member_services.position_assign(actor=None, member=secretary_member, kind="secretary", on=START)
    member_services.community_position_assign(actor=None, member=secretary_member, kind="village_head", area_name="Trung Sơn", on=START)
    users = {
        "member": make_user("dangvien", role="member", org=cell, member=member),
        "secretary": make_user("bithu", role="secretary", org=cell, member=secretary_member),
        "staff": make_user("canboxa", role="staff", org=commune),
        "province": make_user("canbotinh", role="staff", org=province),
        "admin": make_user("quantri", role="admin"),
        "outsider": make_user("nguoingoai", role="staff", org=other_commune),
    }
    return World(province, commune, other_commune, cell, cell2, other_cell, member, secretary_member, other_member, users)
