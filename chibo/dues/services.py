"""Writes of the dues app: the region of a subtree, a member's basis and relief, receipts, remittances,
and the monthly records (``DuesMonth``) they produce. Keyword-only arguments, one transaction, an
audit row for each change; a refusal raises ChiboError and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import add_months, fmt_date, fmt_month, today
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.dues import rates
from chibo.dues.models import (
    WITH_BASE,
    Category,
    DuesBasis,
    DuesMonth,
    DuesRegion,
    DuesRelief,
    PayMethod,
    Receipt,
    Region,
    ReliefKind,
    ReliefReason,
    Remittance,
)
from chibo.members.models import Member, Membership, StatusPeriod
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion, path_segment

MAX_VND = 10_000_000_000  # a sanity bound on typed amounts (ten billion VND)
ADVANCE_MONTHS = 12  # months ahead a member may pay (a product choice)


def _month(value: dt.date) -> dt.date:
    return value.replace(day=1)


# Region --------------------------------------------------------------------------------------


@transaction.atomic
def region_set(*, actor: Any, org: Organisation, region: str) -> DuesRegion:
    if region not in Region.values:
        raise ChiboError(_("Vùng không hợp lệ (I, II, III hoặc IV)."), field="region")
    row = DuesRegion.objects.filter(org=org).first()
    before = {"region": row.region} if row else {}
    if row is None:
        row = DuesRegion(org=org)
    row.region = region
    row.save()
    audit.record(actor=actor, verb="dues.region_set", obj=org, summary=_("Vùng lương tối thiểu tính đảng phí: %(r)s") % {"r": region},
                 before=before, after={"region": region})
    return row


def regions_for(paths: dict[int, str]) -> dict[int, str]:
    """The region of each organisation (id → its path): the nearest DuesRegion up its path, else the
    default (CHIBO_DUES_DEFAULT_REGION). One query."""
    ids = {int(seg) for path in paths.values() for seg in path.strip("/").split("/") if seg}
    own = dict(DuesRegion.objects.filter(org_id__in=ids).values_list("org_id", "region"))
    out = {}
    for org_id, path in paths.items():
        chain = [int(seg) for seg in path.strip("/").split("/") if seg]
        out[org_id] = next((own[i] for i in reversed(chain) if i in own), settings.CHIBO_DUES_DEFAULT_REGION)
    return out


# Monthly records -----------------------------------------------------------------------------


def _status_day(month: dt.date, on: dt.date) -> dt.date:
    """The day whose status and cell decide a month: its last day, or ``on`` for the current month
    and months paid ahead."""
    return min(rates.last_of_month(month), max(on, month))


def _build_rows(*, member_ids: Iterable[int], months: Iterable[dt.date], on: dt.date) -> list[DuesMonth]:
    """The records to create for these members and months (existing ones are left out): a month is
    owed when a basis covers it and the member's status on its day owes dues (CHIBO_DUES_OWED_STATUSES).
    Seven queries, whatever the number of members."""
    ids = sorted(set(member_ids))
    wanted = sorted({_month(m) for m in months})
    if not ids or not wanted:
        return []
    last = wanted[-1]
    members = {m.pk: m for m in Member.objects.filter(pk__in=ids).only("pk", "date_of_birth", "sex", "admitted_on")}
    bases: dict[int, list[DuesBasis]] = defaultdict(list)
    for b in DuesBasis.objects.filter(member_id__in=ids, month_from__lte=last).order_by("member_id", "month_from"):
        bases[b.member_id].append(b)
    reliefs: dict[int, list[DuesRelief]] = defaultdict(list)
    for r in DuesRelief.objects.filter(member_id__in=ids, month_from__lte=last).filter(Q(month_to__isnull=True) | Q(month_to__gte=wanted[0])):
        reliefs[r.member_id].append(r)
    first_day = _status_day(wanted[0], on)
    last_day = _status_day(last, on)
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for ms in Membership.objects.filter(member_id__in=ids, valid_from__lte=last_day, valid_to__gt=first_day):
        memberships[ms.member_id].append(ms)
    statuses: dict[int, list[StatusPeriod]] = defaultdict(list)
    for sp in StatusPeriod.objects.filter(member_id__in=ids, valid_from__lte=last_day, valid_to__gt=first_day):
        statuses[sp.member_id].append(sp)
    existing = set(DuesMonth.objects.filter(member_id__in=ids, month__in=wanted).values_list("member_id", "month"))
    cells = {ms.org_id for group in memberships.values() for ms in group}
    paths = dict(OrgVersion.objects.filter(org_id__in=cells, valid_to=OPEN).values_list("org_id", "path"))
    region = regions_for(paths)
    owed = set(settings.CHIBO_DUES_OWED_STATUSES)
    rows: list[DuesMonth] = []
    for member_id in ids:
        member = members.get(member_id)
        if member is None:
            continue
        for month in wanted:
            if (member_id, month) in existing:
                continue
            basis = next((b for b in reversed(bases.get(member_id, [])) if b.month_from <= month), None)
            if basis is None:
                continue
            day = _status_day(month, on)
            status = next((s.status for s in statuses.get(member_id, []) if s.valid_from <= day < s.valid_to), None)
            cell = next((ms.org_id for ms in memberships.get(member_id, []) if ms.valid_from <= day < ms.valid_to), None)
            if status not in owed or cell is None:
                continue
            relief = next(
                (r for r in reliefs.get(member_id, []) if r.month_from <= month and (r.month_to is None or month <= r.month_to)), None
            )
            percent = 0 if relief is None else (100 if relief.kind == ReliefKind.EXEMPT else int(relief.percent or 0))
            note = "" if relief is None else f"{relief.get_reason_display()}: {relief.note}"[:300]
            c = rates.compute(
                category=basis.category, base_vnd=basis.base_vnd, month=month, region=region.get(cell, settings.CHIBO_DUES_DEFAULT_REGION),
                born=member.date_of_birth, sex=member.sex, admitted_on=member.admitted_on, relief_percent=percent, relief_note=note,
            )
            rows.append(DuesMonth(
                member_id=member_id, month=month, cell_id=cell, category=c.category, base_vnd=c.base_vnd, region=c.region, rate=c.rate,
                rate_since=c.rate_since, gross_vnd=c.gross_vnd, relief_percent=c.relief_percent, relief_note=c.relief_note, amount_vnd=c.amount_vnd,
            ))  # fmt: skip
    return rows


def refresh_months(*, member_ids: Iterable[int], months: Iterable[dt.date], on: dt.date) -> int:
    """Recompute the unpaid records of these months (paid ones stay as they were paid) and create the
    missing ones. Called inside the caller's transaction; returns the records written."""
    ids, wanted = list(set(member_ids)), sorted({_month(m) for m in months})
    DuesMonth.objects.filter(member_id__in=ids, month__in=wanted, receipt__isnull=True).delete()
    rows = _build_rows(member_ids=ids, months=wanted, on=on)
    DuesMonth.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _months_to_refresh(member: Member, month_from: dt.date, month_to: dt.date | None, on: dt.date) -> list[dt.date]:
    latest = DuesMonth.objects.filter(member=member).aggregate(m=Max("month"))["m"]
    end = max(_month(on), latest or _month(on))
    if month_to is not None:
        end = min(end, month_to)
    return rates.months_in(month_from, end) if month_from <= end else []


