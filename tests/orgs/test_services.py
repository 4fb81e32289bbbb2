import datetime as dt

import pytest

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.members.models import Membership
from chibo.orgs import services
from chibo.orgs.models import OrgKind, OrgVersion, Sector
from chibo.orgs.selectors import org_stats, versions_on
from tests.factories import make_member

D2022 = dt.date(2022, 12, 31)
REORG = dt.date(2025, 7, 1)


def _stats(org, on):
    return org_stats(version=versions_on(on).get(org=org), on=on)


def test_rename_keeps_the_old_name_in_history(world):
    services.org_rename(actor=None, org=world.cell, name="Chi bộ thôn Trung Sơn Mới", on=REORG)
    assert versions_on(D2022).get(org=world.cell).name == "Chi bộ thôn Trung Sơn"
    assert versions_on(dt.date(2026, 1, 1)).get(org=world.cell).name == "Chi bộ thôn Trung Sơn Mới"
    assert AuditEvent.objects.filter(verb="org.rename", object_id=world.cell.pk).exists()


def test_move_rewrites_the_subtree_paths_from_the_date(world):
    services.org_move(actor=None, org=world.cell, new_parent=world.other_commune, on=REORG)
    assert _stats(world.commune, D2022)["cells"] == 2
    assert _stats(world.commune, dt.date(2026, 1, 1))["cells"] == 1
    assert _stats(world.other_commune, dt.date(2026, 1, 1))["members"] == 3
    assert _stats(world.other_commune, D2022)["members"] == 1


def test_move_into_own_subtree_is_refused(world):
    with pytest.raises(ChiboError, match="chính nó"):
        services.org_move(actor=None, org=world.commune, new_parent=world.commune, on=REORG)


def test_district_level_removed_counts_stay_right_as_of_before(world):
    """The 2025 reform: a district level between province and communes is dissolved."""
    district = services.org_create(actor=None, name="Đảng bộ huyện Đầm Hà", kind=OrgKind.DIRECT, parent=world.province, on=dt.date(2020, 6, 1))
    services.org_move(actor=None, org=world.commune, new_parent=district, on=dt.date(2021, 1, 1))
    services.org_move(actor=None, org=world.commune, new_parent=world.province, on=REORG)
    services.org_dissolve(actor=None, org=district, on=REORG)
    assert _stats(world.province, D2022)["directly_subordinate_committees"] == 1
    assert _stats(district, D2022)["members"] == 2
    assert _stats(world.province, dt.date(2026, 1, 1))["directly_subordinate_committees"] == 0
    assert not versions_on(dt.date(2026, 1, 1)).filter(org=district).exists()
    # the cell's path as of 2022 went through the district
    assert f"/{district.pk:08d}/" in versions_on(D2022).get(org=world.cell).path


def test_merge_moves_members_and_dissolves_sources(world):
    merged = services.org_merge(actor=None, sources=[world.cell, world.cell2], on=REORG, name="Chi bộ thôn Trung Tâm")
    assert versions_on(REORG).get(org=merged).area_name == "Trung Tâm"
    assert Membership.objects.filter(org=merged, valid_to__gt=REORG).count() == 2
    assert _stats(world.commune, dt.date(2026, 1, 1))["cells"] == 1
    assert _stats(world.commune, D2022)["cells"] == 2
    assert _stats(world.commune, D2022)["members"] == 2
    world.cell.refresh_from_db()
    assert world.cell.merged_into == merged and world.cell.dissolved_on == REORG


def test_split_creates_a_sibling_with_the_chosen_members(world):
    (new,) = services.org_split(actor=None, source=world.cell, on=REORG, parts=[{"name": "Chi bộ thôn Trung Sơn 2", "member_ids": [world.member.pk]}])
    version = versions_on(REORG).get(org=new)
    assert version.parent_id == world.commune.pk and version.sector == Sector.RESIDENTIAL
    assert Membership.objects.get(member=world.member, valid_to__gt=REORG).org == new


def test_dissolve_with_members_is_refused(world):
    with pytest.raises(ChiboError, match="còn 2 đảng viên"):
        services.org_dissolve(actor=None, org=world.cell, on=REORG)


def test_residential_cell_needs_its_area(world):
    with pytest.raises(ChiboError, match="thôn"):
        services.org_create(actor=None, name="Chi bộ khu 5", kind=OrgKind.CELL, parent=world.commune, on=REORG, sector=Sector.RESIDENTIAL)


def test_change_before_the_last_change_is_refused(world):
    services.org_rename(actor=None, org=world.cell, name="Tên mới", on=REORG)
    with pytest.raises(ChiboError, match="trở đi"):
        services.org_rename(actor=None, org=world.cell, name="Tên khác", on=dt.date(2024, 1, 1))


def test_cells_have_no_children(world):
    with pytest.raises(ChiboError, match="không có tổ chức trực thuộc"):
        services.org_create(actor=None, name="Tổ đảng", kind=OrgKind.CELL, parent=world.cell, on=REORG)


def test_stats_keys_and_secretary_village_head(world):
    stats = _stats(world.province, dt.date(2026, 1, 1))
    assert stats["cells"] == 3 and stats["residential_cells"] == 3
    assert stats["commune_committees"] == 2 and stats["grassroots_organisations"] == 2
    assert stats["members"] == 3
    assert stats["secretaries_also_village_heads"] == 1


def test_as_of_before_creation_shows_nothing(world):
    assert not versions_on(dt.date(2019, 1, 1)).exists()
    make_member(world.cell2, given_name="Mai", sex="female", born=dt.date(1990, 1, 1), admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1), joined_on=dt.date(2024, 1, 1))
    assert _stats(world.cell2, dt.date(2023, 12, 31))["members"] == 0
    assert _stats(world.cell2, dt.date(2024, 1, 1))["members"] == 1
    assert OrgVersion.objects.filter(org=world.cell2).count() == 1


def test_two_committees_merge_with_their_cells(world):
    merged = services.org_merge(actor=None, sources=[world.commune, world.other_commune], on=REORG, name="Đảng bộ xã Quảng Tân Mới")
    today = dt.date(2026, 1, 1)
    assert _stats(merged, today)["cells"] == 3 and _stats(merged, today)["members"] == 3
    assert _stats(world.commune, D2022)["members"] == 2
