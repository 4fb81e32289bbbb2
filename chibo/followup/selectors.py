"""Statistics of the follow-up loops at every level of the tree (issue 8 §6): member tasks,
petitions, briefings and inspections, for a node N, a year Y and a tree date ``on``.

Each loop counts exactly the rows its ``selectors_stats.json_figures`` counts (``chibo stats --json``),
and the node's figures are the sum of its branches':

- **tasks**: tasks created in Y (the day in Vietnam) by cells whose version on ``on`` lies under N;
  by status (open, done, done late, not done); **overdue**: open with a due date before ``on``;
  **overdue share** = overdue / open (percent).
- **petitions**: raised in Y by cells under N on ``on``; by status and by category; the **age** of
  the open ones (at the cell, held, returned, re-opened) in working days from raising to ``on``:
  ≤15, 16–30, >30; **answered**: answered or closed; **overdue**: held past the deadline on ``on``;
  **escalated**: moved up at least once by the daily job; **median working days to answer**: from
  raising to the (last) answer, over the petitions with an answer date, as ``json_figures``.
  **At each level** (the kind of the holding organisation, on ``on``; outside authorities apart):
  petitions held there at some point, answered there, the median working days to answer of those,
  and the share of those held there that were escalated from there.
- **briefings**: planned by committees under N (N included) for Y, cancelled ones left out;
  **held**: of them, held. **inspections**: plan items of Y's plans of organisations under N,
  cancelled ones left out; **done**: of them, done.

Queries: ``branch_figures`` answers the node and every child branch in 8 queries (tasks; petitions:
counts, ages, answers, held levels, escalated levels; briefings; inspections) grouping by the child
branch prefix of the path like ``meetings.selectors_stats``; grouped also by month (quarter for
briefings), the same rows give the page's charts, so ``node_stats`` reads no table twice
(``series`` answers the charts alone in 5). Nothing is queried per child or per row.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractQuarter, Substr
from django.utils.translation import gettext as _

from chibo.briefings.models import Briefing, BriefingStatus
from chibo.core.access import Action, Policy
from chibo.core.dates import zone
from chibo.core.workdays import is_working_day
from chibo.inspections.models import InspectionItem, ItemStatus
from chibo.meetings.selectors_stats import percent, submit_beside
from chibo.orgs.models import CELL_KINDS, SEGMENT, OrgKind, OrgVersion
from chibo.petitions.models import (
    HELD,
    OPEN_STATUSES,
    Category,
    EventKind,
    Petition,
    PetitionEvent,
    Status,
)
from chibo.tasks.models import Task, TaskStatus

TASK_STATUSES = [s.value for s in TaskStatus]
PETITION_STATUSES = [s.value for s in Status]
CATEGORIES = [c.value for c in Category]
AGE_BANDS = ("le15", "le30", "gt30")
EXTERNAL = "external"  # the level of an authority outside the Party (named in words)


def _ver(prefix: str, on: dt.date) -> FilteredRelation:
    """The version of the organisation at ``prefix`` (e.g. "cell__versions") valid on ``on``."""
    return FilteredRelation(
        prefix, condition=Q(**{f"{prefix}__valid_from__lte": on, f"{prefix}__valid_to__gt": on})
    )


def _rows(qs: Any) -> list[dict[str, Any]]:
    """The rows of a ``values()`` query, as plain dicts (for figures read by name)."""
    return list(qs)


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=zone()), dt.datetime(year + 1, 1, 1, tzinfo=zone())


class WorkdayIndex:
    """``working_days_between`` for many pairs of dates: a running count of working days over the
    dates asked so far, extended when needed (a year of rows costs a few hundred steps, not one
    walk per pair)."""

    def __init__(self) -> None:
        self.start: dt.date | None = None
        self.counts: list[int] = []  # counts[i]: working days in (start, start + i]

    def _cover(self, a: dt.date, b: dt.date) -> None:
        if self.start is None or a < self.start:
            self.start, self.counts = a, [0]
        while len(self.counts) <= (b - self.start).days:
            day = self.start + dt.timedelta(days=len(self.counts))
            self.counts.append(self.counts[-1] + (1 if is_working_day(day) else 0))

    def __call__(self, a: dt.date, b: dt.date) -> int:
        if b <= a:
            return 0
        self._cover(a, b)
        assert self.start is not None
        return self.counts[(b - self.start).days] - self.counts[(a - self.start).days]


def age_band(days: int) -> str:
    return "le15" if days <= 15 else "le30" if days <= 30 else "gt30"


def median(values: Counter[int]) -> float | None:
    """The median of values given with their counts, rounded to 1 decimal as ``json_figures``."""
    if not values:
        return None
    return round(float(statistics.median(list(values.elements()))), 1)


# Figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    tasks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TASK_STATUSES, 0))
    tasks_overdue: int = 0
    petitions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PETITION_STATUSES, 0))
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    ages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGE_BANDS, 0))
    petitions_overdue: int = 0
    petitions_escalated: int = 0
    answer_days: Counter[int] = field(default_factory=Counter)  # working days to answer → petitions
    briefings_planned: int = 0
    briefings_held: int = 0
    inspections_planned: int = 0
    inspections_done: int = 0

    def add(self, other: Figures) -> None:
        for mine, theirs in (
            (self.tasks, other.tasks),
            (self.petitions, other.petitions),
            (self.categories, other.categories),
            (self.ages, other.ages),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.answer_days.update(other.answer_days)
        for name in (
            "tasks_overdue",
            "petitions_overdue",
            "petitions_escalated",
            "briefings_planned",
            "briefings_held",
            "inspections_planned",
            "inspections_done",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def tasks_total(self) -> int:
        return sum(self.tasks.values())

    @property
    def tasks_open(self) -> int:
        return self.tasks[TaskStatus.OPEN]

    @property
    def overdue_share(self) -> Decimal | None:
        return percent(self.tasks_overdue, self.tasks_open)

    @property
    def petitions_total(self) -> int:
        return sum(self.petitions.values())

    @property
    def petitions_open(self) -> int:
        return sum(self.petitions[s] for s in OPEN_STATUSES)

    @property
    def petitions_answered(self) -> int:
        return self.petitions[Status.ANSWERED] + self.petitions[Status.CLOSED]

    @property
    def escalated_share(self) -> Decimal | None:
        return percent(self.petitions_escalated, self.petitions_total)

    @property
    def median_days_to_answer(self) -> float | None:
        return median(self.answer_days)

    @property
    def briefings_rate(self) -> Decimal | None:
        return percent(self.briefings_held, self.briefings_planned)

    @property
    def inspections_rate(self) -> Decimal | None:
        return percent(self.inspections_done, self.inspections_planned)

    def as_json(self) -> dict[str, dict[str, Any]]:
        """The four root sections of ``chibo stats --json``, from these figures."""
        t = self.tasks
        return {
            "tasks": {"open": t["open"], "done": t["done"], "done_late": t["done_late"], "not_done": t["not_done"], "overdue": self.tasks_overdue},
            "petitions": {
                "open": self.petitions_open, "answered": self.petitions_answered, "overdue": self.petitions_overdue,
                "escalated": self.petitions_escalated, "median_days_to_answer": self.median_days_to_answer,
            },
            "briefings": {"planned": self.briefings_planned, "held": self.briefings_held},
            "inspections": {"planned": self.inspections_planned, "done": self.inspections_done},
        }  # fmt: skip


@dataclass
class Level:
    """The petitions of the node's subtree at one level of holders (a kind of organisation)."""

    key: str
    held: int = 0
    answered: int = 0
    escalated: int = 0
    answer_days: Counter[int] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        if self.key == EXTERNAL or self.key not in OrgKind.values:
            return _("Cơ quan ngoài Đảng, khác")
        return str(OrgKind(self.key).label)

    @property
    def median_days_to_answer(self) -> float | None:
        return median(self.answer_days)

    @property
    def escalated_share(self) -> Decimal | None:
        return percent(self.escalated, self.held)


