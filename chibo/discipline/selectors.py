"""Reads for exemption, removal, discipline, flags and reconciliation. Scoped by the callers: views
reach an organisation through the access policy (chibo.discipline.access), and these read its subtree
on today's tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy

from chibo.core.dates import add_months
from chibo.core.models import OPEN
from chibo.discipline.models import (
    DisciplineRecord,
    Exemption,
    ExemptionStatus,
    FlagStatus,
    Reconciliation,
    Removal,
    RemovalFlag,
    RemovalStatus,
)
from chibo.members.models import ACTIVE_STATUSES, Membership, Status, StatusPeriod
from chibo.orgs.models import CELL_KINDS, OrgVersion

SHOWN = 50  # rows of each list on an organisation's page (the newest; open ones first)
CELLS_SHOWN = 100  # cells in the reconciliation list (the most overdue first)


def member_cell_on(member_id: int, on: dt.date) -> int | None:
    return Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True).first()


def member_status_on(member_id: int, on: dt.date) -> str | None:
    return StatusPeriod.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).values_list("status", flat=True).first()


def registry_counts(*, cell_id: int, on: dt.date) -> tuple[int, int, int]:
    """What the registry says on ``on`` for the cell's three books (two queries):
    current members (a record in the cell, a status counted in the membership total);
    members who left (a record that moved away, or a status transferred out or removed);
    deceased members (a record in the cell, status deceased: the record stays with its last cell)."""
    rows = list(Membership.objects.filter(org_id=cell_id, valid_from__lte=on).values_list("member_id", "valid_to"))
    here = {m for m, valid_to in rows if valid_to > on}
    gone = {m for m, _valid_to in rows} - here
    statuses = dict(StatusPeriod.objects.filter(member_id__in=here, valid_from__lte=on, valid_to__gt=on).values_list("member_id", "status"))
    current = sum(1 for m in here if statuses.get(m) in ACTIVE_STATUSES)
    deceased = sum(1 for m in here if statuses.get(m) == Status.DECEASED)
    left = len(gone) + sum(1 for m in here if statuses.get(m) in (Status.TRANSFERRED_OUT, Status.REMOVED))
    return current, left, deceased


# Reconciliation due ----------------------------------------------------------------------------


def every_months() -> int:
    return int(settings.CHIBO_RECONCILE_EVERY_MONTHS)


def due_threshold(today: dt.date) -> dt.date:
    """A cell is overdue on ``today`` when its last check (or, never checked, its founding) is before
    this day: the check of day D is due by D + N months and overdue from the day after."""
    return add_months(today, -every_months())


def due_on(last: dt.date) -> dt.date:
    return add_months(last, every_months())


def _last_check() -> Subquery:
    return Subquery(Reconciliation.objects.filter(cell_id=OuterRef("org_id")).order_by().values("cell_id").annotate(m=Max("checked_on")).values("m")[:1])


def _overdue_q(today: dt.date) -> Q:
    threshold = due_threshold(today)
    return Q(last_check__lt=threshold) | Q(last_check__isnull=True, org__founded_on__lt=threshold)


def cells_under(path: str, on: dt.date) -> QuerySet[OrgVersion]:
    return OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=path, kind__in=CELL_KINDS)


@dataclass
class CellCheck:
    version: OrgVersion
    last: dt.date | None
    due: dt.date
    overdue: bool


@dataclass
class ReconcileStatus:
    cells: int
    overdue: int
    rows: list[CellCheck]  # up to CELLS_SHOWN, the overdue (longest first), then the next due


def reconcile_status(*, path: str, today: dt.date) -> ReconcileStatus:
    """The cells of a subtree and their last check (two queries whatever the size of the tree)."""
    qs = cells_under(path, today).annotate(last_check=_last_check())
    counts = qs.aggregate(cells=Count("pk"), overdue=Count("pk", filter=_overdue_q(today)))
    rows = []
    for v in qs.select_related("org").order_by(F("last_check").asc(nulls_first=True), "name", "pk")[:CELLS_SHOWN]:
        last = v.last_check  # type: ignore[attr-defined]
        due = due_on(last or v.org.founded_on)
        rows.append(CellCheck(version=v, last=last, due=due, overdue=due < today))
    rows.sort(key=lambda r: (not r.overdue, r.due))
    return ReconcileStatus(cells=counts["cells"], overdue=counts["overdue"], rows=rows)


def cell_check(*, cell_id: int, today: dt.date) -> CellCheck | None:
    """One cell's reconciliation state (one query)."""
    v = OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=today, valid_to__gt=today, kind__in=CELL_KINDS).select_related("org").annotate(last_check=_last_check()).first()
    if v is None:
        return None
    last = v.last_check  # type: ignore[attr-defined]
    due = due_on(last or v.org.founded_on)
    return CellCheck(version=v, last=last, due=due, overdue=due < today)


