"""`chibo demo` and `chibo bench registry`: the datasets load, hold together and match the seed figures."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from chibo.accounts.models import User
from chibo.core.access import today
from chibo.core.models import OPEN
from chibo.demo.build import build, make_plan
from chibo.demo.checks import check_database
from chibo.demo.personas import DEMO_PASSWORD, PERSONAS
from chibo.demo.plan import ACTIVE, Plan
from chibo.members.models import CommunityPosition, Membership, Position
from chibo.members.selectors import is_secretary_and_village_head
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import org_stats, versions_on

END_2022 = dt.date(2022, 12, 31)


def stats(on: dt.date) -> dict:
    root = versions_on(on).get(parent__isnull=True)
    return org_stats(version=root, on=on)


def expected(plan: Plan) -> dict:
    """The figures org_stats should give for a plan without history operations (province)."""
    orgs = plan.orgs
    return {
        "directly_subordinate_committees": sum(o.kind == "direct" for o in orgs),
        "grassroots_organisations": sum(o.kind in ("grassroots_committee", "grassroots_cell") for o in orgs),
        "partial_committees": sum(o.kind == "partial_committee" for o in orgs),
        "cells": sum(o.kind == "cell" for o in orgs),
        "residential_cells": sum(o.kind == "cell" and o.sector == "residential" for o in orgs),
        "commune_committees": sum(bool(o.admin_unit) and o.kind not in ("cell", "grassroots_cell") for o in orgs),
        "members": sum(p.statuses[-1][0] in ACTIVE for p in plan.people),
    }


# District -----------------------------------------------------------------------------------


def test_district_shows_the_district_in_2022_and_not_today(db):
    build(scale="district", seed=1)

    then = stats(END_2022)
    assert then["directly_subordinate_committees"] == 1  # the district committee
    assert then["commune_committees"] == 9
    assert then["residential_cells"] == 70
    assert then["grassroots_committees"] == 9
    assert then["secretaries_also_village_heads"] == 70
    assert 2_000 <= then["members"] <= 3_000
    assert versions_on(END_2022).filter(name="Đảng bộ huyện Đầm Hà", kind="direct").exists()

    now = stats(today())
    assert not versions_on(today()).filter(name="Đảng bộ huyện Đầm Hà").exists()
    assert now["directly_subordinate_committees"] == now["commune_committees"] == 4  # communes, now directly under the province
    assert now["grassroots_committees"] == 0
    assert now["residential_cells"] == 70
    assert now["secretaries_also_village_heads"] == 70
    assert 2_000 <= now["members"] <= 3_000
    communes = versions_on(today()).filter(kind="direct")
    root = versions_on(today()).get(parent__isnull=True)
    assert all(c.parent_id == root.org_id and c.admin_unit == "commune" for c in communes)


def test_district_history_before_the_village_mergers(db):
    build(scale="district", seed=1)
    assert stats(dt.date(2022, 3, 31))["residential_cells"] == 74
    # Members of merged villages moved to the merged village on 01/04/2022, keeping one open record each.
    moved = Membership.objects.filter(valid_to=dt.date(2022, 4, 1))
    assert moved.exists()
    assert all(Membership.objects.filter(member_id=m.member_id, valid_from=dt.date(2022, 4, 1)).exists() for m in moved)


def test_district_data_is_consistent(db):
    build(scale="district", seed=1)
    assert check_database(today=today()) == []


def test_district_reorganisation_is_audited(db):
    from chibo.core.models import AuditEvent

    build(scale="district", seed=1)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"org.create", "org.move", "org.merge", "org.change", "org.dissolve", "demo.load"} <= verbs
    assert AuditEvent.objects.filter(verb="org.dissolve", summary__contains="huyện Đầm Hà").exists()


def test_personas_log_in_and_hold_their_roles(db):
    build(scale="district", seed=1)
    for username in PERSONAS:
        assert Client().login(username=username, password=DEMO_PASSWORD), username

    dangvien = User.objects.get(username="dangvien")
    bithu = User.objects.get(username="bithu")
    cell = dangvien.grants.get().org
    assert dangvien.member is not None and bithu.member is not None
    assert Membership.objects.filter(member=dangvien.member, org=cell, valid_to=OPEN).exists()
    version = OrgVersion.objects.get(org=cell, valid_to=OPEN)
    assert version.sector == "residential" and version.kind == "cell"
    assert bithu.grants.get().org == cell and bithu.grants.get().role == "secretary"
    assert Position.objects.filter(member=bithu.member, org=cell, kind="secretary", valid_to=OPEN).exists()
    assert is_secretary_and_village_head(bithu.member, today())
    assert CommunityPosition.objects.filter(member=bithu.member, kind="village_head", area_name=version.area_name).exists()

    commune = User.objects.get(username="canboxa").grants.get()
    assert commune.role == "staff" and commune.org_id == version.parent_id  # the commune of today's tree
    province = User.objects.get(username="canbotinh").grants.get()
    assert province.org_id == versions_on(today()).get(parent__isnull=True).org_id
    assert User.objects.get(username="quantri").grants.get().role == "admin"

    client = Client()
    client.force_login(User.objects.get(username="canboxa"))
    assert client.get(f"/org/{cell.pk}/").status_code == 200


def test_command_refuses_a_database_with_data(db):
    out = StringIO()
    call_command("demo", scale="district", stdout=out)
    assert "dangvien" in out.getvalue()
    with pytest.raises(CommandError, match="đã có tổ chức"):
        call_command("demo", scale="district", stdout=StringIO())
    out = StringIO()
    call_command("demo", scale="district", if_empty=True, stdout=out)
    assert "không nạp" in out.getvalue()


# Determinism (plans only, no database) -------------------------------------------------------


def _fingerprint(plan: Plan) -> list:
    return [
        [(o.code, o.name, o.kind, o.parent) for o in plan.orgs],
        [(p.full_name, p.citizen_id, p.card, p.born, p.memberships, p.statuses, p.positions, p.community) for p in plan.people],
    ]


@pytest.mark.parametrize(("scale", "factor"), [("district", 1.0), ("province", 0.05)])
def test_same_seed_same_plan(scale, factor):
    day = dt.date(2026, 1, 15)
    a = make_plan(scale=scale, seed=1, today=day, factor=factor)
    b = make_plan(scale=scale, seed=1, today=day, factor=factor)
    c = make_plan(scale=scale, seed=2, today=day, factor=factor)
    assert _fingerprint(a) == _fingerprint(b)
    assert a.summary() == b.summary()
    assert _fingerprint(a) != _fingerprint(c)


def test_names_are_vietnamese_and_match_sex():
    plan = make_plan(scale="district", seed=3, today=dt.date(2026, 1, 15))
    for p in plan.people:
        if p.sex == "male":
            assert "Thị" not in p.middle.split()
        else:
            assert "Văn" not in p.middle.split()
    surnames = {p.surname for p in plan.people}
    assert {"Nguyễn", "Trần", "Lê", "Phạm"} <= surnames


# Province ----------------------------------------------------------------------------------


@pytest.mark.heavy
def test_full_province_plan_matches_the_seed_figures():
    plan = make_plan(scale="province", seed=1, today=dt.date(2026, 1, 15))
    assert expected(plan) == {
        "directly_subordinate_committees": 20,
        "grassroots_organisations": 696,
        "partial_committees": 8,
        "cells": 4_971,
        "residential_cells": 1_452,
        "commune_committees": 177,
        "members": 107_000,
    }


def test_small_province_loads_consistently(db):
    plan = make_plan(scale="province", seed=1, factor=0.04)
    build(scale="province", seed=1, factor=0.04)
    figures = stats(today())
    for key, value in expected(plan).items():
        assert figures[key] == value, key
    assert figures["directly_subordinate_committees"] == 20
    assert figures["secretaries_also_village_heads"] >= 0.9 * figures["residential_cells"]
    assert check_database(today=today()) == []  # the follow-up loops included (chibo.demo.followups)
    from chibo.briefings.models import Briefing
    from chibo.inspections.models import InspectionPlan
    from chibo.petitions.models import Petition
    from chibo.tasks.models import Task

    assert Task.objects.exists() and Petition.objects.exists() and Briefing.objects.exists() and InspectionPlan.objects.exists()


@pytest.mark.heavy
def test_full_province_loads_with_the_seed_figures(db):
    build(scale="province", seed=1)  # how long it takes is measured by the benchmarks, not here
    figures = stats(today())
    assert figures["directly_subordinate_committees"] == 20
    assert figures["grassroots_organisations"] == 696
    assert figures["cells"] == 4_971
    assert figures["residential_cells"] == 1_452
    assert figures["commune_committees"] == 177
    assert figures["members"] == 107_000
    assert figures["secretaries_also_village_heads"] >= 1_400
    agencies = OrgVersion.objects.get(name="Đảng bộ Khối các cơ quan tỉnh", valid_to=OPEN)
    a = org_stats(version=agencies, on=today())
    assert (a["grassroots_committees"], a["grassroots_cells"]) == (39, 24)
    assert a["members"] >= 4_500
    coal = OrgVersion.objects.get(name="Đảng bộ Than Quảng Ninh", valid_to=OPEN)
    c = org_stats(version=coal, on=today())
    assert (c["grassroots_organisations"], c["partial_committees"], c["cells"]) == (40, 8, 899)
    assert c["members"] >= 18_800


# Benchmark ---------------------------------------------------------------------------------


def test_bench_registry_runs_on_the_district(db):
    build(scale="district", seed=1)
    out = StringIO()
    call_command("bench", "registry", repeat=1, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "district (seed 1)" in text
    assert "org_stats (gốc" in text and "SQL viết tay" in text
