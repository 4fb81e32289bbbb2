"""Meeting statistics at every level of the tree, for a month, as of a date (issue §8).

Every figure is for an organisation node N, a month M (the first day of the month) and a tree
date ``on``: the end of M (its last day) unless an "as of" date is given. Cells are counted in the
tree of ``on``; meetings, attendance and assignments are attached to the cell's organisation
version valid on ``on``, so after a reorganisation a month's figures follow the tree of that month.

Definitions (domain.md §3):

- **meetings of M**: the ``Meeting`` rows with ``month = M`` of a cell (kind ``cell`` or
  ``grassroots_cell`` on ``on``) under N, of kind regular, thematic or combined. Chi ủy meetings
  (kind ``committee``) are another body's meetings and are left out of every figure.
- **held**: status open, closed or approved (``HELD_STATUSES``); draft and published are not held.
- **cells_expected**: cells under N on ``on`` (N itself when N is a cell).
- **cells_met**: those of them with a *held* regular or combined meeting in M.
  **held_share** = cells_met / cells_expected (percent).
- **attendance_rate** = present / expected over the Attendance rows of the *held* meetings of M
  whose standing is official or probationary: the definition of ``rules.attendance_rate``,
  summed over rows (not an average of meeting rates). None when there are no such rows.
- **absent_excused** / **absent_without_reason**: Attendance rows of the held meetings of M with
  status excused / unexcused, whatever the standing (the raw count of records).
- **thematic coverage** for the quarter containing M: cells (tree of ``on``) with a *held*
  thematic or combined meeting in any month of that quarter / cells_expected.
- **upper-level attendance coverage**: cells with an ``UpperAssignment`` for M marked
  ``attended`` / cells_expected. We choose *attended* (what happened); the number of cells with
  an assignment at all is given beside it as ``cells_upper_assigned``.
- **published_late**: meetings of M (any status) with ``published_late`` set (documents published
  less than 24 hours before the start); **late_material**: with ``late_material`` set (a material
  added or changed after that point); **late_move**: with ``late_move`` set (moved earlier after
  publishing). Each case counted on its own: a meeting may be in several.
- **under_length**: meetings of M with ``under_length`` set (closed less than 90 minutes after
  opening; 120 for a combined meeting: "dưới thời lượng tối thiểu").
- **quality_ok**: ``QualityAssessment`` rows of the meetings of M with all three measured parts
  true (attendance_ok, no_unexcused, no_repeat_excused); ``quality_assessed`` counts all of them,
  ``ratings`` is the distribution of ``secretary_rating`` ("" = not rated).

Shares are percentages rounded half up to 2 decimals (as ``rules.attendance_rate``), None when
the denominator is 0.

Attendance figures are read from the meetings' stored counts (``Meeting.n_expected``, ``n_present``,
``n_excused``, ``n_unexcused``), which services_record keeps equal to the rows in the same
transaction; a month at the province root then scans ~5,000 meetings instead of ~115,000 rows.

Queries: ``node_stats`` answers the node and all its child branches in 5 queries (children,
cells, the month's meetings with attendance, the quarter's thematic meetings, upper assignments;
at a cell, its meeting list instead of children), grouping by the child branch prefix of the path like ``orgs.selectors._branch_counts``.
``series`` answers 12 months in 3 queries (4 when the subtree did not change over the window), grouping by month.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections
from django.db.models import Count, FilteredRelation, Q, QuerySet, Sum
from django.db.models.functions import Substr

from chibo.core.access import Action, Policy
from chibo.core.dates import add_months
from chibo.meetings.models import (
    REGULAR_KINDS,
    THEMATIC_KINDS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SelfRating,
    UpperAssignment,
)
from chibo.orgs.models import CELL_KINDS, SEGMENT, OrgVersion

HELD_STATUSES = (MeetingStatus.OPEN, MeetingStatus.CLOSED, MeetingStatus.APPROVED)
CELL_MEETING_KINDS = (MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.COMBINED)
RATINGS = [*SelfRating.values, ""]
SERIES_MONTHS = 12


# Months ---------------------------------------------------------------------------------------


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)




def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def quarter_months(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last month (first days) of the quarter containing ``month``."""
    start = dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return start, add_months(start, 2)


