"""Helpers of the demo tests: the statistics of the root, the figures a plan should give."""

from __future__ import annotations

import datetime as dt

from chibo.demo.plan import ACTIVE, Plan
from chibo.orgs.selectors import org_stats, versions_on


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