def _cells_under(path: str, on: dt.date) -> QuerySet[OrgVersion]:
    return OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=path)


def task_scope(*, path: str, year: int, on: dt.date) -> QuerySet[Task]:
    start, end = _year_range(year)
    return Task.objects.filter(
        cell_id__in=_cells_under(path, on).values("org_id"),
        created_at__gte=start,
        created_at__lt=end,
    )


def petition_scope(*, path: str, year: int, on: dt.date) -> QuerySet[Petition]:
    return Petition.objects.filter(
        org_id__in=_cells_under(path, on).values("org_id"), raised_on__year=year
    )


def briefing_scope(*, path: str, year: int, on: dt.date) -> QuerySet[Briefing]:
    return Briefing.objects.filter(
        committee_id__in=_cells_under(path, on).values("org_id"), year=year
    ).exclude(status=BriefingStatus.CANCELLED)


def inspection_scope(*, path: str, year: int, on: dt.date) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(
        plan__org_id__in=_cells_under(path, on).values("org_id"), plan__year=year
    ).exclude(status=ItemStatus.CANCELLED)


def _empty_series() -> Series:
    return Series(
        tasks=[dict.fromkeys(TASK_STATUSES, 0) for _ in range(12)], raised=[0] * 12, answered=[0] * 12,
        briefings_planned=[0] * 4, briefings_held=[0] * 4, inspections_planned=[0] * 12, inspections_done=[0] * 12,
    )  # fmt: skip