@transaction.atomic
def open_month(*, month: dt.date, on: dt.date) -> int:
    """The records of ``month`` for every member with a basis (the daily job; idempotent)."""
    ids = DuesBasis.objects.filter(month_from__lte=month).order_by().values_list("member_id", flat=True).distinct()
    rows = _build_rows(member_ids=list(ids), months=[month], on=on)
    DuesMonth.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# Basis and relief ----------------------------------------------------------------------------


def _check_month(month: dt.date | None, *, member: Member, field: str) -> dt.date:
    if month is None:
        raise ChiboError(_("Hãy chọn tháng."), field=field)
    month = _month(month)
    if month < _month(member.admitted_on):
        raise ChiboError(_("Tháng không được trước tháng vào Đảng (%(m)s).") % {"m": fmt_month(member.admitted_on)}, field=field)
    if month > add_months(_month(today()), ADVANCE_MONTHS):
        raise ChiboError(_("Tháng quá xa (chỉ đến %(n)s tháng sau tháng này).") % {"n": ADVANCE_MONTHS}, field=field)
    return month


@transaction.atomic
def basis_set(*, actor: Any, member: Member, category: str, base_vnd: int | None, month_from: dt.date) -> DuesBasis:
    """The member's dues basis from ``month_from`` (replacing one from the same month); the unpaid
    records from that month on are recomputed."""
    if category not in Category.values:
        raise ChiboError(_("Hãy chọn đối tượng đóng đảng phí."), field="category")
    if category in WITH_BASE:
        if base_vnd is None or base_vnd <= 0:
            raise ChiboError(_("Hãy nhập số tiền lương hoặc lương hưu (đồng, lớn hơn 0)."), field="base_vnd")
        if base_vnd > MAX_VND:
            raise ChiboError(_("Số tiền quá lớn."), field="base_vnd")
    elif base_vnd:
        raise ChiboError(_("Đối tượng này không tính theo tiền lương: để trống số tiền."), field="base_vnd")
    else:
        base_vnd = None
    month = _check_month(month_from, member=member, field="month_from")
    row = DuesBasis.objects.filter(member=member, month_from=month).first()
    before = audit.snapshot(row, ["category", "base_vnd", "month_from"]) if row else {}
    if row is None:
        row = DuesBasis(member=member, month_from=month)
    row.category, row.base_vnd = category, base_vnd
    row.save()
    refresh_months(member_ids=[member.pk], months=_months_to_refresh(member, month, None, today()), on=today())
    audit.record(
        actor=actor, verb="dues.basis_set", obj=member,
        summary=_("Căn cứ đóng đảng phí từ tháng %(m)s: %(c)s") % {"m": fmt_month(month), "c": Category(category).label},
        before=before, after=audit.snapshot(row, ["category", "base_vnd", "month_from"]),
    )  # fmt: skip
    return row


