"""Reads of the dues app. Callers reach the cell or member through the access policy first.

Definitions (the report, the home page, the member's page and ``unpaid_months`` share them):
- **owed**: the amounts of the monthly records (``DuesMonth``) of the period (exempt months are 0);
- **collected**: the receipts dated in the period, at the cells of the subtree;
- **in arrears**: records of months that have ended, owed (amount > 0) and not paid by the as-of day;
- **remitted**: remittances of the period's months from the cells of the subtree; **received**: those
  sent to the organisation itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from chibo.core.access import Action, Policy
from chibo.core.dates import add_months
from chibo.dues import rates
from chibo.dues.models import DuesBasis, DuesMonth, DuesRelief, Receipt, Remittance
from chibo.dues.services import regions_for, share_up
from chibo.members.models import Member, Membership, StatusPeriod
from chibo.orgs.models import SEGMENT, OrgVersion


def _unpaid_q(asof: dt.date) -> Q:
    return Q(amount_vnd__gt=0) & (Q(receipt__isnull=True) | Q(receipt__paid_on__gt=asof))


def unpaid_months(*, member_ids: list[int], year: int, until: dt.date) -> dict[int, list[dt.date]]:
    """For each member, the first days of the months of ``year`` up to ``until`` (month's first day on or
    before it) that are owed and unpaid on ``until``, exemptions and 100% relief left out: the evidence
    of the removal ground "no dues for 3 months in a year" (domain.md §2). Members with none are absent.
    Reads the records only (a month without a basis has no record and is not counted). One query."""
    out: dict[int, list[dt.date]] = defaultdict(list)
    if not member_ids:
        return {}
    rows = (
        DuesMonth.objects.filter(_unpaid_q(until), member_id__in=member_ids, month__gte=dt.date(year, 1, 1), month__lte=until, month__year=year)
        .order_by("member_id", "month")
        .values_list("member_id", "month")
    )
    for member_id, month in rows:
        out[member_id].append(month)
    return dict(out)


# A member's account ---------------------------------------------------------------------------


@dataclass
class Account:
    member: Member
    bases: list[DuesBasis]
    reliefs: list[DuesRelief]
    months: list[DuesMonth]  # the latest first, at most MONTHS_SHOWN
    receipts: list[Receipt]
    owing: list[DuesMonth]  # owed and unpaid, up to this month
    owing_vnd: int
    arrears: int  # months owed and unpaid that have ended
    party_age_exempt: bool


MONTHS_SHOWN = 24
RECEIPTS_SHOWN = 24


def account(*, member: Member, on: dt.date) -> Account:
    """Five queries."""
    this_month = on.replace(day=1)
    months = list(DuesMonth.objects.filter(member=member).select_related("receipt").order_by("-month")[:MONTHS_SHOWN])
    owing = list(DuesMonth.objects.filter(_unpaid_q(on), member=member, month__lte=this_month).order_by("month"))
    return Account(
        member=member,
        bases=list(DuesBasis.objects.filter(member=member).order_by("-month_from")),
        reliefs=list(DuesRelief.objects.filter(member=member).order_by("-month_from")),
        months=months,
        receipts=list(Receipt.objects.filter(member=member).order_by("-paid_on", "-id")[:RECEIPTS_SHOWN]),
        owing=owing,
        owing_vnd=sum(m.amount_vnd for m in owing),
        arrears=sum(1 for m in owing if m.month < this_month),
        party_age_exempt=rates.party_age_exempt_on(member.admitted_on, on),
    )


def payable_months(*, member: Member, on: dt.date, ahead: int = 3) -> list[dt.date]:
    """The months offered on a receipt: those owed and unpaid up to this month, then this month and
    the next ``ahead`` unless already paid or exempt. Two queries."""
    this_month = on.replace(day=1)
    owing = set(DuesMonth.objects.filter(member=member, amount_vnd__gt=0, receipt__isnull=True, month__lte=this_month).values_list("month", flat=True))
    settled = set(
        DuesMonth.objects.filter(member=member, month__gte=this_month).filter(Q(receipt__isnull=False) | Q(amount_vnd=0)).values_list("month", flat=True)
    )
    coming = {add_months(this_month, i) for i in range(ahead + 1)} - settled
    return sorted(owing | coming)


# A cell --------------------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: Member
    status: str
    owing_months: int = 0
    owing_vnd: int = 0
    arrears_months: int = 0
    has_basis: bool = False


@dataclass
class CellDues:
    rows: list[MemberRow]
    in_arrears: int
    arrears_vnd: int
    collected_month: int  # this month's receipts
    receipts_month: int
    region: str
    remittances: list[Remittance]
    months_to_remit: list[tuple[dt.date, int, int]]  # (month, collected, share up) not yet remitted


def cell_dues(*, version: OrgVersion, on: dt.date) -> CellDues:
    """The cell's current members with what each owes; six queries whatever the size."""
    this_month = on.replace(day=1)
    ids = list(Membership.objects.filter(org_id=version.org_id, valid_from__lte=on, valid_to__gt=on).values_list("member_id", flat=True))
    members = list(Member.objects.filter(pk__in=ids))
    statuses = dict(StatusPeriod.objects.filter(member_id__in=ids, valid_from__lte=on, valid_to__gt=on).values_list("member_id", "status"))
    owing = {
        r["member_id"]: r
        for r in DuesMonth.objects.filter(_unpaid_q(on), member_id__in=ids, month__lte=this_month).values("member_id").annotate(
            n=Count("id"), vnd=Sum("amount_vnd"), late=Count("id", filter=Q(month__lt=this_month)),
        )
    }  # fmt: skip
    with_basis = set(DuesBasis.objects.filter(member_id__in=ids).values_list("member_id", flat=True))
    rows = []
    for m in members:
        o: dict[str, Any] = owing.get(m.pk, {})  # type: ignore[assignment]
        rows.append(MemberRow(member=m, status=statuses.get(m.pk, ""), owing_months=o.get("n", 0), owing_vnd=o.get("vnd") or 0,
                              arrears_months=o.get("late", 0), has_basis=m.pk in with_basis))
    receipts = Receipt.objects.filter(cell_id=version.org_id, paid_on__gte=this_month, paid_on__lte=on).aggregate(n=Count("id"), vnd=Sum("amount_vnd"))
    year_start = dt.date(on.year, 1, 1) if on.month > 1 else dt.date(on.year - 1, 1, 1)
    remittances = list(Remittance.objects.filter(cell_id=version.org_id, month__gte=year_start).order_by("-month"))
    done = {r.month for r in remittances}
    by_month: dict[dt.date, int] = defaultdict(int)
    for r in Receipt.objects.filter(cell_id=version.org_id, paid_on__gte=year_start).annotate(m=TruncMonth("paid_on")).values("m").annotate(v=Sum("amount_vnd")):
        by_month[_as_date(r["m"])] += r["v"] or 0
    to_remit = [(m, v, share_up(v, m)) for m, v in sorted(by_month.items()) if m not in done and share_up(v, m) > 0]
    return CellDues(
        rows=rows, in_arrears=sum(1 for r in rows if r.arrears_months), arrears_vnd=sum(r.owing_vnd for r in rows if r.arrears_months),
        collected_month=receipts["vnd"] or 0, receipts_month=receipts["n"] or 0, region=regions_for({version.org_id: version.path})[version.org_id],
        remittances=remittances, months_to_remit=to_remit,
    )  # fmt: skip


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# Reports -------------------------------------------------------------------------------------


