"""The entry point of `chibo demo`: plan a dataset, then load it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from chibo.core.access import today as local_today
from chibo.demo.district import build_district
from chibo.demo.load import load
from chibo.demo.plan import Plan
from chibo.demo.province import build_province

SCALES = ("district", "province")


def make_plan(*, scale: str, seed: int = 1, today: dt.date | None = None, factor: float = 1.0) -> Plan:
    """The in-memory plan of a dataset (no database access)."""
    day = today or local_today()
    if scale == "district":
        return build_district(seed=seed, today=day)
    if scale == "province":
        return build_province(seed=seed, today=day, factor=factor)
    raise ValueError(f"unknown scale {scale!r}")


def build(
    *,
    scale: str,
    seed: int = 1,
    today: dt.date | None = None,
    factor: float = 1.0,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Plan and load a dataset into an empty database; returns figures and timings."""
    import time

    started = time.perf_counter()
    plan = make_plan(scale=scale, seed=seed, today=today, factor=factor)
    planned = time.perf_counter() - started
    log(f"  kế hoạch dữ liệu: {len(plan.orgs)} tổ chức, {len(plan.people)} đảng viên ({planned:.1f} s)")
    result = load(plan, tree_by_services=scale == "district", log=log)
    result["timings"]["plan"] = planned
    return result
