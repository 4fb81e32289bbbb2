"""The cell's own rules as the statistics and the cell page count them (domain.md §1, §7)."""

import datetime as dt

from chibo.members import services as member_services
from chibo.members.models import CommunityPosition
from chibo.members.selectors import (
    cell_leadership,
    cell_members,
    is_secretary_and_village_head,
    official_member_count,
)
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import (
    cells_below_official_minimum,
    org_by_ref,
    org_stats,
    secretaries_also_village_heads,
)
from tests.factories import make_member

ON = dt.date(2026, 1, 1)


def _version(org):
    return OrgVersion.objects.get(org=org, valid_from__lte=ON, valid_to__gt=ON)


def _heads(org):
    return secretaries_also_village_heads(path=_version(org).path, on=ON)


def test_the_secretary_heading_the_cells_own_village_is_counted(world):
    assert _heads(world.province) == 1
    assert is_secretary_and_village_head(world.secretary_member, ON)
    leadership = cell_leadership(members=list(cell_members(version=_version(world.cell), on=ON)), version=_version(world.cell))
    assert leadership.secretary_is_village_head and leadership.secretary_community_titles == ["Trưởng thôn, khu phố Trung Sơn"]


def test_a_secretary_heading_another_village_is_not_counted(world):
    cp = CommunityPosition.objects.get(member=world.secretary_member)
    cp.area_name = "Đồng Tâm"  # the village of cell2, not of the cell he leads
    cp.save(update_fields=["area_name"])
    assert _heads(world.province) == 0
    assert not is_secretary_and_village_head(world.secretary_member, ON)
    leadership = cell_leadership(members=list(cell_members(version=_version(world.cell), on=ON)), version=_version(world.cell))
    assert not leadership.secretary_is_village_head


def test_the_area_is_compared_folded(world):
    cp = CommunityPosition.objects.get(member=world.secretary_member)
    cp.area_name = "  trung   SON "
    cp.save(update_fields=["area_name"])
    assert _heads(world.province) == 1
    assert is_secretary_and_village_head(world.secretary_member, ON)


def test_a_member_heading_the_village_without_being_secretary_is_not_counted(world):
    member_services.community_position_assign(actor=None, member=world.member, kind="front_head", area_name="Trung Sơn", on=dt.date(2024, 1, 1))
    assert _heads(world.province) == 1
    assert not is_secretary_and_village_head(world.member, ON)


def test_cells_under_three_official_members_are_counted(world):
    # cell: 2 official; cell2: none; other_cell: 1. A probationary member does not count.
    assert official_member_count(org_id=world.cell.pk, on=ON) == 2
    assert cells_below_official_minimum(version=_version(world.province), on=ON) == 3
    make_member(world.cell, given_name="Lan", sex="female", born=dt.date(1995, 1, 1), admitted_on=dt.date(2025, 6, 1), official_on=None, joined_on=dt.date(2025, 6, 1))
    assert official_member_count(org_id=world.cell.pk, on=ON) == 2
    make_member(world.cell, given_name="Mai", sex="female", born=dt.date(1978, 1, 1))
    assert official_member_count(org_id=world.cell.pk, on=ON) == 3
    assert cells_below_official_minimum(version=_version(world.province), on=ON) == 2
    assert cells_below_official_minimum(version=_version(world.commune), on=ON) == 1
    stats = org_stats(version=_version(world.province), on=ON)
    assert stats["cells_below_official_minimum"] == 2


def test_an_exempted_official_member_still_counts_as_official(world):
    member_services.member_set_status(actor=None, member=world.member, status="exempted", on=dt.date(2025, 1, 1), owner="discipline")
    assert official_member_count(org_id=world.cell.pk, on=ON) == 2


def test_an_organisation_is_found_by_code_first_then_by_id(world):
    # codes may be all digits: the code wins over an id that happens to match
    world.other_commune.code = str(world.commune.pk)
    world.other_commune.save(update_fields=["code"])
    assert org_by_ref(str(world.commune.pk)) == world.other_commune
    assert org_by_ref(f" {world.cell.code} ") == world.cell
    assert org_by_ref(str(world.cell.pk)) == world.cell
    assert org_by_ref("999999999999999999999") is None
