"""`chibo demo` at a twenty-fifth of the province: it loads consistently, the follow-up loops included."""

from __future__ import annotations

from chibo.core.access import today
from chibo.demo.build import build, make_plan
from chibo.demo.checks import check_database
from tests.demo.common import expected, stats


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
