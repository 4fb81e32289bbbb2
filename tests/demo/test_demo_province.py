"""`chibo demo` at province scale: the full plan and build match the seed figures (heavy)."""

from __future__ import annotations

import datetime as dt

import pytest

from chibo.core.access import today
from chibo.core.models import OPEN
from chibo.demo.build import build, make_plan
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import org_stats
from tests.demo.common import expected, stats

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