@dataclass
class Figures:
    owed: int = 0
    collected: int = 0
    arrears_vnd: int = 0
    arrears_members: int = 0
    remitted: int = 0
    received: int = 0
    _members: set[int] = field(default_factory=set, repr=False)


@dataclass
class ChildRow:
    version: OrgVersion
    figures: Figures


@dataclass
class Report:
    version: OrgVersion
    year: int
    month: int  # the last month of the period (1–12)
    on: dt.date  # the tree date and the as-of day
    total: Figures
    children: list[ChildRow]
    series: dict[str, list[int]]  # owed, collected, remitted per month of the year (VND)
    received: list[Remittance]
    received_count: int
    names: dict[int, str]


RECEIVED_SHOWN = 50


def report_period(*, year: int, month: int, today: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date, dt.date]:
    """(first day of the year, first day of the last month, the period's last day, the as-of day — the
    period's last day or today if earlier —, the last month whose end counts for arrears)."""
    start = dt.date(year, 1, 1)
    end_month = dt.date(year, month, 1)
    period_end = rates.last_of_month(end_month)
    on = min(period_end, today)
    ended_before = rates.last_of_month(end_month) if period_end <= on else add_months(on.replace(day=1), -1)
    return start, end_month, period_end, on, ended_before


def report(*, policy: Policy, version: OrgVersion, year: int, month: int, today: dt.date) -> Report:
    """The dues of ``version``'s subtree for the months 01..``month`` of ``year``, on the tree of the
    period's last day (or today, if earlier), drill-down by child. Seven queries, none per child."""
    start, end_month, period_end, on, ended_before = report_period(year=year, month=month, today=today)
    subtree = list(OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=version.path).values_list("org_id", "path", "name", "parent_id"))
    names = {org_id: name for org_id, _p, name, _pa in subtree}
    visible = {v.org_id: v for v in policy.versions(on=on, action=Action.VIEW_ORG).filter(parent_id=version.org_id).order_by("name")}
    width = len(version.path) + SEGMENT
    branch_of: dict[int, int | None] = {}
    for org_id, path, _n, _pa in subtree:
        branch_of[org_id] = int(path[len(version.path):width].strip("/")) if len(path) >= width else None
    orgs = list(branch_of)
    total = Figures()
    per: dict[int, Figures] = defaultdict(Figures)
    series = {"owed": [0] * 12, "collected": [0] * 12, "remitted": [0] * 12}

    def add(org_id: int, attr: str, value: int) -> None:
        setattr(total, attr, getattr(total, attr) + value)
        b = branch_of.get(org_id)
        if b is not None:
            setattr(per[b], attr, getattr(per[b], attr) + value)

    unpaid = _unpaid_q(on) & Q(month__lte=ended_before)
    for r in DuesMonth.objects.filter(cell_id__in=orgs, month__gte=start, month__lte=end_month).values("cell_id", "month").annotate(
        owed=Sum("amount_vnd"), late=Sum("amount_vnd", filter=unpaid),
    ):  # fmt: skip
        add(r["cell_id"], "owed", r["owed"] or 0)
        add(r["cell_id"], "arrears_vnd", r["late"] or 0)
        series["owed"][_as_date(r["month"]).month - 1] += r["owed"] or 0
    for cell_id, member_id in DuesMonth.objects.filter(unpaid, cell_id__in=orgs, month__gte=start, month__lte=end_month).order_by().values_list("cell_id", "member_id").distinct():
        total._members.add(member_id)
        b = branch_of.get(cell_id)
        if b is not None:
            per[b]._members.add(member_id)
    for rc in Receipt.objects.filter(cell_id__in=orgs, paid_on__gte=start, paid_on__lte=min(period_end, on)).annotate(m=TruncMonth("paid_on")).values("cell_id", "m").annotate(v=Sum("amount_vnd")):
        add(rc["cell_id"], "collected", rc["v"] or 0)
        series["collected"][_as_date(rc["m"]).month - 1] += rc["v"] or 0
    for rm in Remittance.objects.filter(cell_id__in=orgs, month__gte=start, month__lte=end_month).values("cell_id", "month").annotate(v=Sum("amount_vnd")):
        add(rm["cell_id"], "remitted", rm["v"] or 0)
        series["remitted"][_as_date(rm["month"]).month - 1] += rm["v"] or 0
    received_q = Remittance.objects.filter(to_org_id__in=orgs, month__gte=start, month__lte=end_month)
    for rv in received_q.values("to_org_id").annotate(v=Sum("amount_vnd")):
        if rv["to_org_id"] == version.org_id:
            total.received += rv["v"] or 0
        elif rv["to_org_id"] in visible:
            per[rv["to_org_id"]].received += rv["v"] or 0
    own = received_q.filter(to_org_id=version.org_id).order_by("-month", "cell_id")
    received = list(own[:RECEIVED_SHOWN])
    received_count = len(received) if len(received) < RECEIVED_SHOWN else own.count()
    total.arrears_members = len(total._members)
    children = []
    for org_id, v in visible.items():
        f = per.get(org_id, Figures())
        f.arrears_members = len(f._members)
        children.append(ChildRow(version=v, figures=f))
    return Report(version=version, year=year, month=month, on=on, total=total, children=children, series=series,
                  received=received, received_count=received_count, names=names)
