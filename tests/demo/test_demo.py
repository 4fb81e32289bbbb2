"""`chibo demo` at district scale: history, consistency, audit; plans are deterministic. (The personas and the
command: test_demo_personas.py; the province: test_demo_province.py; split so that test processes share them.)"""

from __future__ import annotations

import datetime as dt

import pytest

from chibo.core.access import today
from chibo.demo.build import build, make_plan
from chibo.demo.checks import check_database
from chibo.demo.plan import Plan
from chibo.members.models import Membership
from chibo.orgs.selectors import versions_on
from tests.demo.common import stats

END_2022 = dt.date(2022, 12, 31)


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