def _branched(qs: QuerySet[Any], relation: str, *, path: str, on: dt.date) -> QuerySet[Any]:
    return (
        qs.annotate(ver=_ver(relation, on))
        .filter(ver__path__startswith=path)
        .annotate(branch=Substr("ver__path", 1, len(path) + SEGMENT))
    )


def _org_loops(*, path: str, year: int, on: dt.date) -> tuple[dict[str, Figures], Series]:
    """The tasks, briefings and inspections part of ``branch_figures``: three queries."""
    out: dict[str, Figures] = defaultdict(Figures)
    s = _empty_series()
    start, end = _year_range(year)

    def branched(qs: QuerySet[Any], relation: str) -> QuerySet[Any]:
        return _branched(qs, relation, path=path, on=on)

    tasks = (
        branched(Task.objects.filter(created_at__gte=start, created_at__lt=end), "cell__versions")
        .annotate(m=ExtractMonth("created_at", tzinfo=zone()))
        .values("branch", "m", "status")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_on__lt=on)))
    )
    for row in _rows(tasks):
        fig = out[row["branch"]]
        fig.tasks[row["status"]] = fig.tasks.get(row["status"], 0) + row["n"]
        if row["status"] == TaskStatus.OPEN:
            fig.tasks_overdue += row["overdue"]
        s.tasks[row["m"] - 1][row["status"]] += row["n"]

    briefings = (
        branched(
            Briefing.objects.filter(year=year).exclude(status=BriefingStatus.CANCELLED),
            "committee__versions",
        )
        .annotate(q=ExtractQuarter("starts_at", tzinfo=zone()))
        .values("branch", "q")
        .annotate(planned=Count("id"), held=Count("id", filter=Q(status=BriefingStatus.HELD)))
    )
    for row in _rows(briefings):
        out[row["branch"]].briefings_planned += row["planned"]
        out[row["branch"]].briefings_held += row["held"]
        s.briefings_planned[row["q"] - 1] += row["planned"]
        s.briefings_held[row["q"] - 1] += row["held"]

    inspections = (
        branched(
            InspectionItem.objects.filter(plan__year=year).exclude(status=ItemStatus.CANCELLED),
            "plan__org__versions",
        )
        .annotate(m=ExtractMonth(F("month_to")))
        .values("branch", "m")
        .annotate(planned=Count("id"), done=Count("id", filter=Q(status=ItemStatus.DONE)))
    )
    for row in _rows(inspections):
        out[row["branch"]].inspections_planned += row["planned"]
        out[row["branch"]].inspections_done += row["done"]
        s.inspections_planned[row["m"] - 1] += row["planned"]
        s.inspections_done[row["m"] - 1] += row["done"]
    return out, s