def overdue_count(*, paths: list[str], today: dt.date) -> int:
    """Cells overdue under any of ``paths`` (one query; a cell under two of them counts once)."""
    if not paths:
        return 0
    under = Q(pk__in=[])
    for p in paths:
        under |= Q(path__startswith=p)
    return OrgVersion.objects.filter(under, valid_from__lte=today, valid_to__gt=today, kind__in=CELL_KINDS).annotate(last_check=_last_check()).filter(_overdue_q(today)).count()


# Lists of a subtree ----------------------------------------------------------------------------


def _in(path: str, today: dt.date) -> Q:
    return Q(cell_id__in=cells_under(path, today).values("org_id"))


@dataclass
class OrgLists:
    flags: list[RemovalFlag]
    exemptions: list[Exemption]
    removals: list[Removal]
    records: list[DisciplineRecord]


def org_lists(*, path: str, today: dt.date) -> OrgLists:
    """Open flags, exemptions (waiting or in force first), removal proposals (waiting first) and
    discipline records of the cells of a subtree: four queries, SHOWN rows each."""
    where = _in(path, today)
    flags = list(RemovalFlag.objects.filter(where, status=FlagStatus.OPEN).select_related("member").order_by("-raised_on", "pk")[:SHOWN])
    exemptions = list(
        Exemption.objects.filter(where).select_related("member")
        .order_by(_first(Q(status__in=[ExemptionStatus.APPLIED, ExemptionStatus.EXEMPTED])), "-applied_on", "-pk")[:SHOWN]
    )  # fmt: skip
    removals = list(Removal.objects.filter(where).select_related("member").order_by(_first(Q(status=RemovalStatus.PROPOSED)), "-proposed_on", "-pk")[:SHOWN])
    records = list(DisciplineRecord.objects.filter(where).select_related("member").order_by("-decided_on", "-pk")[:SHOWN])
    return OrgLists(flags=flags, exemptions=exemptions, removals=removals, records=records)


def _first(q: Q) -> OrderBy:
    return Case(When(q, then=Value(0)), default=Value(1), output_field=BooleanField()).asc()


# A member's record -----------------------------------------------------------------------------


@dataclass
class MemberSection:
    exemptions: list[Exemption]
    removals: list[Removal]
    records: list[DisciplineRecord]
    flags: list[RemovalFlag]

    def __bool__(self) -> bool:
        return bool(self.exemptions or self.removals or self.records or self.flags)


def member_section(*, member_id: int) -> MemberSection:
    return MemberSection(
        exemptions=list(Exemption.objects.filter(member_id=member_id)),
        removals=list(Removal.objects.filter(member_id=member_id)),
        records=list(DisciplineRecord.objects.filter(member_id=member_id)),
        flags=list(RemovalFlag.objects.filter(member_id=member_id, status=FlagStatus.OPEN)),
    )


def active_members() -> dict[int, int]:
    """Members the flags concern (member id → cell id): a record in a cell and an official or
    probationary status today; exempted, temporarily transferred and former members are not flagged."""
    return dict(
        Membership.objects.filter(
            valid_to=OPEN, member__status_periods__valid_to=OPEN, member__status_periods__status__in=[Status.OFFICIAL, Status.PROBATIONARY],
        ).values_list("member_id", "org_id")
    )  # fmt: skip