@transaction.atomic
def relief_add(
    *, actor: Any, member: Member, kind: str, reason: str, note: str, percent: int | None, month_from: dt.date | None,
    month_to: dt.date | None,
) -> DuesRelief:
    """An exemption on request or a reduction (30/50/70% for at most CHIBO_DUES_REDUCTION_MAX_MONTHS
    months); the unpaid records of its months are recomputed."""
    if kind not in ReliefKind.values:
        raise ChiboError(_("Hãy chọn miễn hoặc giảm."), field="kind")
    if reason not in ReliefReason.values:
        raise ChiboError(_("Hãy chọn lý do."), field="reason")
    note = (note or "").strip()
    if not note:
        raise ChiboError(_("Hãy ghi rõ lý do."), field="note")
    start = _check_month(month_from, member=member, field="month_from")
    end = _month(month_to) if month_to else None
    if end is not None and end < start:
        raise ChiboError(_("Tháng kết thúc phải từ tháng bắt đầu trở đi."), field="month_to")
    if kind == ReliefKind.REDUCE:
        if percent not in settings.CHIBO_DUES_REDUCTION_PERCENTS:
            raise ChiboError(_("Mức giảm là 30%, 50% hoặc 70%."), field="percent")
        if end is None:
            raise ChiboError(_("Hãy chọn tháng kết thúc của thời gian giảm."), field="month_to")
        most = settings.CHIBO_DUES_REDUCTION_MAX_MONTHS
        if rates.months_spanned(start, end) > most:
            raise ChiboError(_("Mỗi lần giảm đảng phí không quá %(n)s tháng.") % {"n": most}, field="month_to")
    else:
        percent = None
    overlap = DuesRelief.objects.filter(member=member).filter(Q(month_to__isnull=True) | Q(month_to__gte=start))
    if end is not None:
        overlap = overlap.filter(month_from__lte=end)
    if overlap.exists():
        raise ChiboError(_("Đảng viên đã được miễn hoặc giảm trong thời gian này."), field="month_from")
    relief = DuesRelief.objects.create(member=member, kind=kind, reason=reason, note=note[:300], percent=percent, month_from=start, month_to=end)
    refresh_months(member_ids=[member.pk], months=_months_to_refresh(member, start, end, today()), on=today())
    what = _("miễn") if kind == ReliefKind.EXEMPT else _("giảm %(p)s%%") % {"p": percent}
    period = fmt_month(start) + ("–" + fmt_month(end) if end else "")
    audit.record(actor=actor, verb="dues.relief_add", obj=member, summary=_("Đảng phí: %(what)s, %(period)s (%(why)s)") % {
        "what": what, "period": period, "why": ReliefReason(reason).label}, after=audit.snapshot(relief))  # fmt: skip
    return relief