def branch_figures(
    *, path: str, year: int, on: dt.date, charts: Series | None = None
) -> tuple[dict[str, Figures], dict[str, Level]]:
    """Figures for each child branch of the node at ``path`` (key: the child's path; the node
    itself: ``path``), and the node's petitions by level of holder. Eight queries (the three of
    ``_org_loops`` on a second connection, beside the petitions', on PostgreSQL). Given
    ``charts`` (an empty ``Series``), fills it from the same rows (each query also groups by the
    month or quarter), so the page's charts cost no query of their own."""
    s = charts if charts is not None else _empty_series()
    out: dict[str, Figures] = defaultdict(Figures)
    # Tasks, briefings and inspections share no row with the petitions: on PostgreSQL they are
    # read on the stats worker's connection meanwhile (``meetings.selectors_stats.submit_beside``).
    beside = submit_beside(_org_loops, path=path, year=year, on=on)

    def branched(qs: QuerySet[Any], relation: str) -> QuerySet[Any]:
        return _branched(qs, relation, path=path, on=on)

    petitions = branched(Petition.objects.filter(raised_on__year=year), "org__versions")
    counts = petitions.annotate(m=ExtractMonth("raised_on")).values("branch", "m").annotate(
        n=Count("id"),
        overdue=Count("id", filter=Q(status__in=HELD, deadline__lt=on)),
        escalated=Count("id", filter=Q(escalation_count__gt=0)),
        **{f"s_{s}": Count("id", filter=Q(status=s)) for s in PETITION_STATUSES},
        **{f"c_{c}": Count("id", filter=Q(category=c)) for c in CATEGORIES},
    )
    for row in _rows(counts):
        fig = out[row["branch"]]
        for st in PETITION_STATUSES:
            fig.petitions[st] += row[f"s_{st}"]
        for c in CATEGORIES:
            fig.categories[c] += row[f"c_{c}"]
        fig.petitions_overdue += row["overdue"]
        fig.petitions_escalated += row["escalated"]
        s.raised[row["m"] - 1] += row["n"]
    # Ages in working days: one row per branch and day raised (at most 366 a branch), counted here.
    wdays = WorkdayIndex()

    for row in _rows(
        petitions.filter(status__in=OPEN_STATUSES)
        .values("branch", "raised_on")
        .annotate(n=Count("id"))
    ):
        out[row["branch"]].ages[age_band(wdays(row["raised_on"], on))] += row["n"]

    levels: dict[str, Level] = {}

    def level(kind: str | None) -> Level:
        key = kind or EXTERNAL
        return levels.setdefault(key, Level(key=key))

    answers = (
        petitions.filter(answered_on__isnull=False)
        .annotate(aver=_ver("answered_by_org__versions", on))
        .values_list("branch", "aver__kind", "raised_on", "answered_on")
        .annotate(n=Count("id"))
    )
    # A row per branch, level and pair of dates (about one per answered petition): kept to plain
    # tuples and dictionary lookups, the working days counted once per pair of dates.
    spans: dict[tuple[dt.date, dt.date], int] = {}
    for branch, kind, raised_on, answered_on, n in answers:
        n_days = spans.get((raised_on, answered_on))
        if n_days is None:
            n_days = spans[raised_on, answered_on] = wdays(raised_on, answered_on)
        out[branch].answer_days[n_days] += n
        lvl = level(kind)
        lvl.answer_days[n_days] += n
        lvl.answered += n
        if answered_on.year == year:
            s.answered[answered_on.month - 1] += n

    in_scope = petitions.values("id")
    held = (
        PetitionEvent.objects.filter(petition_id__in=in_scope)
        .filter(Q(to_holder__isnull=False) | ~Q(to_external=""))
        .annotate(hver=_ver("to_holder__versions", on))
        .values("hver__kind")
        .annotate(n=Count("petition_id", distinct=True))
    )
    for row in _rows(held):
        level(row["hver__kind"]).held += row["n"]
    escalated = (
        PetitionEvent.objects.filter(petition_id__in=in_scope, kind=EventKind.ESCALATED)
        .annotate(hver=_ver("from_holder__versions", on))
        .values("hver__kind")
        .annotate(n=Count("petition_id", distinct=True))
    )
    for row in _rows(escalated):
        level(row["hver__kind"]).escalated += row["n"]

    org_out, org_s = beside.result() if beside is not None else _org_loops(path=path, year=year, on=on)
    for branch, fig in org_out.items():
        out[branch].add(fig)
    s.tasks = org_s.tasks
    s.briefings_planned, s.briefings_held = org_s.briefings_planned, org_s.briefings_held
    s.inspections_planned, s.inspections_done = org_s.inspections_planned, org_s.inspections_done
    order = {k: i for i, k in enumerate([*OrgKind.values, EXTERNAL])}
    return out, dict(sorted(levels.items(), key=lambda kv: order.get(kv[0], 99)))


