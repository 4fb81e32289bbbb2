"""What each persona of tests.factories.World may see and edit, spelled out by hand from the policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import World, citizen_id

ORG_NAMES = ["province", "commune", "other_commune", "cell", "cell2", "other_cell"]
MEMBER_NAMES = ["member", "secretary_member", "other_member"]

# persona → organisations it may view (Action.VIEW_ORG)
VISIBLE_ORGS = {
    "member": {"cell"},
    "secretary": {"cell"},
    "staff": {"commune", "cell", "cell2"},
    "province": set(ORG_NAMES),
    "admin": set(ORG_NAMES),
    "outsider": {"other_commune", "other_cell"},
}
# persona → member records it may open (Action.VIEW_MEMBER; a member sees their own record)
VISIBLE_MEMBERS = {
    "member": {"member"},
    "secretary": {"member", "secretary_member"},
    "staff": {"member", "secretary_member"},
    "province": set(MEMBER_NAMES),
    "admin": set(MEMBER_NAMES),
    "outsider": {"other_member"},
}
# persona → member records it may edit (Action.EDIT_MEMBER)
EDITABLE_MEMBERS = {
    "member": set(),
    "secretary": {"member", "secretary_member"},
    "staff": {"member", "secretary_member"},
    "province": set(MEMBER_NAMES),
    "admin": set(MEMBER_NAMES),
    "outsider": {"other_member"},
}
# persona → cells it may add members to
EDITABLE_CELLS = {
    "member": set(),
    "secretary": {"cell"},
    "staff": {"cell", "cell2"},
    "province": {"cell", "cell2", "other_cell"},
    "admin": {"cell", "cell2", "other_cell"},
    "outsider": {"other_cell"},
}


def org_id(world: World, name: str) -> int:
    return getattr(world, name).pk


def member_id(world: World, name: str) -> int:
    return getattr(world, name).pk


def new_member_payload(**overrides: Any) -> dict[str, Any]:
    born = dt.date(1990, 6, 15)
    return {
        "surname": "Lê",
        "middle_name": "Thị",
        "given_name": "Mai",
        "date_of_birth": born.isoformat(),
        "sex": "female",
        "citizen_id": citizen_id(born=born, sex="female"),
        "admitted_on": "2015-05-19",
        "official_on": "2016-05-19",
        "phone": "0912 345 678",
        **overrides,
    }