# Receipts ------------------------------------------------------------------------------------


def current_cell_id(member: Member, on: dt.date) -> int | None:
    row = Membership.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True).first()
    return row


@transaction.atomic
def receipt_create(
    *, actor: Any, member: Member, months: list[dt.date], paid_on: dt.date | None, amount_vnd: int | None = None,
    method: str = PayMethod.CASH, portal_ref: str = "", number: int | None = None,
) -> Receipt:
    """A receipt at the member's cell for one or more months owed and unpaid (months ahead too, up to
    ADVANCE_MONTHS). The amount, when typed, must be the total of those months."""
    on = today()
    if paid_on is None:
        raise ChiboError(_("Hãy nhập ngày nộp."), field="paid_on")
    if paid_on > on:
        raise ChiboError(_("Ngày nộp không được sau hôm nay."), field="paid_on")
    if method not in PayMethod.values:
        raise ChiboError(_("Hãy chọn hình thức nộp."), field="method")
    portal_ref = (portal_ref or "").strip()
    if method == PayMethod.PORTAL and not portal_ref:
        raise ChiboError(_("Hãy nhập mã giao dịch trên Cổng Dịch vụ công."), field="portal_ref")
    if method == PayMethod.CASH:
        portal_ref = ""
    wanted = sorted({_month(m) for m in months})
    if not wanted:
        raise ChiboError(_("Hãy chọn ít nhất một tháng."), field="months")
    if wanted[-1] > add_months(_month(on), ADVANCE_MONTHS):
        raise ChiboError(_("Chỉ nộp trước tối đa %(n)s tháng.") % {"n": ADVANCE_MONTHS}, field="months")
    cell_id = current_cell_id(member, on)
    if cell_id is None:
        raise ChiboError(_("Đảng viên không sinh hoạt ở chi bộ nào."), field=None)
    missing = [m for m in wanted if not DuesMonth.objects.filter(member=member, month=m).exists()]
    if missing:
        DuesMonth.objects.bulk_create(_build_rows(member_ids=[member.pk], months=missing, on=on), ignore_conflicts=True)
    rows = {r.month: r for r in DuesMonth.objects.select_for_update().filter(member=member, month__in=wanted)}
    for m in wanted:
        row = rows.get(m)
        if row is None:
            raise ChiboError(_("Tháng %(m)s chưa có căn cứ đóng đảng phí.") % {"m": fmt_month(m)}, field="months")
        if row.receipt_id is not None:
            raise ChiboError(_("Tháng %(m)s đã nộp.") % {"m": fmt_month(m)}, field="months")
        if row.amount_vnd == 0:
            raise ChiboError(_("Tháng %(m)s được miễn đảng phí.") % {"m": fmt_month(m)}, field="months")
    total = sum(rows[m].amount_vnd for m in wanted)
    if amount_vnd is not None and amount_vnd != total:
        raise ChiboError(_("Số tiền phải bằng tổng số phải nộp của các tháng đã chọn: %(t)s đồng.") % {"t": f"{total:,}".replace(",", ".")},
                         field="amount_vnd")
    year = paid_on.year
    if number is None:
        number = (Receipt.objects.filter(cell_id=cell_id, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    elif number < 1:
        raise ChiboError(_("Số biên lai phải từ 1 trở lên."), field="number")
    elif Receipt.objects.filter(cell_id=cell_id, year=year, number=number).exists():
        raise ChiboError(_("Số biên lai %(n)s năm %(y)s đã dùng.") % {"n": number, "y": year}, field="number")
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(
                cell_id=cell_id, year=year, number=number, member=member, paid_on=paid_on, amount_vnd=total, method=method,
                portal_ref=portal_ref[:64], collected_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise ChiboError(_("Số biên lai %(n)s năm %(y)s đã dùng.") % {"n": number, "y": year}, field="number") from None
    DuesMonth.objects.filter(pk__in=[rows[m].pk for m in wanted]).update(receipt=receipt)
    audit.record(
        actor=actor, verb="dues.receipt_create", obj=receipt,
        summary=_("Biên lai số %(n)s: %(name)s nộp đảng phí %(months)s, %(t)s đồng") % {
            "n": str(receipt), "name": member.full_name, "months": ", ".join(fmt_month(m) for m in wanted), "t": f"{total:,}".replace(",", "."),
        },
        after={**audit.snapshot(receipt), "months": [m.isoformat() for m in wanted]},
    )  # fmt: skip
    return receipt


# Remittances ---------------------------------------------------------------------------------


def collected_in(*, cell_id: int, month: dt.date) -> int:
    """The dues the cell collected in ``month`` (receipts by their date)."""
    end = add_months(month, 1)
    return sum(Receipt.objects.filter(cell_id=cell_id, paid_on__gte=month, paid_on__lt=end).values_list("amount_vnd", flat=True))


def share_up(collected: int, month: dt.date) -> int:
    """The part of ``collected`` passed to the level above (CHIBO_DUES_CELL_KEEPS is kept, a guess)."""
    from chibo.core.rules import rule_on

    keeps = int(rule_on("CHIBO_DUES_CELL_KEEPS", month))
    return collected - collected * keeps // 100


@transaction.atomic
def remittance_create(
    *, actor: Any, cell: Organisation, month: dt.date | None, to_org: Organisation | None, amount_vnd: int | None,
    remitted_on: dt.date | None, note: str = "",
) -> Remittance:
    on = today()
    version = OrgVersion.objects.filter(org=cell, valid_from__lte=on, valid_to__gt=on).first()
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Chỉ chi bộ nộp đảng phí lên cấp trên."), field=None)
    if month is None:
        raise ChiboError(_("Hãy chọn tháng."), field="month")
    month = _month(month)
    if month > _month(on):
        raise ChiboError(_("Không nộp trước cho tháng chưa đến."), field="month")
    if to_org is None or to_org.pk == cell.pk or "/" + path_segment(to_org.pk) not in version.path:
        raise ChiboError(_("Hãy chọn tổ chức cấp trên của chi bộ."), field="to_org")
    if amount_vnd is None or amount_vnd <= 0:
        raise ChiboError(_("Số tiền phải lớn hơn 0."), field="amount_vnd")
    if amount_vnd > MAX_VND:
        raise ChiboError(_("Số tiền quá lớn."), field="amount_vnd")
    if remitted_on is None:
        raise ChiboError(_("Hãy nhập ngày nộp."), field="remitted_on")
    if remitted_on > on or remitted_on < month:
        raise ChiboError(_("Ngày nộp phải từ đầu tháng %(m)s đến hôm nay.") % {"m": fmt_month(month)}, field="remitted_on")
    if Remittance.objects.filter(cell=cell, month=month).exists():
        raise ChiboError(_("Chi bộ đã ghi nộp cấp trên cho tháng %(m)s.") % {"m": fmt_month(month)}, field="month")
    row = Remittance.objects.create(cell=cell, month=month, to_org=to_org, amount_vnd=amount_vnd, remitted_on=remitted_on,
                                    note=(note or "").strip()[:300], created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(
        actor=actor, verb="dues.remittance_create", obj=row,
        summary=_("Nộp đảng phí tháng %(m)s lên cấp trên: %(t)s đồng, ngày %(d)s") % {
            "m": fmt_month(month), "t": f"{amount_vnd:,}".replace(",", "."), "d": fmt_date(remitted_on)},
        after=audit.snapshot(row),
    )  # fmt: skip
    return row