def total_figures(*, path: str, year: int, on: dt.date) -> Figures:
    total = Figures()
    for fig in branch_figures(path=path, year=year, on=on)[0].values():
        total.add(fig)
    return total


# The charts' series ---------------------------------------------------------------------------


@dataclass
class Series:
    """Per month (1..12) or quarter (1..4) of the year."""

    tasks: list[dict[str, int]]  # 12 months: status → tasks created that month
    raised: list[int]  # 12 months: petitions raised
    answered: list[int]  # 12 months: of them, answered that month (answer date in the year)
    briefings_planned: list[int]  # 4 quarters (of the briefing's date)
    briefings_held: list[int]
    inspections_planned: list[int]  # 12 months (the last planned month of the item)
    inspections_done: list[int]


def series(*, path: str, year: int, on: dt.date) -> Series:
    """The charts' figures in five queries, over the same rows as ``branch_figures``."""
    s = _empty_series()
    tasks = (
        task_scope(path=path, year=year, on=on)
        .annotate(m=ExtractMonth("created_at", tzinfo=zone()))
        .values("m", "status")
        .annotate(n=Count("id"))
    )
    for row in _rows(tasks):
        s.tasks[row["m"] - 1][row["status"]] = row["n"]
    petitions = petition_scope(path=path, year=year, on=on)
    for row in _rows(
        petitions.annotate(m=ExtractMonth("raised_on")).values("m").annotate(n=Count("id"))
    ):
        s.raised[row["m"] - 1] = row["n"]
    for row in _rows(
        petitions.filter(answered_on__year=year)
        .annotate(m=ExtractMonth("answered_on"))
        .values("m")
        .annotate(n=Count("id"))
    ):
        s.answered[row["m"] - 1] = row["n"]
    briefings = (
        briefing_scope(path=path, year=year, on=on)
        .annotate(q=ExtractQuarter("starts_at", tzinfo=zone()))
        .values("q")
    )
    for row in _rows(
        briefings.annotate(
            planned=Count("id"), held=Count("id", filter=Q(status=BriefingStatus.HELD))
        )
    ):
        s.briefings_planned[row["q"] - 1] += row["planned"]
        s.briefings_held[row["q"] - 1] += row["held"]
    items = (
        inspection_scope(path=path, year=year, on=on)
        .annotate(m=ExtractMonth(F("month_to")))
        .values("m")
    )
    for row in _rows(
        items.annotate(planned=Count("id"), done=Count("id", filter=Q(status=ItemStatus.DONE)))
    ):
        s.inspections_planned[row["m"] - 1] += row["planned"]
        s.inspections_done[row["m"] - 1] += row["done"]
    return s


# The page -------------------------------------------------------------------------------------


@dataclass
class Child:
    version: OrgVersion
    figures: Figures


@dataclass
class NodeStats:
    version: OrgVersion
    year: int
    on: dt.date
    total: Figures
    children: list[Child]
    levels: list[Level]
    series: Series
    is_cell: bool


def node_stats(*, policy: Policy, version: OrgVersion, year: int, on: dt.date) -> NodeStats:
    """The node's figures, its visible children's, its petitions by level and the charts (read from
    the same rows as the figures): 9 queries."""
    is_cell = version.kind in CELL_KINDS
    children = (
        []
        if is_cell
        else list(
            policy.versions(on=on, action=Action.VIEW_ORG)
            .filter(parent_id=version.org_id)
            .order_by("name")
        )
    )
    charts = _empty_series()
    branches, levels = branch_figures(path=version.path, year=year, on=on, charts=charts)
    total = Figures()
    for fig in branches.values():
        total.add(fig)
    rows = [Child(version=child, figures=branches.get(child.path, Figures())) for child in children]
    return NodeStats(
        version=version, year=year, on=on, total=total, children=rows, levels=list(levels.values()),
        series=charts, is_cell=is_cell,
    )  # fmt: skip