def tree_date(month: dt.date, as_of: dt.date | None) -> dt.date:
    """The date whose tree the figures of ``month`` follow: ``as_of`` if given, else the month's last day."""
    return as_of or month_end(month)


def parse_month(value: str | None) -> dt.date | None:
    """A month typed as YYYY-MM (``<input type=month>``) or mm/yyyy (also m/yyyy, mm-yyyy, mm.yyyy);
    None if empty or bad."""
    raw = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[/\-.](\d{4})", raw) or re.fullmatch(r"(?P<y>\d{4})-(?P<m>\d{1,2})", raw)
    if not match:
        return None
    month, year = (int(match["m"]), int(match["y"])) if "y" in match.groupdict() else (int(match[1]), int(match[2]))
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    cells_expected: int = 0
    cells_met: int = 0
    meetings: int = 0  # meetings of M (cell meetings, any status)
    meetings_held: int = 0
    expected: int = 0  # attendance rows, official or probationary, of held meetings
    present: int = 0
    absent_excused: int = 0
    absent_without_reason: int = 0
    cells_thematic: int = 0  # in the quarter containing M
    cells_upper_assigned: int = 0
    cells_upper_attended: int = 0
    published_late: int = 0
    late_material: int = 0
    late_move: int = 0
    under_length: int = 0
    quality_assessed: int = 0
    quality_ok: int = 0
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))

    COUNTS = (
        "cells_expected", "cells_met", "meetings", "meetings_held", "expected", "present",
        "absent_excused", "absent_without_reason", "cells_thematic", "cells_upper_assigned",
        "cells_upper_attended", "published_late", "late_material", "late_move", "under_length",
        "quality_assessed", "quality_ok",
    )  # fmt: skip

    @property
    def held_share(self) -> Decimal | None:
        return percent(self.cells_met, self.cells_expected)

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.present, self.expected)

    @property
    def thematic_coverage(self) -> Decimal | None:
        return percent(self.cells_thematic, self.cells_expected)

    @property
    def upper_coverage(self) -> Decimal | None:
        return percent(self.cells_upper_attended, self.cells_expected)

    def add(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for rating, n in other.ratings.items():
            self.ratings[rating] = self.ratings.get(rating, 0) + n

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able figures; shares as numbers with 2 decimals or None."""

        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            **{name: getattr(self, name) for name in self.COUNTS},
            "held_share": num(self.held_share),
            "attendance_rate": num(self.attendance_rate),
            "thematic_coverage_quarter": num(self.thematic_coverage),
            "upper_attendance_coverage": num(self.upper_coverage),
            "ratings": dict(self.ratings),
        }


def _rows(qs: Any) -> list[dict[str, Any]]:
    """The rows of a ``values()`` query, as plain dicts (for figures read by name)."""
    return list(qs)


def _ver(prefix: str, on: dt.date) -> FilteredRelation:
    """The version of the organisation at ``prefix`` (e.g. "org__versions") valid on ``on``."""
    return FilteredRelation(prefix, condition=Q(**{f"{prefix}__valid_from__lte": on, f"{prefix}__valid_to__gt": on}))


def _in_cells(path: str) -> Q:
    return Q(ver__path__startswith=path, ver__kind__in=CELL_KINDS)


def cell_meetings(*, month: dt.date) -> QuerySet[Meeting]:
    """The meetings of ``month`` that count in the figures (any status)."""
    return Meeting.objects.filter(month=month, kind__in=CELL_MEETING_KINDS)


def branch_figures(*, path: str, month: dt.date, on: dt.date) -> dict[str, Figures]:
    """Figures for each child branch of the node at ``path`` (key: the child's path; the node itself: ``path``).

    Four queries: cells, the month's meetings (with quality and the stored attendance counts), the
    quarter's thematic meetings, upper assignments.
    """
    width = len(path) + SEGMENT
    out: dict[str, Figures] = defaultdict(Figures)
    q_start, q_end = quarter_months(month)
    cells = (
        OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=path, kind__in=CELL_KINDS)
        .annotate(branch=Substr("path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
    )
    for row in _rows(cells):
        out[row["branch"]].cells_expected = row["n"]

    # The month's meetings. One regular (or combined) meeting per cell and month is a database
    # constraint, so counting those meetings counts cells: no DISTINCT, a plain hash aggregate.
    held = Q(status__in=HELD_STATUSES)
    all_parts = Q(quality__attendance_ok=True, quality__no_unexcused=True, quality__no_repeat_excused=True)
    rating_counts = {f"rating_{r or 'none'}": Count("quality", filter=Q(quality__secretary_rating=r)) for r in RATINGS}
    meetings = (
        Meeting.objects.annotate(ver=_ver("org__versions", on))
        .filter(_in_cells(path), kind__in=CELL_MEETING_KINDS, month=month)
        .annotate(branch=Substr("ver__path", 1, width))
        .values("branch")
        .annotate(
            cells_met=Count("id", filter=held & Q(kind__in=REGULAR_KINDS)),
            meetings=Count("id"),
            meetings_held=Count("id", filter=held),
            published_late=Count("id", filter=Q(published_late=True)),
            late_material=Count("id", filter=Q(late_material=True)),
            late_move=Count("id", filter=Q(late_move=True)),
            under_length=Count("id", filter=Q(under_length=True)),
            quality_assessed=Count("quality"),
            quality_ok=Count("quality", filter=all_parts),
            # Attendance, from the meetings' stored counts (Meeting.n_*).
            expected=Sum("n_expected", filter=held),
            present=Sum("n_present", filter=held),
            absent_excused=Sum("n_excused", filter=held),
            absent_without_reason=Sum("n_unexcused", filter=held),
            **rating_counts,
        )
    )
    for row in _rows(meetings):
        fig = out[row["branch"]]
        for name in ("cells_met", "meetings", "meetings_held", "published_late", "late_material", "late_move", "under_length", "quality_assessed", "quality_ok"):
            setattr(fig, name, row[name])
        for name in ("expected", "present", "absent_excused", "absent_without_reason"):
            setattr(fig, name, row[name] or 0)
        fig.ratings = {r: row[f"rating_{r or 'none'}"] for r in RATINGS}

    # Thematic coverage over the quarter: a cell may hold several thematic meetings, hence DISTINCT.
    thematic = (
        Meeting.objects.annotate(ver=_ver("org__versions", on))
        .filter(_in_cells(path), held, kind__in=THEMATIC_KINDS, month__gte=q_start, month__lte=q_end)
        .annotate(branch=Substr("ver__path", 1, width))
        .values("branch")
        .annotate(n=Count("org_id", distinct=True))
    )
    for row in _rows(thematic):
        out[row["branch"]].cells_thematic = row["n"]

    upper = (
        UpperAssignment.objects.annotate(ver=_ver("cell__versions", on))
        .filter(_in_cells(path), month=month)
        .annotate(branch=Substr("ver__path", 1, width))
        .values("branch")
        .annotate(
            assigned=Count("cell_id", distinct=True),
            attended=Count("cell_id", distinct=True, filter=Q(attended=True)),
        )
    )
    for row in _rows(upper):
        fig = out[row["branch"]]
        fig.cells_upper_assigned = row["assigned"]
        fig.cells_upper_attended = row["attended"]
    return out


def total_figures(*, path: str, month: dt.date, on: dt.date) -> Figures:
    """The node's figures (the sum over its branches), in four queries."""
    total = Figures()
    for fig in branch_figures(path=path, month=month, on=on).values():
        total.add(fig)
    return total


@dataclass
class Child:
    version: OrgVersion
    figures: Figures


@dataclass
class NodeStats:
    version: OrgVersion
    month: dt.date
    on: dt.date
    quarter: tuple[dt.date, dt.date]
    total: Figures
    children: list[Child]
    meetings: list[Meeting] | None  # at a cell: its meetings of the month


def node_stats(*, policy: Policy, version: OrgVersion, month: dt.date, on: dt.date) -> NodeStats:
    """The node's figures and its visible children's (at a cell: its meetings of the month), in five queries."""
    is_cell = version.kind in CELL_KINDS
    children = [] if is_cell else list(policy.versions(on=on, action=Action.VIEW_ORG).filter(parent_id=version.org_id).order_by("name"))
    branches = branch_figures(path=version.path, month=month, on=on)
    total = Figures()
    for fig in branches.values():
        total.add(fig)
    rows = [Child(version=child, figures=branches.get(child.path, Figures())) for child in children]
    meetings = None
    if is_cell:
        meetings = meeting_rows(org_id=version.org_id, month=month)
    return NodeStats(version=version, month=month, on=on, quarter=quarter_months(month), total=total, children=rows, meetings=meetings)


def meeting_rows(*, org_id: int, month: dt.date) -> list[Meeting]:
    """A cell's meetings of the month, with their stored attendance counts (``Meeting.n_*``)."""
    return list(cell_meetings(month=month).filter(org_id=org_id).select_related("quality").order_by("starts_at", "id"))


# The page: the node's figures and the series, side by side -----------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _series_in_worker(kwargs: dict[str, Any]) -> list[MonthPoint]:
    close_old_connections()  # as at the start of a request: drop a broken or expired connection
    return series(**kwargs)


def node_stats_and_series(
    *, policy: Policy, version: OrgVersion, month: dt.date, on: dt.date, as_of: dt.date | None
) -> tuple[NodeStats, list[MonthPoint]]:
    """What the statistics page shows: ``node_stats`` and the 12-month ``series`` of the node.

    The two share nothing, so on PostgreSQL (outside a transaction, ``CHIBO_STATS_PARALLEL``) the
    series runs on a second connection, in a worker thread, while this thread reads the node's
    figures: the page costs the longer of the two instead of their sum. Elsewhere one after the other.
    """
    global _pool
    kwargs: dict[str, Any] = {"org_id": version.org_id, "month": month, "as_of": as_of}
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and getattr(settings, "CHIBO_STATS_PARALLEL", True)
    if not parallel:
        return node_stats(policy=policy, version=version, month=month, on=on), series(**kwargs)
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chibo-stats")
        pool = _pool
    future = pool.submit(_series_in_worker, kwargs)
    stats = node_stats(policy=policy, version=version, month=month, on=on)
    return stats, future.result()


def _in_worker(fn: Any, kwargs: dict[str, Any]) -> Any:
    close_old_connections()
    return fn(**kwargs)


def submit_beside(fn: Any, **kwargs: Any) -> Any:
    """``fn(**kwargs)`` started on the stats worker's own connection (a ``Future``), on PostgreSQL
    outside a transaction with ``CHIBO_STATS_PARALLEL``; else None (the caller runs it itself).
    For reads that share nothing with what the calling thread reads meanwhile."""
    global _pool
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and getattr(settings, "CHIBO_STATS_PARALLEL", True)
    if not parallel:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chibo-stats")
        pool = _pool
    return pool.submit(_in_worker, fn, kwargs)


def _close_worker_connections() -> None:
    connections.close_all()  # runs in the worker thread: its own connections


def shutdown_pool() -> None:
    """Close the worker's connection and stop it (the test suite does, before dropping its database)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.submit(_close_worker_connections).result()
        pool.shutdown(wait=True)


# The 12-month series --------------------------------------------------------------------------


@dataclass
class MonthPoint:
    month: dt.date
    on: dt.date
    cells_expected: int = 0
    cells_met: int = 0
    expected: int = 0
    present: int = 0

    @property
    def held_share(self) -> Decimal | None:
        return percent(self.cells_met, self.cells_expected)

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.present, self.expected)


def series(
    *, org_id: int, month: dt.date, as_of: dt.date | None = None, months: int = SERIES_MONTHS, allow_constant_tree: bool = True,
) -> list[MonthPoint]:
    """Held share and attendance rate for the ``months`` months ending with ``month``, oldest first.

    Each month follows its own tree (``tree_date``): the node's path and cells on that date. In
    general three queries: the node's versions, then cells, and meetings with their stored
    attendance counts, each one query with one condition per month, grouped by month.

    When the subtree is the same on every month's tree date (an "as of" date, or no version under
    the node starting or ending between the first and the last date: one query tells), the cells
    are those of the last date for every month, and the meetings are filtered by them in one
    semi-join instead of a join per month: the same figures, about half the time at the province
    root. ``allow_constant_tree=False`` forces the general form (tests compare the two).
    """
    points = [MonthPoint(month=m, on=tree_date(m, as_of)) for m in (add_months(month, -i) for i in range(months - 1, -1, -1))]
    dates = [p.on for p in points]
    node_versions = list(
        OrgVersion.objects.filter(org_id=org_id, valid_from__lte=max(dates), valid_to__gt=min(dates)).values("path", "valid_from", "valid_to")
    )
    paths: dict[dt.date, str] = {}
    for p in points:
        for v in node_versions:
            if v["valid_from"] <= p.on < v["valid_to"]:
                paths[p.month] = v["path"]
    live = [p for p in points if p.month in paths]
    if not live:
        return points

    def tree_q(p: MonthPoint, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}valid_from__lte": p.on,
                f"{prefix}valid_to__gt": p.on,
                f"{prefix}path__startswith": paths[p.month],
                f"{prefix}kind__in": CELL_KINDS,
            }
        )

    by_point = {p.month: p for p in live}
    regular = Q(kind__in=REGULAR_KINDS)  # one a cell and month (a constraint): counting them counts cells
    counted = Meeting.objects.filter(kind__in=CELL_MEETING_KINDS, status__in=HELD_STATUSES)
    figures = {"met": Count("id", filter=regular), "expected": Sum("n_expected"), "present": Sum("n_present")}
    lo, hi = min(p.on for p in live), max(p.on for p in live)
    one_path = len({paths[p.month] for p in live}) == 1
    if allow_constant_tree and one_path:
        path = paths[live[0].month]
        changes = Q(valid_from__gt=lo, valid_from__lte=hi) | Q(valid_to__gt=lo, valid_to__lte=hi)
        if lo == hi or not OrgVersion.objects.filter(changes, path__startswith=path).exists():
            cells = OrgVersion.objects.filter(valid_from__lte=hi, valid_to__gt=hi, path__startswith=path, kind__in=CELL_KINDS)
            n_cells = cells.count()
            for p in live:
                p.cells_expected = n_cells
            rows = counted.filter(month__in=[p.month for p in live], org_id__in=cells.values("org_id")).values("month").annotate(**figures)
            for row in _rows(rows):
                _fill(by_point[row["month"]], row)
            return points

    # Cells: one conditional count per month.
    any_tree = Q(pk__in=[])
    for p in live:
        any_tree |= tree_q(p)
    counts = OrgVersion.objects.filter(any_tree).aggregate(**{f"m{i}": Count("id", filter=tree_q(p)) for i, p in enumerate(live)})
    for i, p in enumerate(live):
        p.cells_expected = counts[f"m{i}"] or 0

    # Meetings and attendance: a meeting of month m joins its cell's version in the tree of m.
    # Exactly one version of an organisation is valid on a date, so the join adds no rows.
    def meeting_q(prefix: str) -> Q:
        q = Q(pk__in=[])
        for p in live:
            q |= Q(**{f"{prefix}month": p.month}) & tree_q(p, prefix=f"{prefix}org__versions__")
        return q

    for row in _rows(counted.filter(meeting_q("")).values("month").annotate(**figures)):
        _fill(by_point[row["month"]], row)
    return points


def _fill(point: MonthPoint, row: dict[str, Any]) -> None:
    point.cells_met = row["met"]
    point.expected = row["expected"] or 0
    point.present = row["present"] or 0
